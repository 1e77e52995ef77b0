package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryNested {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryNested(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = ds.getConnection();
             PreparedStatement ps = conn.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            try (Connection audit = ds.getConnection()) {  // expect: SLC008
                audit.createStatement().execute("insert into audit values (1)");  // expect: SLC004
            }
        }
        return out;
    }
}
