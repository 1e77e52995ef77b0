package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class SpringReleaseConnection {
    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException { return ds.getConnection(); }
        static void releaseConnection(Connection c, DataSource ds) { }
    }

    // Releasing through the transaction-aware utility is the correct close here.
    void run(DataSource ds) throws SQLException {
        Connection con = DataSourceUtils.getConnection(ds);
        try {
            con.setReadOnly(true);
        } finally {
            DataSourceUtils.releaseConnection(con, ds);
        }
    }
}
