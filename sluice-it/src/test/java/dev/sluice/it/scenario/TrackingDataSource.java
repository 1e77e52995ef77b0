package dev.sluice.it.scenario;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} over {@link DriverManager} that records when each physical connection is
 * opened and closed: how lifetime retirement is observed the same way for any pool (S7). The
 * connections are dynamic proxies that delegate everything and note the first {@code close()} or
 * {@code abort()}.
 */
final class TrackingDataSource implements DataSource {
    /** One physical connection: its number (in opening order) and when it opened and closed (0 while open). */
    static final class Physical {
        final int number;
        final long openedNanos;
        volatile long closedNanos;

        Physical(int number, long openedNanos) {
            this.number = number;
            this.openedNanos = openedNanos;
        }
    }

    private final String url;
    private final String defaultUser;
    private final String defaultPassword;
    private final List<Physical> connections = new ArrayList<>();
    private int open;
    private int minOpenSinceMark = Integer.MAX_VALUE;
    private boolean marking;

    TrackingDataSource(String url, String user, String password) {
        this.url = url;
        this.defaultUser = user;
        this.defaultPassword = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(defaultUser, defaultPassword);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Properties p = new Properties();
        if (username != null) {
            p.setProperty("user", username);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        Connection real = DriverManager.getConnection(url, p);
        Physical ph;
        synchronized (this) {
            ph = new Physical(connections.size(), System.nanoTime());
            connections.add(ph);
            open++;
        }
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Handler(real, ph));
    }

    private synchronized void closed(Physical ph) {
        if (ph.closedNanos == 0) {
            ph.closedNanos = System.nanoTime();
            open--;
            if (marking) {
                minOpenSinceMark = Math.min(minOpenSinceMark, open);
            }
        }
    }

    /** Physical connections opened so far, in order. */
    synchronized List<Physical> connections() {
        return new ArrayList<>(connections);
    }

    /** Starts tracking the fewest connections open at any close from now on. */
    synchronized void markMinimum() {
        marking = true;
        minOpenSinceMark = open;
    }

    /** The fewest physical connections open right after any close since {@link #markMinimum()}. */
    synchronized int minOpenSinceMark() {
        return minOpenSinceMark;
    }

    synchronized int open() {
        return open;
    }

    private final class Handler implements InvocationHandler {
        private final Connection real;
        private final Physical ph;

        Handler(Connection real, Physical ph) {
            this.real = real;
            this.ph = ph;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (name.equals("equals") && args != null && args.length == 1) {
                return proxy == args[0];
            }
            if (name.equals("hashCode") && (args == null || args.length == 0)) {
                return System.identityHashCode(proxy);
            }
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (name.equals("close") || name.equals("abort")) {
                    closed(ph);
                }
            }
        }
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
        // HikariCP calls this; the driver's own default applies, as with a URL
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
