package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateSpringRelease {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateSpringRelease(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = DataSourceUtils.getConnection(ds);
        try (Statement st = conn.createStatement()) {
            st.executeUpdate(SQL);
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
