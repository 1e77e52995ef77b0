package dev.sluice;

import dev.sluice.internal.Pool;
import dev.sluice.internal.PoolMBean;
import java.io.Closeable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.Objects;
import java.util.logging.Logger;
import javax.management.ObjectName;
import javax.sql.DataSource;

/**
 * A pooled {@link DataSource}. Create it from a {@link SluiceConfig}; close it when the
 * application stops.
 *
 * <pre>{@code
 * SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder()
 *         .jdbcUrl("jdbc:postgresql://localhost/app").username("app").password(secret)
 *         .maximumPoolSize(20)
 *         .build());
 * try (Connection c = ds.getConnection()) { ... }
 * }</pre>
 *
 * <p>The constructor checks that the database answers (see
 * {@link SluiceConfig.Builder#initializationFailTimeout}) and fails with a classified
 * {@link SluiceFailure} if it does not. {@link #getConnection()} never waits past the caller's
 * deadline: {@code connectionTimeout}, a per-call {@link #getConnection(Duration) timeout}, or a
 * scoped {@link Deadline}, whichever ends first.
 */
public final class SluiceDataSource implements DataSource, Closeable {
    private final SluiceConfig config;
    private final Pool pool;
    private final ObjectName mbeanName;

    /** Starts a pool. Fails with a classified {@link SQLException} if the start-up check fails. */
    public SluiceDataSource(SluiceConfig config) throws SQLException {
        this.config = Objects.requireNonNull(config, "config");
        this.pool = new Pool(config);
        this.mbeanName = config.registerMbeans() ? PoolMBean.register(this, pool) : null;
    }

    /** Borrows a connection, waiting at most {@code connectionTimeout} or the scoped {@link Deadline}. */
    @Override
    public Connection getConnection() throws SQLException {
        long now = System.nanoTime();
        Deadline scoped = Deadline.currentOrNull();
        long deadline = now + pool.connectionTimeoutNanos();
        if (scoped != null) {
            if (scoped.expiresAtNanos() - deadline < 0) {
                deadline = scoped.expiresAtNanos();
            }
            return pool.acquire(now, deadline, true);
        }
        return pool.acquire(now, deadline, false);
    }

    /** Borrows a connection, waiting at most {@code timeout} (and never past a scoped {@link Deadline}). */
    public Connection getConnection(Duration timeout) throws SQLException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " must not be negative");
        }
        long now = System.nanoTime();
        long deadline = now + Deadline.saturatedNanos(timeout);
        Deadline scoped = Deadline.currentOrNull();
        if (scoped != null && scoped.expiresAtNanos() - deadline < 0) {
            deadline = scoped.expiresAtNanos();
        }
        return pool.acquire(now, deadline, scoped != null);
    }

    /**
     * Not supported: a pool connects with the credentials it was configured with, so a per-call
     * user would defeat pooling. Use one pool per user (or rotate credentials at runtime).
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("getConnection(username, password) is not supported by a pool; configure the credentials");
    }

    // ------------------------------------------------------------------ runtime control
    // The knobs below can change while the pool runs; each is validated as in SluiceConfig.

    /** Holds new borrowers until {@link #resume()}; they fail with POOL_SUSPENDED at their deadline. */
    public void suspend() {
        pool.suspend();
    }

    public void resume() {
        pool.resume();
    }

    public boolean isSuspended() {
        return pool.isSuspended();
    }

    /** Closes every idle connection now (they are replaced as minimumIdle requires). */
    public void evictIdle() {
        pool.evict(false);
    }

    /** Closes idle connections now and borrowed ones when returned: after a failover, a credential rotation or a DNS change. */
    public void evictAll() {
        pool.evict(true);
    }

    /** Changes maximumPoolSize and minimumIdle; surplus idle connections close now, surplus borrowed ones on return. */
    public void resize(int maximumPoolSize, int minimumIdle) {
        SluiceConfig.builder().maximumPoolSize(maximumPoolSize).minimumIdle(minimumIdle);
        pool.resize(maximumPoolSize, minimumIdle);
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        SluiceConfig.builder().connectionTimeout(connectionTimeout);
        pool.connectionTimeout(connectionTimeout);
    }

    public void setValidationTimeout(Duration validationTimeout) {
        SluiceConfig.builder().validationTimeout(validationTimeout);
        pool.validationTimeout(validationTimeout);
    }

    public void setIdleTimeout(Duration idleTimeout) {
        SluiceConfig.builder().idleTimeout(idleTimeout);
        pool.idleTimeout(idleTimeout);
    }

    /** Applies to connections opened from now on. */
    public void setMaxLifetime(Duration maxLifetime) {
        SluiceConfig.builder().maxLifetime(maxLifetime);
        pool.maxLifetime(maxLifetime);
    }

    public void setLeakDetectionThreshold(Duration threshold) {
        SluiceConfig.builder().leakDetectionThreshold(threshold);
        pool.leakDetectionThreshold(threshold);
    }

    /** New connections authenticate with these; open ones keep theirs ({@link #evictAll()} to force). */
    public void setCredentials(String username, String password) {
        pool.credentials(username, password);
    }

    /** A snapshot of the pool's state and counters. */
    public PoolStats stats() {
        return pool.stats();
    }

    /** The configuration this pool was started with. */
    public SluiceConfig config() {
        return config;
    }

    public String poolName() {
        return pool.name();
    }

    public boolean isClosed() {
        return pool.isClosed();
    }

    /**
     * Closes the pool: new borrows fail with POOL_CLOSED, waiters are woken with it, idle
     * connections are closed, borrowed ones are closed when returned or aborted after
     * {@code shutdownTimeout}. Idempotent.
     */
    @Override
    public void close() {
        PoolMBean.unregister(mbeanName);
        pool.close();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        throw new SQLFeatureNotSupportedException("Sluice logs through System.Logger");
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("set connectionTimeout in SluiceConfig");
    }

    @Override
    public int getLoginTimeout() {
        return (int) Math.max(1, config.connectionTimeout().toSeconds());
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("Sluice logs through System.Logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("SluiceDataSource does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "SluiceDataSource[" + pool + "]";
    }
}
