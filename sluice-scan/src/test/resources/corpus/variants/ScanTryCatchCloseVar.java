package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanTryCatchCloseVar {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanTryCatchCloseVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        var conn = ds.getConnection();
        try {
            try (var q = conn.prepareStatement(SQL)) {
                q.setLong(1, id);
                try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            }
            conn.close();
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return out;
    }
}
