package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryHelperClose {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryHelperClose(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = null;
        PreparedStatement ps = null;
        ResultSet rs = null;
        try {
            conn = ds.getConnection();
            ps = conn.prepareStatement(SQL);
            ps.setLong(1, id);
            rs = ps.executeQuery();
            {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } finally {
            closeQuietly(rs);
            closeQuietly(ps);
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
