package dev.sluice;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * A driver for {@code jdbc:counting:<url>} that opens {@code <url>} and counts the physical
 * connections open across all its URLs in one atomic counter, with the highest count seen: the
 * "server's" view of a budget, independent of the pool's bookkeeping (summing per-database
 * counts one after another would double-count a connection that moved between two reads).
 */
final class PhysicalConnectionCounter implements Driver {
    static final String PREFIX = "jdbc:counting:";
    static final AtomicInteger OPEN = new AtomicInteger();
    static final AtomicInteger MAX = new AtomicInteger();
    private static final PhysicalConnectionCounter INSTANCE = new PhysicalConnectionCounter();
    private static boolean registered;

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
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection real = DriverManager.getConnection(url.substring(PREFIX.length()), info);
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

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}
