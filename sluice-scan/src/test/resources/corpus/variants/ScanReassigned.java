package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanReassigned {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanReassigned(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = ds.getConnection()) {
            PreparedStatement q = conn.prepareStatement(SQL);  // expect: SLC004
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            q = conn.prepareStatement(SQL);  // expect: SLC006
            q.setLong(1, id);
            try (ResultSet rs2 = q.executeQuery()) {
                while (rs2.next()) {
                    out.add(rs2.getString(1));
                }
            }
            q.close();
        }
        return out;
    }
}
