package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallSpringNoreleasesVar {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallSpringNoreleasesVar(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        var conn = DataSourceUtils.getConnection(ds);  // expect: SLC003
        try (var cs = conn.prepareCall(SQL)) {
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
