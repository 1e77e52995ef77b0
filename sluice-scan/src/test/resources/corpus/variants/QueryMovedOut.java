package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryMovedOut {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryMovedOut(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = ds.getConnection();  // expect: SLC006
        PreparedStatement ps = conn.prepareStatement(SQL);  // expect: SLC006
        ps.setLong(1, id);
        ResultSet rs = ps.executeQuery();
        {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        rs.close();
        ps.close();
        conn.close();
        return out;
    }
}
