package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class SpringUtilsConnectionNeverReleased {
    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException { return ds.getConnection(); }
        static void releaseConnection(Connection c, DataSource ds) { }
    }

    // Outside a transaction DataSourceUtils hands out a fresh connection: it must be released.
    boolean readOnly(DataSource ds) throws SQLException {
        Connection con = DataSourceUtils.getConnection(ds); // expect: SLC003
        return con.isReadOnly();
    }
}
