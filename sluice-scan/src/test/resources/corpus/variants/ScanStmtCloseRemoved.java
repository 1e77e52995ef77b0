package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanStmtCloseRemoved {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanStmtCloseRemoved(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = null;
        PreparedStatement q = null;
        ResultSet rs = null;
        try {
            conn = ds.getConnection();
            q = conn.prepareStatement(SQL);  // expect: SLC004
            q.setLong(1, id);
            rs = q.executeQuery();
            {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } finally {
            rs.close();
            conn.close();
        }
        return out;
    }
}
