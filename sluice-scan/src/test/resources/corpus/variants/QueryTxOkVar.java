package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryTxOkVar {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryTxOkVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var conn = ds.getConnection()) {
            conn.setAutoCommit(false);
            try (var ps = conn.prepareStatement(SQL)) {
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw e;
            }
        }
        return out;
    }
}
