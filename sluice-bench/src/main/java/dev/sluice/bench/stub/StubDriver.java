package dev.sluice.bench.stub;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * A JDBC driver for {@code jdbc:stub:} URLs whose connections do nothing (see
 * {@link StubConnection}). It registers itself with {@link DriverManager} when loaded and through
 * {@code META-INF/services/java.sql.Driver}, so pools that look drivers up by URL and pools that
 * load {@link #CLASS_NAME} both find it.
 *
 * <p>Not the stub database of sluice-stub that the tests and the simulator share, on purpose:
 * that one reads its fault switches and service-time hook (volatile fields) and counts calls on
 * every connection and statement method, and those reads and counters would be measured as pool
 * overhead. These connections do nothing at all, so a benchmark measures only the pool.
 */
public final class StubDriver implements Driver {
    public static final String URL = "jdbc:stub:bench";
    public static final String CLASS_NAME = "dev.sluice.bench.stub.StubDriver";
    private static final String PREFIX = "jdbc:stub:";

    /** Physical connects so far; a benchmark can check that a pool did not reconnect during a run. */
    private static final AtomicLong CONNECTS = new AtomicLong();

    static {
        try {
            DriverManager.registerDriver(new StubDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public StubDriver() {
    }

    public static long connects() {
        return CONNECTS.get();
    }

    @Override
    public Connection connect(String url, Properties info) {
        if (!acceptsURL(url)) {
            return null; // JDBC: a driver returns null for a URL that is not its own.
        }
        CONNECTS.incrementAndGet();
        return new StubConnection();
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
        throw new SQLFeatureNotSupportedException("the stub driver does not log");
    }
}
