package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanRemovedVar {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanRemovedVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        var conn = ds.getConnection();  // expect: SLC003
        var q = conn.prepareStatement(SQL);  // expect: SLC004
        q.setLong(1, id);
        try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        return out;
    }
}
