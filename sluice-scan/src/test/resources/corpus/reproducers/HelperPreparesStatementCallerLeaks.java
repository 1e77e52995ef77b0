package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class HelperPreparesStatementCallerLeaks {
    private PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    // The helper hands its statement over; this caller never closes it.
    int delete(Connection c, long id) throws SQLException {
        PreparedStatement ps = prepare(c, "delete from orders where id = ?", id); // expect: SLC004
        return ps.executeUpdate();
    }

    // This one does.
    int archive(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = prepare(c, "update orders set archived = true where id = ?", id)) {
            return ps.executeUpdate();
        }
    }
}
