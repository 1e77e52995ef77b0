package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryHelperNoclose {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryHelperNoclose(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = null;
        PreparedStatement ps = null;
        ResultSet rs = null;
        try {
            conn = ds.getConnection();  // expect: SLC003
            ps = conn.prepareStatement(SQL);  // expect: SLC004
            ps.setLong(1, id);
            rs = ps.executeQuery();
            {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } finally {
            cleanup(rs);
            cleanup(ps);
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
