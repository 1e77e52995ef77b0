package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateSpringReleaseVar {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateSpringReleaseVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = DataSourceUtils.getConnection(ds);
        try (var st = conn.createStatement()) {
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
