package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanDbutils {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanDbutils(DataSource ds) {
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
            DbUtils.closeQuietly(conn, q, rs);
        }
        return out;
    }

    static final class DbUtils {
        static void closeQuietly(Connection c, Statement s, ResultSet r) {
            try {
                if (r != null) r.close();
                if (s != null) s.close();
                if (c != null) c.close();
            } catch (SQLException ignored) {
                // best effort
            }
        }
    }
}
