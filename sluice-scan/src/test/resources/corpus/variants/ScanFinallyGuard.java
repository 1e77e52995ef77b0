package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanFinallyGuard {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanFinallyGuard(DataSource ds) {
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
            if (rs != null) {
                rs.close();
            }
            if (q != null) {
                q.close();
            }
            if (conn != null) {
                conn.close();
            }
        }
        return out;
    }
}
