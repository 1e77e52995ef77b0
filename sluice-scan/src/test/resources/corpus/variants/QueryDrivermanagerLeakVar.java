package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryDrivermanagerLeakVar {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryDrivermanagerLeakVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        var conn = DriverManager.getConnection("jdbc:postgresql://db/app");  // expect: SLC001, SLC003
        try (var ps = conn.prepareStatement(SQL)) {
            ps.setLong(1, id);
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
