package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CommonsDbUtilsCloseQuietly {
    static final class DbUtils {
        static void closeQuietly(Connection c, Statement s, ResultSet r) { }
        static void commitAndCloseQuietly(Connection c) { }
    }

    void run(DataSource ds) throws SQLException {
        Connection c = null;
        PreparedStatement ps = null;
        ResultSet rs = null;
        try {
            c = ds.getConnection();
            ps = c.prepareStatement("select 1");
            rs = ps.executeQuery();
            rs.next();
        } finally {
            DbUtils.closeQuietly(c, ps, rs);
        }
    }
}
