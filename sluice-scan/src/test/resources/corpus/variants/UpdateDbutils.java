package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateDbutils {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateDbutils(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        Statement st = null;
        try {
            conn = ds.getConnection();
            st = conn.createStatement();
            st.executeUpdate(SQL);
        } finally {
            DbUtils.closeQuietly(conn, st, null);
        }
    }

    static final class DbUtils {
        static void closeQuietly(Connection c, Statement s, ResultSet r) {
            try {
                if (r != null) r.close();
                if (s != null) s.close();
                if (c != null) c.close();
            } catch (SQLException ignored) {
                // best effort
            }
        }
    }
}
