package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallSpringNoreleases {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallSpringNoreleases(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = DataSourceUtils.getConnection(ds);  // expect: SLC003
        try (CallableStatement cs = conn.prepareCall(SQL)) {
            cs.setLong(1, id);
            cs.execute();
        }
    }

    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException {
            return ds.getConnection();
        }
    }
}
