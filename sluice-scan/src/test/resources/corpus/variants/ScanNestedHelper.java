package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanNestedHelper {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanNestedHelper(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = ds.getConnection();
             PreparedStatement q = conn.prepareStatement(SQL)) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
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
