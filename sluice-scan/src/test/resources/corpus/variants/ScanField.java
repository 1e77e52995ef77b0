package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanField {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanField(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = cached;
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

    private Connection cached;

    public void warmUp() throws SQLException {
        cached = ds.getConnection();  // expect: SLC009
    }
}
