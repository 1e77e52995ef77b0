package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanSpringReleaseVar {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanSpringReleaseVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        var conn = DataSourceUtils.getConnection(ds);
        try (var q = conn.prepareStatement(SQL)) {
            q.setLong(1, id);
            try (var rs = q.executeQuery()) {
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
