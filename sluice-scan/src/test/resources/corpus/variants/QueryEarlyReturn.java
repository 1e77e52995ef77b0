package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryEarlyReturn {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryEarlyReturn(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = ds.getConnection();  // expect: SLC003
        if (id < 0) {
            return out;
        }
        try (PreparedStatement ps = conn.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        conn.close();
        return out;
    }
}
