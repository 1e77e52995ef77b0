package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanMovedOut {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanMovedOut(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = ds.getConnection();  // expect: SLC006
        PreparedStatement q = conn.prepareStatement(SQL);  // expect: SLC006
        q.setLong(1, id);
        ResultSet rs = q.executeQuery();
        {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        rs.close();
        q.close();
        conn.close();
        return out;
    }
}
