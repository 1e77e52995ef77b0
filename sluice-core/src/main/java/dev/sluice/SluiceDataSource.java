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
import java.util.function.Consumer;
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
    /** Bean-style construction only: the knobs set before the first use. Guarded by {@code this}. */
    private final SluiceConfig.Builder pending;
    // Volatile so a pool started lazily by one thread is seen whole by every other; on the
    // borrow path this is one plain load on x86 (a load-acquire on ARM64).
    private volatile Pool pool;
    private volatile SluiceConfig config;
    private volatile ObjectName mbeanName;
    private volatile boolean closeRequested;

    /** Starts a pool. Fails with a classified {@link SQLException} if the start-up check fails. */
    public SluiceDataSource(SluiceConfig config) throws SQLException {
        this.pending = null;
        this.config = Objects.requireNonNull(config, "config");
        this.pool = new Pool(config);
        this.mbeanName = config.registerMbeans() ? PoolMBean.register(this, pool) : null;
    }

    /**
     * Bean-style construction, for frameworks that instantiate a {@code DataSource} by class name
     * and call setters (Spring Boot's {@code DataSourceBuilder} with
     * {@code spring.datasource.type=dev.sluice.SluiceDataSource}). Set the connection knobs, then the
     * pool starts on first use, with every other knob at its default; a start that fails is tried
     * again on the next call. Prefer {@link #SluiceDataSource(SluiceConfig)} in code.
     */
    public SluiceDataSource() {
        this.pending = SluiceConfig.builder();
    }

    /** Bean-style construction only, before first use. */
    public synchronized void setJdbcUrl(String jdbcUrl) {
        beforeStart("jdbcUrl").jdbcUrl(jdbcUrl);
    }

    /** The same as {@link #setJdbcUrl}, under the name {@code DataSourceBuilder} looks for. */
    public void setUrl(String url) {
        setJdbcUrl(url);
    }

    /** Bean-style construction only, before first use; at runtime use {@link #setCredentials}. */
    public synchronized void setUsername(String username) {
        beforeStart("username").username(username);
    }

    /** Bean-style construction only, before first use; at runtime use {@link #setCredentials}. */
    public synchronized void setPassword(String password) {
        beforeStart("password").password(password);
    }

    /** Bean-style construction only, before first use: new connections ask it for their credentials. */
    public synchronized void setCredentialsProvider(CredentialsProvider provider) {
        beforeStart("credentialsProvider").credentialsProvider(provider);
    }

    /** Bean-style construction only, before first use. */
    public synchronized void setDriverClassName(String driverClassName) {
        beforeStart("driverClassName").driverClassName(driverClassName);
    }

    /** Bean-style construction only, before first use. */
    public synchronized void setPoolName(String poolName) {
        beforeStart("poolName").poolName(poolName);
    }

    /** The JDBC URL, for frameworks that read the bean back; never the password. */
    public synchronized String getJdbcUrl() {
        SluiceConfig c = currentOrPendingConfig();
        return c == null ? null : c.jdbcUrl();
    }

    /** The same as {@link #getJdbcUrl}. */
    public String getUrl() {
        return getJdbcUrl();
    }

    public synchronized String getUsername() {
        SluiceConfig c = currentOrPendingConfig();
        return c == null ? null : c.username();
    }

    private SluiceConfig.Builder beforeStart(String knob) {
        if (pending == null || pool != null) {
            throw new IllegalStateException(knob + " cannot be set on a started pool" + (pending == null
                    ? " built from a SluiceConfig" : "") + "; use the runtime setters (setCredentials, resize, ...)");
        }
        return pending;
    }

    /** The running configuration, or what the bean setters add up to so far (null while incomplete). */
    private synchronized SluiceConfig currentOrPendingConfig() {
        if (config != null || pending == null) {
            return config;
        }
        try {
            return pending.build();
        } catch (IllegalArgumentException | IllegalStateException incomplete) {
            return null;
        }
    }

    /** The running pool; a bean-style data source starts here on first use. */
    private Pool pool() throws SQLException {
        Pool p = pool;
        return p != null ? p : start();
    }

    private synchronized Pool start() throws SQLException {
        Pool p = pool;
        if (p != null) {
            return p;
        }
        if (closeRequested) {
            throw SluiceFailure.of(FailureReason.POOL_CLOSED, "sluice", "the data source was closed before it started", null);
        }
        SluiceConfig c;
        try {
            c = pending.build();
        } catch (IllegalArgumentException | IllegalStateException invalid) {
            throw SluiceFailure.of(FailureReason.INVALID_CONFIG, "sluice", invalid.getMessage(), invalid);
        }
        p = new Pool(c);
        config = c;
        mbeanName = c.registerMbeans() ? PoolMBean.register(this, p) : null;
        pool = p;
        return p;
    }

    /** For the runtime-control methods, which declare no SQLException: a failed lazy start is unchecked. */
    private Pool started() {
        try {
            return pool();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Borrows a connection, waiting at most {@code connectionTimeout} or the scoped {@link Deadline}. */
    @Override
    public Connection getConnection() throws SQLException {
        Pool pool = pool();
        Deadline scoped = Deadline.currentOrNull();
        if (scoped == null) {
            return pool.acquire();
        }
        long now = System.nanoTime();
        long deadline = now + pool.connectionTimeoutNanos();
        if (scoped.expiresAtNanos() - deadline < 0) {
            deadline = scoped.expiresAtNanos();
        }
        return pool.acquire(now, deadline, true);
    }

    /** Borrows a connection, waiting at most {@code timeout} (and never past a scoped {@link Deadline}). */
    public Connection getConnection(Duration timeout) throws SQLException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " must not be negative");
        }
        Pool pool = pool();
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
    // The knobs below can change while the pool runs; each is validated as in SluiceConfig. On a
    // bean-style data source that has not started yet they set the starting configuration instead.

    private synchronized boolean configureBeforeStart(Consumer<SluiceConfig.Builder> knob) {
        if (pending == null || pool != null) {
            return false;
        }
        knob.accept(pending);
        return true;
    }

    /** Holds new borrowers until {@link #resume()}; they fail with POOL_SUSPENDED at their deadline. */
    public void suspend() {
        started().suspend();
    }

    public void resume() {
        started().resume();
    }

    public boolean isSuspended() {
        return started().isSuspended();
    }

    /** Closes every idle connection now (they are replaced as minimumIdle requires). */
    public void evictIdle() {
        started().evict(false);
    }

    /** Closes idle connections now and borrowed ones when returned: after a failover, a credential rotation or a DNS change. */
    public void evictAll() {
        started().evict(true);
    }

    /** Changes maximumPoolSize and minimumIdle; surplus idle connections close now, surplus borrowed ones on return. */
    public void resize(int maximumPoolSize, int minimumIdle) {
        if (configureBeforeStart(b -> b.maximumPoolSize(maximumPoolSize).minimumIdle(minimumIdle))) {
            return;
        }
        SluiceConfig.builder().maximumPoolSize(maximumPoolSize).minimumIdle(minimumIdle);
        started().resize(maximumPoolSize, minimumIdle);
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        if (configureBeforeStart(b -> b.connectionTimeout(connectionTimeout))) {
            return;
        }
        SluiceConfig.builder().connectionTimeout(connectionTimeout);
        started().connectionTimeout(connectionTimeout);
    }

    public void setValidationTimeout(Duration validationTimeout) {
        if (configureBeforeStart(b -> b.validationTimeout(validationTimeout))) {
            return;
        }
        SluiceConfig.builder().validationTimeout(validationTimeout);
        started().validationTimeout(validationTimeout);
    }

    public void setIdleTimeout(Duration idleTimeout) {
        if (configureBeforeStart(b -> b.idleTimeout(idleTimeout))) {
            return;
        }
        SluiceConfig.builder().idleTimeout(idleTimeout);
        started().idleTimeout(idleTimeout);
    }

    /** Applies to connections opened from now on. */
    public void setMaxLifetime(Duration maxLifetime) {
        if (configureBeforeStart(b -> b.maxLifetime(maxLifetime))) {
            return;
        }
        SluiceConfig.builder().maxLifetime(maxLifetime);
        started().maxLifetime(maxLifetime);
    }

    public void setLeakDetectionThreshold(Duration threshold) {
        if (configureBeforeStart(b -> b.leakDetectionThreshold(threshold))) {
            return;
        }
        SluiceConfig.builder().leakDetectionThreshold(threshold);
        started().leakDetectionThreshold(threshold);
    }

    /**
     * New connections authenticate with these; open ones keep theirs ({@link #evictAll()} to force).
     * They replace a configured {@link CredentialsProvider}.
     */
    public void setCredentials(String username, String password) {
        if (configureBeforeStart(b -> b.username(username).password(password))) {
            return;
        }
        started().credentials(username, password);
    }

    /** A snapshot of the pool's state and counters. */
    public PoolStats stats() {
        return started().stats();
    }

    /** The configuration this pool was started with (a bean-style data source starts here if it has not yet). */
    public SluiceConfig config() {
        SluiceConfig c = config;
        if (c == null) {
            started();
            c = config;
        }
        return c;
    }

    public String poolName() {
        return started().name();
    }

    public boolean isClosed() {
        Pool p = pool;
        return p != null ? p.isClosed() : closeRequested;
    }

    /**
     * Closes the pool: new borrows fail with POOL_CLOSED, waiters are woken with it, idle
     * connections are closed, borrowed ones are closed when returned or aborted after
     * {@code shutdownTimeout}. Idempotent.
     */
    @Override
    public void close() {
        Pool p;
        synchronized (this) {
            closeRequested = true;
            p = pool;
        }
        if (p != null) {
            PoolMBean.unregister(mbeanName);
            p.close();
        }
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
        SluiceConfig c = config;
        return (int) Math.max(1, (c != null ? c.connectionTimeout() : Duration.ofSeconds(30)).toSeconds());
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
        Pool p = pool;
        return "SluiceDataSource[" + (p != null ? p : "not started") + "]";
    }
}
