package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryRsCloseRemoved {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryRsCloseRemoved(DataSource ds) {
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
            rs = ps.executeQuery();  // expect: SLC005
            {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } finally {
            ps.close();
            conn.close();
        }
        return out;
    }
}
