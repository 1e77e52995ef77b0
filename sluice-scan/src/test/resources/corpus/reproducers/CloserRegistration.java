package corpus.reproducers;

import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

public class CloserRegistration {
    static final class Closer implements AutoCloseable {
        private final Deque<AutoCloseable> stack = new ArrayDeque<>();
        <T extends AutoCloseable> T register(T c) { stack.push(c); return c; }
        @Override public void close() throws Exception { while (!stack.isEmpty()) stack.pop().close(); }
    }

    void run(DataSource ds) throws Exception {
        try (Closer closer = new Closer()) {
            Connection c = closer.register(ds.getConnection());
            Statement s = c.createStatement();
            closer.register(s);
            s.execute("select 1");
        }
    }
}
