package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryReassigned {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryReassigned(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = ds.getConnection()) {
            PreparedStatement ps = conn.prepareStatement(SQL);  // expect: SLC004
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            ps = conn.prepareStatement(SQL);  // expect: SLC006
            ps.setLong(1, id);
            try (ResultSet rs2 = ps.executeQuery()) {
                while (rs2.next()) {
                    out.add(rs2.getString(1));
                }
            }
            ps.close();
        }
        return out;
    }
}
