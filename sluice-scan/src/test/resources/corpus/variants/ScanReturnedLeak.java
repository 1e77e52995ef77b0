package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanReturnedLeak {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanReturnedLeak(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = open();  // expect: SLC003
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

    private Connection open() throws SQLException {
        Connection c = ds.getConnection();
        c.setReadOnly(true);
        return c;
    }
}
