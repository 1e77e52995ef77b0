package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallDbutils {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallDbutils(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        CallableStatement cs = null;
        try {
            conn = ds.getConnection();
            cs = conn.prepareCall(SQL);
            cs.setLong(1, id);
            cs.execute();
        } finally {
            DbUtils.closeQuietly(conn, cs, null);
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
