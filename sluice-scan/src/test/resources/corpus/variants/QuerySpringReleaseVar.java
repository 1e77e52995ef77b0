package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QuerySpringReleaseVar {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QuerySpringReleaseVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        var conn = DataSourceUtils.getConnection(ds);
        try (var ps = conn.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } finally {
            DataSourceUtils.releaseConnection(conn, ds);
        }
        return out;
    }

    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException {
            return ds.getConnection();
        }

        static void releaseConnection(Connection c, DataSource ds) {
            // returns the connection unless a transaction holds it
        }
    }
}
