package corpus.reproducers;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.sql.*;
import java.util.*;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

public class ConnectionCarriersOwnTheirField {
    // Spring's close-suppressing proxies keep the target connection in their InvocationHandler.
    static final class CloseSuppressingHandler implements InvocationHandler {
        private final Connection target;

        CloseSuppressingHandler(Connection target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            return method.getName().equals("close") ? null : method.invoke(target, args);
        }
    }

    // A holder, like Spring's ConnectionHolder, exists to carry the transaction's connection.
    static class ResourceHolderSupport {
    }

    static final class ConnectionHolder extends ResourceHolderSupport {
        private Connection current;

        void set(Connection c) {
            this.current = c;
        }
    }

    // Commons DbUtils' AsyncQueryRunner hands a task the connection it must close when it runs.
    static final class BatchTask implements Callable<int[]> {
        private final Connection conn;
        private final PreparedStatement ps;

        BatchTask(Connection conn, PreparedStatement ps) {
            this.conn = conn;
            this.ps = ps;
        }

        @Override
        public int[] call() throws SQLException {
            try {
                return ps.executeBatch();
            } finally {
                closeQuietly(ps);
                closeQuietly(conn);
            }
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    // A service that keeps a connection and never closes it is still reported.
    static final class ReportService {
        private Connection shared; // expect: SLC009

        void use(Connection c) {
            this.shared = c;
        }
    }
}
