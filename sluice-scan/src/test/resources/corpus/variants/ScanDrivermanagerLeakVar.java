package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanDrivermanagerLeakVar {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanDrivermanagerLeakVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        var conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001, SLC003
        try (var q = conn.prepareStatement(SQL)) {
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
