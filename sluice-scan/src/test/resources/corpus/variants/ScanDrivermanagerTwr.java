package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanDrivermanagerTwr {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanDrivermanagerTwr(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001
             PreparedStatement q = conn.prepareStatement(SQL)) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
