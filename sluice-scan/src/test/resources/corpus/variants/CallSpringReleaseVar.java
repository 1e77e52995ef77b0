package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallSpringReleaseVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallSpringReleaseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = DataSourceUtils.getConnection(ds);
        try (var cs = conn.prepareCall(SQL)) {
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
