package dev.sluice.bench;

import dev.sluice.bench.stub.StubConnection;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The "nopool" line of the benchmarks: the least work any pool could do, to show how much room the
 * real pools leave. Connections sit in a lock-free array; borrowing takes one with a CAS (starting
 * at a slot picked from the thread, so threads rarely collide), returning puts it back with one
 * store. There is no wrapper, so nothing protects against use after close, double close, or a
 * connection left open; there is no timeout (a borrower yields and rescans until a slot fills), no
 * validation and no state reset. Never use it for anything but this comparison.
 */
final class BareArrayPool implements DataSource {
    private final AtomicReferenceArray<BareConnection> slots;

    BareArrayPool(int size) {
        slots = new AtomicReferenceArray<>(size);
        for (int i = 0; i < size; i++) {
            slots.set(i, new BareConnection(this, i));
        }
    }

    @Override
    public Connection getConnection() {
        int n = slots.length();
        int start = (System.identityHashCode(Thread.currentThread()) & Integer.MAX_VALUE) % n;
        for (;;) {
            for (int k = 0; k < n; k++) {
                int i = start + k < n ? start + k : start + k - n;
                BareConnection c = slots.get(i);
                if (c != null && slots.compareAndSet(i, c, null)) {
                    return c;
                }
            }
            // All slots taken: their holders need the CPU to return them, and with more threads than
            // cores (the contention benchmark) spinning would only delay them.
            Thread.yield();
        }
    }

    void release(BareConnection c) {
        slots.set(c.slot, c);
    }

    @Override
    public Connection getConnection(String username, String password) {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("BareArrayPool does not log");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("BareArrayPool does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /** A stub connection whose close() puts it back in its slot. */
    static final class BareConnection extends StubConnection {
        private final BareArrayPool pool;
        private final int slot;

        BareConnection(BareArrayPool pool, int slot) {
            this.pool = pool;
            this.slot = slot;
        }

        @Override
        public void close() {
            pool.release(this);
        }
    }
}
