package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryDbutils {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryDbutils(DataSource ds) {
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
            DbUtils.closeQuietly(conn, ps, rs);
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
