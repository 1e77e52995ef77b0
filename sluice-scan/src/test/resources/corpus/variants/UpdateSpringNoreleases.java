package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateSpringNoreleases {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateSpringNoreleases(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = DataSourceUtils.getConnection(ds);  // expect: SLC003
        try (Statement st = conn.createStatement()) {
            st.executeUpdate(SQL);
        }
    }

    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException {
            return ds.getConnection();
        }
    }
}
