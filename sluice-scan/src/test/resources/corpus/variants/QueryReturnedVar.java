package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryReturnedVar {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryReturnedVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var conn = open()) {
            try (var ps = conn.prepareStatement(SQL)) {
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            }
        }
        return out;
    }

    private Connection open() throws SQLException {
        Connection c = ds.getConnection();
        c.setReadOnly(true);
        return c;
    }
}
