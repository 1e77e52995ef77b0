package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertDbutils {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertDbutils(DataSource ds) {
        this.ds = ds;
    }
    public void run(long id) throws SQLException {
        Connection conn = null;
        PreparedStatement ins = null;
        try {
            conn = ds.getConnection();
            ins = conn.prepareStatement(SQL);
            ins.setString(1, "x" + id);
            ins.executeUpdate();
        } finally {
            DbUtils.closeQuietly(conn, ins, null);
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
