package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class UpdateHelperClose {
    private static final String SQL = "update users set seen = now()";
    private final DataSource ds;

    public UpdateHelperClose(DataSource ds) {
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
            closeQuietly(st);
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
