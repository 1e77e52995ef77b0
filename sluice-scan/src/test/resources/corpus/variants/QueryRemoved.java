package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryRemoved {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryRemoved(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        Connection conn = ds.getConnection();  // expect: SLC003
        PreparedStatement ps = conn.prepareStatement(SQL);  // expect: SLC004
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        return out;
    }
}
