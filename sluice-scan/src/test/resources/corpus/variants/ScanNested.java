package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanNested {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanNested(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = ds.getConnection();
             PreparedStatement q = conn.prepareStatement(SQL)) {
            q.setLong(1, id);
            try (ResultSet rs = q.executeQuery()) {
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
