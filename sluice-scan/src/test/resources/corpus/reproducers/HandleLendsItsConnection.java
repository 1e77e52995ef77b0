package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class HandleLendsItsConnection {
    // Jdbi's Handle owns its connection; a transaction handler borrows it for the length of a call.
    interface Handle extends AutoCloseable {
        Connection getConnection();
    }

    void begin(Handle handle) throws SQLException {
        Connection conn = handle.getConnection();
        conn.setReadOnly(false);
    }

    boolean inTransaction(Handle h) throws SQLException {
        return !h.getConnection().getAutoCommit();
    }

    // A DataSource still opens one, whatever the variable is called.
    boolean leak(DataSource ds) throws SQLException {
        Connection conn = ds.getConnection(); // expect: SLC003
        return conn.getAutoCommit();
    }
}
