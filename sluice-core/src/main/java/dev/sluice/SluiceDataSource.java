package dev.sluice;

import dev.sluice.internal.BorrowClaim;
import dev.sluice.internal.Pool;
import dev.sluice.internal.PoolMBean;
import java.io.Closeable;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    /** A bean-style pool's start under way or done; guarded by {@code this}. */
    private CompletableFuture<Pool> starting;
    private volatile PrintWriter logWriter;
    /** What a loginTimeout of 0 restores: SluiceConfig's default connectionTimeout. */
    private static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    /** Starts a pool. Fails with a classified {@link SQLException} if the start-up check fails. */
    public SluiceDataSource(SluiceConfig config) throws SQLException {
        this.pending = null;
        this.config = Objects.requireNonNull(config, "config");
        this.pool = new Pool(config);
        this.mbeanName = config.registerMbeans() ? PoolMBean.register(pool) : null;
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

    /** The running pool; a bean-style data source starts here on first use, waiting no longer than the caller's deadline. */
    private Pool pool() throws SQLException {
        Pool p = pool;
        return p != null ? p : start(true);
    }

    /**
     * Starts a bean-style pool on a thread of its own, and waits for it, with {@code bounded}, no
     * longer than the caller's deadline (the scoped {@link Deadline}, else connectionTimeout): the
     * start-up check never runs under this object's monitor, where callers would queue past theirs.
     */
    private Pool start(boolean bounded) throws SQLException {
        CompletableFuture<Pool> f;
        long deadline;
        synchronized (this) { // held only to start or find the start, never across I/O
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
            long now = System.nanoTime();
            deadline = now + Deadline.saturatedNanos(c.connectionTimeout());
            Deadline scoped = Deadline.currentOrNull();
            if (scoped != null && scoped.expiresAtNanos() - deadline < 0) {
                deadline = scoped.expiresAtNanos();
            }
            f = starting;
            if (f == null || f.isCompletedExceptionally()) { // a failed start is tried again by the next call
                f = new CompletableFuture<>();
                starting = f;
                CompletableFuture<Pool> result = f;
                Thread t = new Thread(() -> startPool(c, result), c.poolName() + "-start");
                t.setDaemon(true);
                t.start();
            }
        }
        try {
            return bounded ? f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) : f.get();
        } catch (TimeoutException notYet) {
            throw SluiceFailure.of(FailureReason.ACQUIRE_TIMEOUT, "sluice", "the pool is still starting (its start-up check is"
                    + " under way) and did not start within the caller's deadline", null);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            throw SluiceFailure.of(FailureReason.CONNECT_REFUSED, "sluice", "the pool failed to start: " + cause, cause);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the pool to start", "08001", interrupted);
        }
    }

    private void startPool(SluiceConfig c, CompletableFuture<Pool> result) {
        Pool p;
        try {
            p = new Pool(c);
        } catch (SQLException | RuntimeException | Error e) {
            result.completeExceptionally(e);
            return;
        }
        boolean closed;
        synchronized (this) {
            closed = closeRequested;
            if (!closed) {
                config = c;
                mbeanName = c.registerMbeans() ? PoolMBean.register(p) : null;
                pool = p;
            }
        }
        if (closed) { // close() came while the pool was starting: it found no pool to close
            p.close();
            result.completeExceptionally(SluiceFailure.of(FailureReason.POOL_CLOSED, c.poolName(), c.poolName()
                    + " was closed while it started", null));
            return;
        }
        result.complete(p);
    }

    /** For the runtime-control methods, which declare no SQLException: a failed lazy start is unchecked. */
    private Pool started() {
        try {
            Pool p = pool;
            return p != null ? p : start(false);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * The fleet as this pool last saw it: instances, budget, busy connections, its fair share,
     * claim and grant, and why its ceiling last moved; null when the pool is not a fleet member.
     */
    public String fleetView() throws SQLException {
        return pool().fleetView();
    }

    /** Borrows a connection, waiting at most {@code connectionTimeout} or the scoped {@link Deadline}. */
    @Override
    public Connection getConnection() throws SQLException {
        Pool pool = pool();
        Deadline scoped = Deadline.currentOrNull();
        if (scoped == null) {
            // The claim-taking overload directly, not acquire(): one frame less for leak detection's
            // stack walk, which must reach the borrower within the walker's first batch of frames.
            return pool.acquire((BorrowClaim) null);
        }
        long left = scoped.remainingNanos();
        return pool.acquire(Math.min(pool.connectionTimeoutNanos(), left), true, left);
    }

    /** Borrows a connection, waiting at most {@code timeout} (and never past a scoped {@link Deadline}). */
    public Connection getConnection(Duration timeout) throws SQLException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " must not be negative");
        }
        Pool pool = pool();
        long wait = Deadline.saturatedNanos(timeout);
        Deadline scoped = Deadline.currentOrNull();
        if (scoped == null) {
            return pool.acquire(wait, false, 0);
        }
        long left = scoped.remainingNanos();
        return pool.acquire(Math.min(wait, left), true, left);
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
    // The knobs below can change while the pool runs; the pool's RuntimeSettings validates them with
    // SluiceConfig's rules. On a bean-style data source that has not started yet they set the
    // starting configuration instead.

    private void runtimeKnob(Consumer<SluiceConfig.Builder> beforeStart, Consumer<Pool> running) {
        synchronized (this) {
            if (pending != null && pool == null) {
                beforeStart.accept(pending);
                return;
            }
        }
        running.accept(started());
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
        runtimeKnob(b -> b.maximumPoolSize(maximumPoolSize).minimumIdle(minimumIdle), p -> p.resize(maximumPoolSize, minimumIdle));
    }

    public void setConnectionTimeout(Duration connectionTimeout) {
        runtimeKnob(b -> b.connectionTimeout(connectionTimeout), p -> p.connectionTimeout(connectionTimeout));
    }

    public void setValidationTimeout(Duration validationTimeout) {
        runtimeKnob(b -> b.validationTimeout(validationTimeout), p -> p.validationTimeout(validationTimeout));
    }

    public void setIdleTimeout(Duration idleTimeout) {
        runtimeKnob(b -> b.idleTimeout(idleTimeout), p -> p.idleTimeout(idleTimeout));
    }

    /** Applies to connections opened from now on. */
    public void setMaxLifetime(Duration maxLifetime) {
        runtimeKnob(b -> b.maxLifetime(maxLifetime), p -> p.maxLifetime(maxLifetime));
    }

    public void setLeakDetectionThreshold(Duration threshold) {
        runtimeKnob(b -> b.leakDetectionThreshold(threshold), p -> p.leakDetectionThreshold(threshold));
    }

    /**
     * New connections authenticate with these; open ones keep theirs ({@link #evictAll()} to force).
     * They replace a configured {@link CredentialsProvider}.
     */
    public void setCredentials(String username, String password) {
        runtimeKnob(b -> b.username(username).password(password), p -> p.credentials(username, password));
    }

    /** A snapshot of the pool's state and counters. */
    public PoolStats stats() {
        return started().stats();
    }

    /**
     * The health rule judged over the last 60 s of once-a-second samples: HEALTHY, BUSY,
     * SATURATED, OVERSIZED or DOWN, with the figures and the reasons. Cheap to call: it reads the
     * samples the pool's scheduler took, not the connections.
     */
    public PoolHealth health() {
        return started().health();
    }

    /**
     * The connections borrowed now, longest held first, with their borrower thread, age and (when
     * leak detection is on) the borrower's stack. Read on demand from what the pool tracks anyway:
     * asking costs a walk over the connections, not asking costs nothing.
     */
    public List<HeldConnection> heldConnections() {
        return started().held();
    }

    /**
     * Adds a listener to the running pool (a console, a diagnostic tool attached late); it receives
     * events from now on. While a listener that {@linkplain PoolListener#observesBorrows() observes
     * borrows} is registered every borrow is timed, as with {@link SluiceConfig.Builder#listener(PoolListener)}.
     */
    public void addListener(PoolListener listener) {
        started().listener(Objects.requireNonNull(listener, "listener"), true);
    }

    /** Removes a listener added by {@link #addListener}; false if it was not registered. */
    public boolean removeListener(PoolListener listener) {
        return started().listener(Objects.requireNonNull(listener, "listener"), false);
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

    /** The writer last set with {@link #setLogWriter}; Sluice itself logs through {@link System.Logger}. */
    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    /**
     * Kept and returned by {@link #getLogWriter()}, as HikariCP and Agroal accept it; frameworks call
     * this on every {@code DataSource}. Sluice logs through {@link System.Logger}, not to it.
     */
    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /**
     * Sets {@code connectionTimeout} (the bound on every acquisition) in seconds, at runtime or, on a
     * bean-style data source, before start. 0, which JDBC defines as "the default", restores
     * Sluice's default connectionTimeout (30 s): Sluice never waits without a bound, where
     * HikariCP reads 0 as "wait (almost) forever".
     *
     * @throws SQLException if {@code seconds} is negative, naming the knob
     */
    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        if (seconds < 0) {
            throw new SQLException("loginTimeout=" + seconds + "s must be 0 (the default connectionTimeout) or positive"
                    + " (connectionTimeout in seconds)", "HY024");
        }
        try {
            setConnectionTimeout(seconds == 0 ? DEFAULT_CONNECTION_TIMEOUT : Duration.ofSeconds(seconds));
        } catch (IllegalArgumentException invalid) {
            throw new SQLException(invalid.getMessage(), "HY024", invalid);
        }
    }

    /** {@code connectionTimeout} in whole seconds, rounded up (never 0: the pool always has a bound). */
    @Override
    public int getLoginTimeout() {
        Pool p = pool;
        long nanos;
        if (p != null) {
            nanos = p.connectionTimeoutNanos();
        } else {
            SluiceConfig c = currentOrPendingConfig();
            nanos = (c != null ? c.connectionTimeout() : DEFAULT_CONNECTION_TIMEOUT).toNanos();
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    /**
     * The {@code java.util.logging} logger named {@code dev.sluice}, the parent of the loggers Sluice
     * writes to when {@link System.Logger} is backed by java.util.logging (the JDK default).
     * HikariCP and Agroal throw {@link SQLFeatureNotSupportedException} instead.
     */
    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("dev.sluice");
    }

    /** This data source, or the user-supplied {@code DataSource} it pools (or what that one wraps). */
    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        DataSource target = pooledDataSource();
        if (target != null) {
            if (iface.isInstance(target)) {
                return iface.cast(target);
            }
            if (target.isWrapperFor(iface)) {
                return target.unwrap(iface);
            }
        }
        throw new SQLException("SluiceDataSource does not wrap " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        DataSource target = pooledDataSource();
        return target != null && (iface.isInstance(target) || target.isWrapperFor(iface));
    }

    private DataSource pooledDataSource() {
        SluiceConfig c = config;
        return c != null ? c.dataSource() : null;
    }

    @Override
    public String toString() {
        Pool p = pool;
        return "SluiceDataSource[" + (p != null ? p : "not started") + "]";
    }
}
