package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryNestedHelperVar {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryNestedHelperVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var conn = ds.getConnection();
             var ps = conn.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            audit(id);  // expect: SLC008
        }
        return out;
    }

    private void audit(long id) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement a = c.prepareStatement("insert into audit values (?)")) {
            a.setLong(1, id);
            a.executeUpdate();
        }
    }
}
