package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryTxNorollback {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryTxNorollback(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection conn = ds.getConnection()) {
            conn.setAutoCommit(false);  // expect: SLC007
            try (PreparedStatement ps = conn.prepareStatement(SQL)) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            }
            conn.commit();
        }
        return out;
    }
}
