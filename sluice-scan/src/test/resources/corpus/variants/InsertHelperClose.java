package corpus.variants;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class InsertHelperClose {
    private static final String SQL = "insert into log(msg) values (?)";
    private final DataSource ds;

    public InsertHelperClose(DataSource ds) {
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
            closeQuietly(ins);
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
