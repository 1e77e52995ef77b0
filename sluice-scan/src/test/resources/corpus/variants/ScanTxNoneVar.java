package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ScanTxNoneVar {
    private static final String SQL = "select id from orders where owner = ?";
    private final DataSource ds;

    public ScanTxNoneVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var conn = ds.getConnection()) {
            conn.setAutoCommit(false);  // expect: SLC007
            try (var q = conn.prepareStatement(SQL)) {
                q.setLong(1, id);
                try (var rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            }
        }
        return out;
    }
}
