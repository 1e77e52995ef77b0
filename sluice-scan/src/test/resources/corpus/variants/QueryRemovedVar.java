package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class QueryRemovedVar {
    private static final String SQL = "select name from users where id = ?";
    private final DataSource ds;

    public QueryRemovedVar(DataSource ds) {
        this.ds = ds;
    }
    public List<String> run(long id) throws SQLException {
        List<String> out = new ArrayList<>();
        var conn = ds.getConnection();  // expect: SLC003
        var ps = conn.prepareStatement(SQL);  // expect: SLC004
        ps.setLong(1, id);
        try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        return out;
    }
}
