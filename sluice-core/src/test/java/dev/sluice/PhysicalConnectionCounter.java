package dev.sluice;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A driver for {@code jdbc:counting:<url>} that opens {@code <url>} and counts the physical
 * connections open across all its URLs in one atomic counter, with the highest count seen: the
 * "server's" view of a budget, independent of the pool's bookkeeping (summing per-database
 * counts one after another would double-count a connection that moved between two reads).
 */
final class PhysicalConnectionCounter extends WrappingDriver {
    static final String PREFIX = "jdbc:counting:";
    static final AtomicInteger OPEN = new AtomicInteger();
    static final AtomicInteger MAX = new AtomicInteger();
    private static final PhysicalConnectionCounter INSTANCE = new PhysicalConnectionCounter();
    private static boolean registered;

    private PhysicalConnectionCounter() {
        super(PREFIX);
    }

    static synchronized void register() throws SQLException {
        if (!registered) {
            DriverManager.registerDriver(INSTANCE);
            registered = true;
        }
    }

    static void resetMax() {
        MAX.set(OPEN.get());
    }

    @Override
    Connection wrap(Connection real) {
        MAX.accumulateAndGet(OPEN.incrementAndGet(), Math::max);
        AtomicBoolean ended = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class}, (p, m, args) -> {
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if ((m.getName().equals("close") || m.getName().equals("abort")) && ended.compareAndSet(false, true)) {
                    OPEN.decrementAndGet();
                }
            }
        });
    }
}
