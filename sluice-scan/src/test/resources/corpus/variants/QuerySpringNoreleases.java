package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QuerySpringNoreleases {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QuerySpringNoreleases(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = DataSourceUtils.getConnection(ds);  // expect: SLC003
        try (PreparedStatement ps = conn.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
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
