package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanHelperNoclose {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanHelperNoclose(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = null;
        PreparedStatement q = null;
        ResultSet rs = null;
        try {
            conn = ds.getConnection();  // expect: SLC003
            q = conn.prepareStatement(SQL);  // expect: SLC004
            q.setLong(1, id);
            rs = q.executeQuery();
            {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } finally {
            cleanup(rs);
            cleanup(q);
            cleanup(conn);
        }
        return out;
    }

    private static void cleanup(AutoCloseable c) {
        if (c != null) {
            System.out.println("done with " + c.getClass().getSimpleName());
        }
    }
}
