package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanRemoved {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanRemoved(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = ds.getConnection();  // expect: SLC003
        PreparedStatement q = conn.prepareStatement(SQL);  // expect: SLC004
        q.setLong(1, id);
        try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        return out;
    }
}
