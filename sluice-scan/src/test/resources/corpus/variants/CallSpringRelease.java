package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallSpringRelease {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallSpringRelease(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = DataSourceUtils.getConnection(ds);
        try (CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        } finally {
            DataSourceUtils.releaseConnection(conn, ds);
        }
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
