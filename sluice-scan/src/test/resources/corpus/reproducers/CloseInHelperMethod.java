package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CloseInHelperMethod {
    // A close done by a helper of this class: not a leak.
    void run(DataSource ds) throws SQLException {
        Connection c = null;
        Statement s = null;
        try {
            c = ds.getConnection();
            s = c.createStatement();
            s.execute("select 1");
        } finally {
            release(s);
            release(c);
        }
    }

    private static void release(AutoCloseable r) {
        try {
            if (r != null) r.close();
        } catch (Exception e) {
            // nothing to do
        }
    }
}
