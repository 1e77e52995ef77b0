package dev.sluice.internal;

import dev.sluice.FailureReason;
import dev.sluice.PgBouncerMode;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Runs connect attempts on the pool's own threads, never on a caller's, and bounds each one; the
 * connect itself is {@link PhysicalConnector}'s. The two are apart because they fail apart: the
 * connector can only ask the driver to give up, this class gives up on the driver.
 *
 * <p>An attempt that outlives its budget is abandoned: its future fails with CONNECT_TIMEOUT, its
 * slot is freed for a new attempt, and if the driver ever returns the connection it is closed, not
 * leaked. The hung thread is interrupted (some drivers honour that) and otherwise left to the
 * driver; the pool counts an attempt as under way only until its future completes, so abandoned
 * attempts do not count against {@code maxConcurrentCreates} and a blackholed network cannot
 * wedge creation forever. A caller's wait is bounded separately by its own deadline.
 */
final class ConnectAttempts {
    private static final int ATTEMPT_RUNNING = 0;
    private static final int ATTEMPT_DONE = 1;
    private static final int ATTEMPT_ABANDONED = 2;
    /**
     * How long a connect or close thread waits for its next task before it ends. Short, because a
     * thread that did socket I/O keeps the JDK's per-thread I/O buffer cache (about 4 KB each, more
     * than a pooled connection's own entry) for as long as it lives, and a full pool has nothing to
     * open: with the former 30 s, a pool of 10 kept three idle connect threads, ~12 KB, for half a
     * minute after every fill. Long enough that the connects of one fill or one burst of
     * retirements, which follow each other within milliseconds, reuse a thread. Nothing waits for
     * these threads to stay: each task is handed over directly (SynchronousQueue), and a task that
     * finds no idle thread starts one, which costs far less than the connect it runs.
     */
    static final long IDLE_THREAD_KEEP_ALIVE_MILLIS = 200;

    private final String poolName;
    private final SluiceConfig config;
    private final PhysicalConnector connector;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final ThreadPoolExecutor threads;
    /** Closes discarded connections off the caller's thread; drained (boundedly) when the pool closes. */
    private final ThreadPoolExecutor closer;
    private final PoolMetrics metrics;
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();
    /** The pool's current generation, recorded in each connection when its connect starts. */
    private final LongSupplier generation;
    /** Null when any server will do. */
    private final PrimaryCheck primaryCheck;
    /** The last connection made: its defaults, shared by the next one with equal defaults, and whom it logged in as. */
    private volatile LastConnect last;

    /**
     * The defaults of the last connection made, with the generation and login it was made in. pgjdbc
     * answers getTransactionIsolation and getSchema with a round trip each, about a quarter of a
     * connect on a local server, and every connection of a pool starts alike: same server, same
     * login, same settings applied. So a connect of the same generation and login reuses the
     * isolation, catalog and schema reported before; a new generation (a failover may land on another
     * server) or new credentials (another user may have other defaults) ask again, and so does every
     * connect whose login a provider or a DataSource picks (its login key is null).
     */
    private static final class LastConnect {
        final long generation;
        final Object loginKey;
        final SessionDefaults defaults;

        LastConnect(long generation, Object loginKey, SessionDefaults defaults) {
            this.generation = generation;
            this.loginKey = loginKey;
            this.defaults = defaults;
        }

        boolean sameLogin(long generation, Object loginKey) {
            return loginKey != null && this.loginKey == loginKey && this.generation == generation;
        }
    }

    ConnectAttempts(SluiceConfig config, PhysicalConnector connector, Ticker ticker, Scheduler scheduler, PoolMetrics metrics,
            LongSupplier generation) {
        this.generation = generation;
        this.primaryCheck = PrimaryCheck.of(config);
        this.poolName = config.poolName();
        this.config = config;
        this.connector = connector;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), PoolThreads.factory(poolName + "-connect"));
        this.closer = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_KEEP_ALIVE_MILLIS, TimeUnit.MILLISECONDS,
                new SynchronousQueue<>(), PoolThreads.factory(poolName + "-close"));
    }

    /** Attempts abandoned at their budget whose driver call has not returned yet. */
    int abandoned() {
        return abandoned.get();
    }

    /**
     * Starts one connect. The future completes with a ready connection (session defaults applied
     * and recorded), or with a classified {@link SQLException}; never later than {@code budgetNanos}.
     */
    CompletableFuture<PooledConnection> create(long budgetNanos, long maxLifetimeNanos) {
        Attempt a = new Attempt(budgetNanos, maxLifetimeNanos);
        try {
            threads.execute(a);
        } catch (RuntimeException rejected) {
            a.future.completeExceptionally(SluiceFailure.of(FailureReason.POOL_CLOSED, poolName, poolName + " is closed", rejected));
            return a.future;
        }
        a.timeout = scheduler.schedule(a::abandon, budgetNanos);
        return a.future;
    }

    /**
     * Stops connecting (attempts under way are interrupted; their connections are closed when the
     * driver returns them) and waits up to {@code awaitCloseNanos} for pending closes, so a closed
     * pool has really closed what it discarded.
     */
    void shutdown(long awaitCloseNanos) {
        threads.shutdownNow();
        closer.shutdown();
        try {
            closer.awaitTermination(awaitCloseNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes a physical connection off the caller's thread: a close on a dead network can block. */
    void closeAsync(Connection c) {
        closeAsync(c, null);
    }

    /** As {@link #closeAsync(Connection)}, then runs {@code afterClose} (may be null) once the connection is closed. */
    void closeAsync(Connection c, Runnable afterClose) {
        Runnable close = afterClose == null ? () -> closeQuietly(c) : () -> {
            try {
                closeQuietly(c);
            } finally {
                afterClose.run();
            }
        };
        try {
            closer.execute(close);
        } catch (RuntimeException rejected) {
            close.run();
        }
    }

    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // it is being discarded; nothing useful can be done with the failure
        }
    }

    private final class Attempt implements Runnable {
        final CompletableFuture<PooledConnection> future = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(ATTEMPT_RUNNING);
        final long budgetNanos;
        final long maxLifetimeNanos;
        volatile Thread thread;
        volatile ScheduledFuture<?> timeout;

        Attempt(long budgetNanos, long maxLifetimeNanos) {
            this.budgetNanos = budgetNanos;
            this.maxLifetimeNanos = maxLifetimeNanos;
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            long start = ticker.read();
            long startedInGeneration = generation.getAsLong();
            Object loginKey = connector.loginKey();
            PooledConnection entry = null;
            SQLException failure = null;
            Connection conn = null;
            try {
                conn = connector.connect(TimeUnit.NANOSECONDS.toMillis(budgetNanos));
                if (primaryCheck != null) {
                    primaryCheck.verify(conn, connector.describeTarget());
                }
                entry = initialize(conn, start, startedInGeneration, loginKey);
                entry.generation = startedInGeneration;
            } catch (SQLException e) {
                failure = e;
                if (conn != null) {
                    closeQuietly(conn);
                }
            } catch (RuntimeException | Error e) {
                failure = SluiceFailure.of(FailureReason.CONNECT_REFUSED, poolName, poolName + ": the driver failed while connecting: " + e, e);
                if (conn != null) {
                    closeQuietly(conn);
                }
            }
            thread = null;
            if (state.compareAndSet(ATTEMPT_RUNNING, ATTEMPT_DONE)) {
                ScheduledFuture<?> t = timeout;
                if (t != null) {
                    t.cancel(false);
                }
                if (entry != null) {
                    metrics.created.increment();
                    entry.connectNanos = ticker.read() - start;
                    metrics.create.record(entry.connectNanos);
                    future.complete(entry);
                } else {
                    metrics.createFailures.increment();
                    future.completeExceptionally(failure);
                }
            } else {
                abandoned.decrementAndGet();
                if (entry != null) {
                    closeQuietly(entry.raw);
                }
            }
        }

        void abandon() {
            if (state.compareAndSet(ATTEMPT_RUNNING, ATTEMPT_ABANDONED)) {
                abandoned.incrementAndGet();
                metrics.createFailures.increment();
                Thread t = thread;
                if (t != null) {
                    t.interrupt();
                }
                future.completeExceptionally(SluiceFailure.of(FailureReason.CONNECT_TIMEOUT, poolName,
                        poolName + ": connect to " + connector.describeTarget() + " did not complete within "
                                + TimeUnit.NANOSECONDS.toMillis(budgetNanos) + "ms; the attempt was abandoned"
                                + " (the database or network is not answering)", null));
            }
        }

        /** Applies the pool's session settings and records the defaults the return path restores. */
        private PooledConnection initialize(Connection c, long start, long gen, Object loginKey) throws SQLException {
            try {
                if (c.getAutoCommit() != config.autoCommit()) {
                    c.setAutoCommit(config.autoCommit());
                }
                if (config.transactionIsolation() != null) {
                    c.setTransactionIsolation(config.transactionIsolation());
                }
                if (config.readOnly()) {
                    c.setReadOnly(true);
                }
                if (config.catalog() != null) {
                    c.setCatalog(config.catalog());
                }
                if (config.schema() != null) {
                    c.setSchema(config.schema());
                }
                if (config.connectionInitSql() != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute(config.connectionInitSql());
                    }
                    if (!config.autoCommit()) {
                        c.commit();
                    }
                }
            } catch (SQLException e) {
                FailureReason reason = FailureClassifier.isConnectionBroken(e) ? FailureReason.CONNECT_REFUSED : FailureReason.INVALID_CONFIG;
                throw SluiceFailure.of(reason, poolName, poolName + ": a new connection could not be initialized"
                        + " (autoCommit/transactionIsolation/readOnly/catalog/schema/connectionInitSql): " + e.getMessage(), e);
            }
            long created = ticker.read();
            // 5% to 30% earlier than maxLifetime, per connection: connections opened together do not expire
            // together, and the retirement budget (a quarter of the pool per second) has room to spread them.
            // At least 5%, so a retirement the budget defers still ends before the hard expiry, where a connection
            // leaves service and waits, serving nobody, for a turn to be replaced. Up to 30%, because at 2 retirements a
            // second a pool of 8 needs 4 s, more when replacements connect slowly (a loaded database).
            long jitter = (long) (maxLifetimeNanos * (0.05 + 0.25 * ThreadLocalRandom.current().nextDouble()));
            PooledConnection e = new PooledConnection(c, ids.incrementAndGet(), created, start + maxLifetimeNanos - jitter,
                    start + maxLifetimeNanos, maxLifetimeNanos > 0);
            e.autoCommit = config.autoCommit();
            int nt;
            try {
                nt = c.getNetworkTimeout();
            } catch (SQLException | RuntimeException | AbstractMethodError unsupported) {
                nt = -1;
            }
            LastConnect before = last;
            int isolation;
            String catalog;
            String schema;
            if (before != null && before.sameLogin(gen, loginKey)) {
                isolation = before.defaults.isolation();
                catalog = before.defaults.catalog();
                schema = before.defaults.schema();
            } else {
                isolation = config.transactionIsolation() != null ? config.transactionIsolation() : c.getTransactionIsolation();
                catalog = readQuietly(c, true);
                schema = readQuietly(c, false);
            }
            SessionDefaults d = SessionDefaults.share(new SessionDefaults(config.autoCommit(), isolation, config.readOnly(), catalog,
                    schema, nt, config.pgbouncer() == PgBouncerMode.TRANSACTION,
                    config.dataSource() == null ? QueryDeadline.statementLimitOf(config.jdbcUrl()) : QueryDeadline.LIMIT_NONE),
                    before == null ? null : before.defaults);
            last = new LastConnect(gen, loginKey, d);
            e.defaults = d;
            return e;
        }

        private String readQuietly(Connection c, boolean catalog) {
            try {
                return catalog ? c.getCatalog() : c.getSchema();
            } catch (SQLException | RuntimeException | AbstractMethodError unsupported) {
                return null;
            }
        }
    }
}
