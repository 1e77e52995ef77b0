package dev.sluice.internal;

import dev.sluice.Sizing;
import dev.sluice.SizingDecision;
import dev.sluice.SluiceConfig;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Adaptive sizing attached to a pool: once per window it turns the pool's running counters into
 * a {@link SizingController.Window}, lets the controller decide, keeps the last 50 decisions,
 * reports them, and (ADAPTIVE, not ADVISORY) applies the size. The decision logic itself lives in
 * {@link SizingController}; this class is the plumbing around it.
 *
 * <p>Peak concurrency (connections in use plus callers waiting) is sampled {@value #SAMPLES_PER_WINDOW}
 * times a window on the pool's timer, and at every caller that queues: counting it on the borrow
 * path would put a shared counter on every borrow and return. Samples can miss a short peak of an
 * open load; a peak the pool was too small for is not missed, since its waiters are counted.
 */
final class AdaptiveSizing {
    private static final System.Logger LOG = System.getLogger("dev.sluice.Pool");
    private static final int LOG_SIZE = 50;
    static final int SAMPLES_PER_WINDOW = 10;

    private final SluiceConfig config;
    private final Ticker ticker;
    private final String name;
    private final PoolMetrics metrics;
    private final LongSupplier borrowsSoFar;
    private final PoolEvents events;
    private final IntSupplier waiting;
    private final IntSupplier inUse;
    /** The most in use plus waiting sampled since the window began. */
    private final AtomicInteger windowPeak = new AtomicInteger();
    private final IntConsumer applySize;
    private final SizingController controller;
    private final boolean apply;
    private final ArrayDeque<SizingDecision> decisions = new ArrayDeque<>();
    /** Guards the decision log. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Guards the controller: the window ticks on the pool's timer, on-demand growth on callers' threads. */
    private final ReentrantLock deciding = new ReentrantLock();
    /** A caller queued while someone else was deciding: the decider looks again. */
    private volatile boolean lookAgain;
    private long lastBorrows;
    private long lastHoldCount;
    private long lastHoldNanos;
    private long lastWaits;
    private long lastConnectNanos;
    private long lastAtNanos;
    private volatile boolean serverLimitRead;
    /**
     * The server's connection limit shared among the instances, once read; applied to the
     * controller by the next decision. Not applied where it is read: that is the first connect's
     * completion, which may run under the pool's fill lock, and deciding takes the fill lock
     * (growing opens connections), so taking the decision lock there could deadlock.
     */
    private volatile int serverShare = -1;

    /**
     * @param waiting   callers waiting now
     * @param inUse     connections borrowed now
     * @param applySize sets the pool's size (maximumPoolSize and minimumIdle) to the decided value
     */
    AdaptiveSizing(SluiceConfig config, Ticker ticker, PoolMetrics metrics, LongSupplier borrowsSoFar, PoolEvents events,
            IntSupplier waiting, IntSupplier inUse, IntConsumer applySize) {
        this.config = config;
        this.ticker = ticker;
        this.lastAtNanos = ticker.read();
        this.name = config.poolName();
        this.metrics = metrics;
        this.borrowsSoFar = borrowsSoFar;
        this.events = events;
        this.waiting = waiting;
        this.inUse = inUse;
        this.applySize = applySize;
        this.apply = config.sizing() == Sizing.ADAPTIVE;
        // ADAPTIVE starts small and grows with load; ADVISORY reasons about the size actually configured.
        int ceiling = config.maximumPoolSize();
        long descriptors = descriptorShare();
        if (apply && descriptors > 0 && descriptors < ceiling) {
            ceiling = (int) descriptors;
            int c = ceiling;
            LOG.log(Level.INFO, () -> name + ": adaptive sizing ceiling " + c + " = half the file descriptors this process has left");
        }
        int initial = apply ? Math.max(1, config.minimumIdle()) : config.maximumPoolSize();
        this.controller = new SizingController(Math.min(config.minimumIdle(), ceiling), ceiling, initial, config.sizingHeadroom(), 2.0, 5);
    }

    /** Whether decisions change the pool (ADAPTIVE) or are only reported (ADVISORY). */
    boolean applies() {
        return apply;
    }

    int size() {
        deciding.lock();
        try {
            return controller.size();
        } finally {
            deciding.unlock();
        }
    }

    /** An operator's resize moves the bounds; the controller sizes within them from now on. */
    void bounds(int floor, int ceiling) {
        deciding.lock();
        try {
            controller.bounds(floor, ceiling);
        } finally {
            deciding.unlock();
        }
    }

    /** Samples the concurrency between windows; on the pool's timer. */
    void sample() {
        observe(inUse.getAsInt() + waiting.getAsInt());
    }

    private void observe(int concurrency) {
        windowPeak.accumulateAndGet(concurrency, Math::max);
    }

    /** One window: measure what happened since the last one, decide, record, report, apply. */
    void tick() {
        try {
            sample();
            int peak = windowPeak.getAndSet(0);
            long now = ticker.read();
            long borrows = borrowsSoFar.getAsLong();
            long holdCount = metrics.hold.count();
            long holdNanos = metrics.hold.sumNanos();
            long waits = metrics.waitCount.sum();
            long connects = metrics.create.count();
            long connectNanos = metrics.create.sumNanos();
            long dHold = holdCount - lastHoldCount;
            double connectMean = connects == 0 ? 0 : (double) connectNanos / connects;
            SizingController.Window w = new SizingController.Window((now - lastAtNanos) / 1e9, borrows - lastBorrows,
                    dHold > 0 ? (double) (holdNanos - lastHoldNanos) / dHold : 0, connectMean, connectNanos - lastConnectNanos,
                    waiting.getAsInt(), waits - lastWaits, peak);
            lastConnectNanos = connectNanos;
            lastAtNanos = now;
            lastBorrows = borrows;
            lastHoldCount = holdCount;
            lastHoldNanos = holdNanos;
            lastWaits = waits;
            deciding.lock();
            try {
                applyServerShare();
                publish(controller.decide(w, apply, Instant.now()));
            } finally {
                deciding.unlock();
            }
        } catch (RuntimeException | Error unexpected) {
            LOG.log(Level.ERROR, name + ": sizing failed", unexpected);
        }
    }

    /**
     * A caller found every connection in use and is queued to wait: grow now rather than at the
     * next window, unless the database is slow. One caller decides at a time, counting every
     * waiter queued so far; a caller that finds someone deciding leaves a note, and the one
     * deciding looks again before it leaves, so no waiter goes uncounted (a set of waiters that
     * arrived together and will not return their connections must not be left at a size that
     * serves only some of them).
     *
     * @param inUse     connections borrowed now
     * @param heldNanos how long each borrow in flight has been held so far
     */
    void callerWaiting(IntSupplier inUse, Supplier<long[]> heldNanos) {
        lookAgain = true;
        while (lookAgain && deciding.tryLock()) {
            try {
                lookAgain = false;
                applyServerShare();
                int borrowed = inUse.getAsInt();
                int queue = waiting.getAsInt();
                observe(borrowed + queue);
                if (borrowed + queue > controller.size()) {
                    SizingDecision d = controller.onDemand(borrowed, queue, heldNanos.get(), apply, Instant.now());
                    if (d != null) {
                        publish(d);
                    }
                }
            } catch (RuntimeException | Error unexpected) {
                LOG.log(Level.ERROR, name + ": sizing failed", unexpected);
            } finally {
                deciding.unlock();
            }
        }
    }

    /** Under {@link #deciding}. */
    private void applyServerShare() {
        int share = serverShare;
        if (share > 0) {
            serverShare = -1;
            int before = controller.size();
            controller.bounds(Math.min(config.minimumIdle(), share), share);
            if (apply && controller.size() != before) {
                applySize.accept(controller.size());
            }
        }
    }

    /** Under {@link #deciding}, so sizes are applied in the order they were decided. */
    private void publish(SizingDecision d) {
        lock.lock();
        try {
            if (decisions.size() == LOG_SIZE) {
                decisions.removeFirst();
            }
            decisions.addLast(d);
        } finally {
            lock.unlock();
        }
        events.sizing(d);
        if (apply && d.toSize() != d.fromSize()) {
            applySize.accept(d.toSize());
        }
    }

    List<SizingDecision> decisions() {
        lock.lock();
        try {
            return List.copyOf(decisions);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Half the file descriptors this process may still open: every connection is a socket, and the
     * rest of the application (its files, its own server sockets, other pools) needs the other
     * half. -1 where the platform does not say (not a Unix JDK, or a runtime without jdk.management).
     */
    static long descriptorShare() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                long left = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount();
                return Math.max(1, left / 2);
            }
        } catch (LinkageError | RuntimeException notAvailable) {
            LOG.log(Level.DEBUG, () -> "file descriptor limit not available: " + notAvailable);
        }
        return -1;
    }

    boolean serverLimitRead() {
        return serverLimitRead;
    }

    /**
     * Reads the server's connection limit once, on the first connection, so adaptive sizing stays
     * within this instance's share of it (max_connections, less PostgreSQL's reserved slots,
     * divided by sizingInstances), unless the pool is a fleet member. Drivers or servers that do not say leave the ceiling alone.
     */
    void readServerLimit(Connection raw) {
        serverLimitRead = true;
        if (config.fleet() != null) {
            return; // the fleet's budget bounds the pool, share by share, instead of a static division
        }
        try {
            String product = raw.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            String sql = product.contains("postgres")
                    ? "select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
                    : product.contains("mariadb") || product.contains("mysql") ? "select @@max_connections" : null;
            if (sql == null) {
                return;
            }
            int limit;
            try (Statement st = raw.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                if (!rs.next()) {
                    return;
                }
                limit = rs.getInt(1);
            } finally {
                if (!raw.getAutoCommit()) {
                    raw.rollback();
                }
            }
            int share = Math.max(1, limit / config.sizingInstances());
            if (share < config.maximumPoolSize()) {
                serverShare = share;
                LOG.log(Level.INFO, () -> name + ": adaptive sizing ceiling " + share + " = server limit " + limit
                        + " / sizingInstances " + config.sizingInstances());
            }
        } catch (SQLException | RuntimeException ex) {
            LOG.log(Level.DEBUG, () -> name + ": could not read the server's connection limit: " + ex);
        }
    }
}
