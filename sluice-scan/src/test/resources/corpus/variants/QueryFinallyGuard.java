package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryFinallyGuard {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryFinallyGuard(DataSource ds) {
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
            if (rs != null) {
                rs.close();
            }
            if (ps != null) {
                ps.close();
            }
            if (conn != null) {
                conn.close();
            }
        }
        return out;
    }
}
