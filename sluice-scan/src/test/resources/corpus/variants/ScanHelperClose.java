package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanHelperClose {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanHelperClose(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = null;
        PreparedStatement q = null;
        ResultSet rs = null;
        try {
            conn = ds.getConnection();
            q = conn.prepareStatement(SQL);
            q.setLong(1, id);
            rs = q.executeQuery();
            {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } finally {
            closeQuietly(rs);
            closeQuietly(q);
            closeQuietly(conn);
        }
        return out;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing left to do with a resource that cannot be closed
        }
    }
}
