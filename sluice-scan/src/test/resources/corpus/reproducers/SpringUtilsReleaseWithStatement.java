package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class SpringUtilsReleaseWithStatement {
    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException { return ds.getConnection(); }
        static void releaseConnection(Connection c, DataSource ds) { }
    }

    static final class JdbcUtils {
        static void closeStatement(Statement st) {
            try {
                if (st != null) st.close();
            } catch (SQLException ignored) {
                // best effort
            }
        }
    }

    // The template pattern: the statement closed and the connection released in finally.
    int update(DataSource ds, String sql) throws SQLException {
        Connection con = DataSourceUtils.getConnection(ds);
        Statement st = null;
        try {
            st = con.createStatement();
            return st.executeUpdate(sql);
        } finally {
            JdbcUtils.closeStatement(st);
            DataSourceUtils.releaseConnection(con, ds);
        }
    }
}
