package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryTryCatchCloseVar {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryTryCatchCloseVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        var conn = ds.getConnection();
        try {
            try (var ps = conn.prepareStatement(SQL)) {
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            }
            conn.close();
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return out;
    }
}
