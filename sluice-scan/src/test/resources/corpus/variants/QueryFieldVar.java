package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryFieldVar {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryFieldVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = cached;
        try (var ps = conn.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private Connection cached;

    public void warmUp() throws SQLException {
        cached = ds.getConnection();  // expect: SLC009
    }
}
