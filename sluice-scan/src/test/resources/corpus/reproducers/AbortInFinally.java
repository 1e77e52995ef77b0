package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class AbortInFinally {
    // Abort ends the connection as close does (used when the work timed out).
    void cancel(DataSource ds, java.util.concurrent.Executor executor) throws SQLException {
        Connection c = ds.getConnection();
        try {
            c.setNetworkTimeout(executor, 1000);
        } finally {
            c.abort(executor);
        }
    }
}
