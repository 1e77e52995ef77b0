package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class ReturnedStatement {
    // Returning an open statement hands it to the caller, who closes it.
    PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        ps.setFetchSize(100);
        return ps;
    }

    void use(Connection c) throws SQLException {
        try (PreparedStatement ps = prepare(c, "select 1")) {
            ps.execute();
        }
    }
}
