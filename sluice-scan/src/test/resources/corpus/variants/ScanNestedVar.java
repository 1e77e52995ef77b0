package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanNestedVar {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanNestedVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var conn = ds.getConnection();
             var q = conn.prepareStatement(SQL)) {
            q.setLong(1, id);
            try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            try (var audit = ds.getConnection()) {  // expect: SLC008
                audit.createStatement().execute("insert into audit values (1)");  // expect: SLC004
            }
        }
        return out;
    }
}
