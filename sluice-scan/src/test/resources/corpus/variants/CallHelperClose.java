package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CallHelperClose {
    private static final String SQL = "{call audit(?)}";
    private final DataSource ds;

    public CallHelperClose(DataSource ds) {
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
            closeQuietly(cs);
            closeQuietly(conn);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // nothing left to do with a resource that cannot be closed
        }
    }
}
