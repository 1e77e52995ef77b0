package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanDrivermanagerTwrVar {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanDrivermanagerTwrVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001
             var q = conn.prepareStatement(SQL)) {
            q.setLong(1, id);
            try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
