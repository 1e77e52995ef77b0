package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanSpringNoreleases {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanSpringNoreleases(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = DataSourceUtils.getConnection(ds);  // expect: SLC003
        try (PreparedStatement q = conn.prepareStatement(SQL)) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static final class DataSourceUtils {
        static Connection getConnection(DataSource ds) throws SQLException {
            return ds.getConnection();
        }
    }
}
