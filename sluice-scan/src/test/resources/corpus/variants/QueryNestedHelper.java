package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryNestedHelper {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryNestedHelper(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = ds.getConnection();
             PreparedStatement ps = conn.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            audit(id);  // expect: SLC008
        }
        return out;
    }

    private void audit(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement a = c.prepareStatement("insert into audit values (?)")) {
            a.setLong(1, id);
            a.executeUpdate();
        }
    }
}
