package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class WrapperTakesOwnership {
    static final class Session implements AutoCloseable {
        private final Connection c;
        Session(Connection c) { this.c = c; }
        @Override public void close() throws SQLException { c.close(); }
    }

    Session open(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        return new Session(c);
    }
}
