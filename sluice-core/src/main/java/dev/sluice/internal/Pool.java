package dev.sluice.internal;

import dev.sluice.BreakerState;
import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.NestedAcquisition;
import dev.sluice.PoolStats;
import dev.sluice.Sizing;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool engine behind {@link dev.sluice.SluiceDataSource}: hand-out with deadlines and
 * validation, return with reset, creation policy, lifetime, housekeeping and shutdown. The hot
 * path is {@link #acquire} and {@link #release}; everything else is off it.
 */
public final class Pool extends RuntimeSettings {
    private static final System.Logger LOG = System.getLogger("dev.sluice.Pool");

    private static final int RUNNING = 0;
    private static final int SUSPENDED = 1;
    private static final int CLOSED = 2;

    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final ConnectionBag bag = new ConnectionBag();
    private final PoolMetrics metrics = new PoolMetrics();
    private final PhysicalConnector connector;
    private final ConnectAttempts attempts;
    private final ScheduledThreadPoolExecutor timer;
    private final ReentrantLock fillLock = new ReentrantLock();
    /**
     * Held while the breaker changes state and the change is reported: the changes come from
     * different threads (a connect finishing, the probe), and listeners must see them in the
     * order they happened, or a CLOSED could be followed by a stale HALF_OPEN.
     */
    private final ReentrantLock breakerReports = new ReentrantLock();
    /**
     * Idle connections set aside at the end of their lifetime while their replacement is opened.
     * They still count as open but not as capacity, so the replacement can be made first; they are
     * never handed out, so connections in use never exceed maximumPoolSize.
     */
    private final AtomicInteger retiring = new AtomicInteger();
    /** Retired connections whose replacement is open, waiting for their turn in the close budget. */
    private final Set<PooledConnection> closingInTurn = ConcurrentHashMap.newKeySet();
    /**
     * Connects started by {@link #fill} whose connection is not yet in the bag. Decremented only
     * after the bag holds the new entry, so open + creating never undercounts and the pool never
     * exceeds maximumPoolSize.
     */
    private final AtomicInteger creating = new AtomicInteger();

    private final long maxIdleTimeNanos;
    private final long keepaliveNanos;
    private final long bypassNanos;
    /** Borrow n is timed when {@code (n & holdSampleMask) == 0}; see {@link #holdSampleMask()}. */
    private volatile int holdSampleMask;
    private final long abandonNanos;
    private final NestedAcquisition nestedAcquisition;
    private final PoolEvents events;
    /** Nested-acquisition warnings already given, by call site, so a hot loop warns once. */
    private final Set<String> nestedWarned = ConcurrentHashMap.newKeySet();
    private final CircuitBreaker breaker;
    private final RetirementBudget retirementBudget = new RetirementBudget(System::nanoTime);
    /** Null with sizing FIXED. */
    private final AdaptiveSizing sizing;
    private volatile boolean probeScheduled;

    private volatile int state = RUNNING;
    /** Idle connections last used before this instant are validated before hand-out: a sibling broke. */
    private volatile long distrustBeforeNanos;
    private volatile long backoffUntilNanos;
    private volatile boolean fillScheduled;
    /** Set by a fill() that found fillLock taken; the holder fills again before it leaves. See fill(). */
    private volatile boolean fillRequested;
    private int consecutiveCreateFailures;
    private volatile SQLException lastConnectFailure;
    private volatile long lastConnectFailureNanos;
    private final ScheduledFuture<?> housekeeping;
    /** Run by each caller once it is queued to wait: adaptive sizing may grow the pool for it, then fill opens what is missing. */
    private final Runnable onQueued;

    public Pool(SluiceConfig config) throws SQLException {
        super(config);
        this.maxIdleTimeNanos = config.maxIdleTime().toNanos();
        this.keepaliveNanos = config.keepaliveTime().toNanos();
        this.bypassNanos = config.validationBypassWindow().toNanos();
        this.abandonNanos = config.abandonTimeout().toNanos();
        this.nestedAcquisition = config.nestedAcquisition();
        this.events = new PoolEvents(name, config.listeners());
        this.sizing = config.sizing() == Sizing.FIXED ? null
                : new AdaptiveSizing(config, metrics, bag::borrows, events, bag::waiting, size -> applySize(size, size));
        this.onQueued = sizing == null ? this::fill : () -> {
            sizing.callerWaiting(() -> bag.size() - idleCount(), this::heldNanos);
            fill();
        };
        this.breaker = new CircuitBreaker(config.breakerFailureThreshold(), config.breakerFailureRateThreshold(),
                config.breakerWindow().toNanos(), TimeUnit.MILLISECONDS.toNanos(20), config.breakerMaxProbeInterval().toNanos(),
                System::nanoTime);
        this.distrustBeforeNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
        this.holdSampleMask = holdSampleMask();
        this.connector = new PhysicalConnector(config);
        this.timer = new ScheduledThreadPoolExecutor(1, PoolThreads.factory(name + "-housekeeper"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.attempts = new ConnectAttempts(config, connector, timer, metrics);
        try {
            if (!config.initializationFailTimeout().isNegative()) {
                startupCheck(config.initializationFailTimeout().toNanos());
            }
        } catch (SQLException | RuntimeException e) {
            timer.shutdownNow();
            attempts.shutdown(0);
            throw e;
        }
        long period = housekeepingPeriodNanos();
        this.housekeeping = timer.scheduleWithFixedDelay(this::housekeep, period, period, TimeUnit.NANOSECONDS);
        if (sizing != null) {
            if (sizing.applies()) {
                applySize(sizing.size(), sizing.size());
            }
            long every = config.sizingInterval().toNanos();
            timer.scheduleWithFixedDelay(sizing::tick, every, every, TimeUnit.NANOSECONDS);
        }
        fill();
        // INFO, as HikariCP's "Start completed": operators look for the pool's name at the default level.
        // The knobs set explicitly come along (the password hidden), so the one line answers "what did we configure?".
        LOG.log(Level.INFO, () -> name + " - started: " + (config.jdbcUrl() != null ? "url=" + Redaction.url(config.jdbcUrl())
                : "dataSource=" + connector.describeTarget()) + ", maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle
                + ", open=" + bag.size() + ", set=" + setBesidesUrl());
        if (!config.derivations().isEmpty()) {
            // Once, at start: a value the user never chose changed because of one they did.
            LOG.log(Level.INFO, () -> name + " - derived from the knobs set: " + String.join("; ", config.derivations().values()));
        }
        if (!config.inertProperties().isEmpty()) {
            LOG.log(Level.INFO, () -> name + " - HikariCP properties accepted without effect in Sluice: " + config.inertProperties());
        }
    }

    private Map<String, String> setBesidesUrl() {
        Map<String, String> set = new java.util.LinkedHashMap<>(config.explicitSettings());
        set.remove("jdbcUrl"); // the start line shows it already
        return set;
    }

    // ---------------------------------------------------------------- start-up

    private static final long STARTUP_RETRY_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * Opens the first connection in the constructor, so a wrong URL, a dead server or bad
     * credentials surface at start-up, classified. Transient failures are retried until
     * {@code initializationFailTimeout}; each attempt is bounded by {@code connectionTimeout}, so
     * the whole check ends within their sum even when the network swallows the connect.
     */
    private void startupCheck(long initFailNanos) throws SQLException {
        long start = System.nanoTime();
        long loggedAt = 0;
        for (int attempt = 0; ; attempt++) {
            CompletableFuture<PooledConnection> f = attempts.create(connectionTimeoutNanos, maxLifetimeNanos);
            try {
                PooledConnection e = boundedGet(f);
                creating.incrementAndGet(); // added() settles it, as for connects started by fill()
                added(e);
                return;
            } catch (ExecutionException ex) {
                SQLException cause = ex.getCause() instanceof SQLException s ? s
                        : SluiceFailure.of(FailureReason.CONNECT_REFUSED, name, name + ": connect failed", ex.getCause());
                noteConnectFailure(cause);
                boolean retry = SluiceFailure.reasonOf(cause).map(FailureReason::isTransient).orElse(true)
                        && System.nanoTime() - start < initFailNanos;
                boolean isTransient = SluiceFailure.reasonOf(cause).map(FailureReason::isTransient).orElse(true);
                if (initFailNanos == 0 && isTransient) {
                    // HikariCP's meaning of 0: one attempt, and a database that cannot be reached does not stop
                    // the start; a configuration the database rejects (credentials, unknown database) still does.
                    LOG.log(Level.WARNING, () -> name + " - started without a connection: the one start-up attempt failed ("
                            + SluiceFailure.reasonOf(cause).orElse(FailureReason.CONNECT_REFUSED) + ": " + cause.getMessage()
                            + "); initializationFailTimeout=0 starts anyway, and the pool connects once the database answers");
                    return;
                }
                if (!retry) {
                    FailureReason reason = SluiceFailure.reasonOf(cause).orElse(FailureReason.CONNECT_REFUSED);
                    String detail = cause.getMessage() != null && cause.getMessage().startsWith(name + ": ")
                            ? cause.getMessage().substring(name.length() + 2) : cause.getMessage();
                    throw SluiceFailure.of(reason, name, name + " could not start: " + detail, cause);
                }
                long waited = System.nanoTime() - start;
                if (attempt == 0 || waited - loggedAt >= STARTUP_RETRY_LOG_INTERVAL_NANOS) {
                    // A long initializationFailTimeout must not look like a hang: say what fails, at most every few seconds.
                    loggedAt = waited;
                    int failedAttempts = attempt + 1;
                    LOG.log(Level.WARNING, () -> name + " - start-up check: attempt " + failedAttempts + " failed ("
                            + SluiceFailure.reasonOf(cause).orElse(FailureReason.CONNECT_REFUSED) + ": "
                            + (cause.getMessage() != null && cause.getMessage().startsWith(name + ": ")
                                    ? cause.getMessage().substring(name.length() + 2) : cause.getMessage())
                            + "); retrying for up to " + TimeUnit.NANOSECONDS.toMillis(initFailNanos - waited)
                            + "ms more (initializationFailTimeout=" + TimeUnit.NANOSECONDS.toMillis(initFailNanos) + "ms)");
                }
                long pause = Math.min(backoffNanos(attempt + 1), initFailNanos - (System.nanoTime() - start));
                if (pause > 0) {
                    LockSupport.parkNanos(pause);
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw SluiceFailure.of(FailureReason.CONNECT_TIMEOUT, name, name + " start-up was interrupted", ie);
            }
        }
    }

    /**
     * Waits for a start-up connect no longer than its own budget plus a second. The attempt is
     * abandoned at its budget by the housekeeper thread; this bound holds even if that thread is
     * late: the constructor's bound must not depend on another thread being on time. A
     * connection that still arrives afterwards is closed, not leaked.
     */
    private PooledConnection boundedGet(CompletableFuture<PooledConnection> f) throws ExecutionException, InterruptedException {
        try {
            return f.get(connectionTimeoutNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException late) {
            f.thenAccept(e -> ConnectAttempts.closeQuietly(e.raw));
            throw new ExecutionException(SluiceFailure.of(FailureReason.CONNECT_TIMEOUT, name, name + ": connect to "
                    + connector.describeTarget() + " did not complete within " + TimeUnit.NANOSECONDS.toMillis(connectionTimeoutNanos)
                    + "ms (the database or network is not answering)", null));
        }
    }

    // ---------------------------------------------------------------- borrow

    /**
     * Hands out a connection within {@code connectionTimeout}. The common case reads no clock and
     * takes no lock: one scan of the entries, one CAS, checks against the {@link CoarseClock}, a
     * count in the entry and one handle allocation. Anything else (nothing idle, a connection
     * that may be stale or past its lifetime, a pool that is not running) takes the timed path.
     */
    public ConnectionHandle acquire() throws SQLException {
        PooledConnection e = null;
        if (state == RUNNING) {
            e = bag.poll(Thread.currentThread().getId());
            if (e != null && fresh(e, CoarseClock.now())) {
                return handOut(e);
            }
        }
        long now = System.nanoTime();
        return acquire(e, now, now + connectionTimeoutNanos, false, 0);
    }

    /**
     * Whether an idle connection may be handed out without a look: not near the end of its
     * lifetime, not idle for (nearly) the validation-bypass window, not under suspicion. Each
     * bound is one tick tighter than the knob, so the coarse clock's lag can only make the pool
     * validate early, never skip a validation.
     */
    private boolean fresh(PooledConnection e, long coarseNow) {
        long lastUsed = e.lastUsedNanos;
        return coarseNow - lastUsed <= bypassNanos - CoarseClock.TICK_NANOS
                && !(e.hasLifetime && coarseNow - e.expiresAtNanos >= -CoarseClock.TICK_NANOS)
                && lastUsed - distrustBeforeNanos >= 0;
    }

    /** The untimed hand-out: a sample of borrows (or all, when something needs it) is timed for hold statistics. */
    private ConnectionHandle handOut(PooledConnection e) {
        long n = e.countBorrow();
        e.borrower = Thread.currentThread();
        if ((n & holdSampleMask) == 0) {
            e.borrowedAtNanos = System.nanoTime();
            e.holdTimed = true;
            if (leakThresholdNanos > 0) {
                recordBorrowSite(e);
            }
        } else {
            e.holdTimed = false;
        }
        ConnectionHandle h = new ConnectionHandle(e);
        if (events.hasListeners) {
            events.acquired(0);
        }
        return h;
    }

    /** Every borrow is timed when leak detection, abandon reclaim, a listener or adaptive sizing needs it; else 1 in 16. */
    private int holdSampleMask() {
        return leakThresholdNanos > 0 || abandonNanos > 0 || events.hasListeners || sizing != null ? 0 : 15;
    }

    /**
     * Hands out a connection before {@code deadlineNanos}: the timed path.
     *
     * @param scoped             the caller is inside a scoped {@link dev.sluice.Deadline}: the borrow's
     *                           statements and network timeout are bounded by it (see {@link QueryDeadline})
     * @param scopeExpiresAtNanos when that Deadline expires; not {@code deadlineNanos}, which is the
     *                           sooner of it and connectionTimeout and bounds only the acquisition
     */
    public ConnectionHandle acquire(long startNanos, long deadlineNanos, boolean scoped, long scopeExpiresAtNanos)
            throws SQLException {
        return acquire(null, startNanos, deadlineNanos, scoped, scopeExpiresAtNanos);
    }

    /** @param polled an entry the caller already claimed, to be checked first; or null */
    private ConnectionHandle acquire(PooledConnection polled, long startNanos, long deadlineNanos, boolean scoped,
            long scopeExpiresAtNanos) throws SQLException {
        CoarseClock.advance(startNanos);
        try {
            return borrow(polled, startNanos, deadlineNanos, scoped, scopeExpiresAtNanos);
        } catch (SQLException failure) {
            acquireFailed(failure, startNanos);
            throw failure;
        }
    }

    private void acquireFailed(SQLException failure, long startNanos) {
        if (events.hasListeners) {
            events.acquireFailed(SluiceFailure.reasonOf(failure).orElse(FailureReason.ACQUIRE_TIMEOUT),
                    Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }

    private ConnectionHandle borrow(PooledConnection polled, long startNanos, long deadlineNanos, boolean scoped,
            long scopeExpiresAtNanos) throws SQLException {
        if (state != RUNNING) {
            if (polled != null) {
                bag.offer(polled);
                polled = null;
            }
            awaitRunning(startNanos, deadlineNanos);
        }
        long tid = Thread.currentThread().getId();
        PooledConnection e = polled != null ? polled : bag.poll(tid);
        long now = startNanos;
        FailureReason discardedFor = null;
        for (;;) {
            if (e == null) {
                e = waitForConnection(tid, startNanos, deadlineNanos, discardedFor);
                now = System.nanoTime();
            }
            if (e.hasLifetime && now - e.expiresAtNanos >= 0) {
                discard(e, CloseReason.MAX_LIFETIME);
            } else if (now - e.lastUsedNanos > bypassNanos || e.lastUsedNanos - distrustBeforeNanos < 0) {
                if (deadlineNanos - now <= 0) {
                    // No time left to check it: the connection may be fine, so it goes back, not away.
                    bag.offer(e);
                    metrics.acquireTimeouts.increment();
                    throw timeout(startNanos, discardedFor);
                }
                if (validate(e, deadlineNanos)) {
                    now = System.nanoTime();
                    break;
                }
                metrics.validationFailures.increment();
                discard(e, CloseReason.VALIDATION_FAILED);
                discardedFor = FailureReason.VALIDATION_FAILED;
            } else {
                break;
            }
            now = System.nanoTime();
            e = now - deadlineNanos < 0 ? bag.poll(tid) : null;
        }
        e.countBorrow();
        e.borrowedAtNanos = now;
        e.holdTimed = true;
        e.borrower = Thread.currentThread();
        if (leakThresholdNanos > 0) {
            recordBorrowSite(e);
        }
        ConnectionHandle h = new ConnectionHandle(e);
        if (scoped) {
            applyDeadline(e, scopeExpiresAtNanos, now);
        }
        metrics.acquire.record(now - startNanos);
        if (events.hasListeners) {
            events.acquired(now - startNanos);
        }
        return h;
    }

    private void recordBorrowSite(PooledConnection e) {
        e.borrowSite = new Throwable("borrowed here");
        e.borrowThread = Thread.currentThread().getName();
        e.leakReported = false;
        if (config.borrowContext() != null) {
            try {
                e.borrowContext = config.borrowContext().get();
            } catch (RuntimeException ex) {
                e.borrowContext = "borrowContext supplier failed: " + ex;
            }
        }
    }

    /**
     * A borrow inside a scoped Deadline: its statements are stopped by the server just before the
     * deadline (see {@link QueryDeadline}), and its network timeout is set to the time left, so a
     * statement stuck on a dead network ends at the deadline.
     */
    private void applyDeadline(PooledConnection e, long deadlineNanos, long now) {
        e.deadlined = true;
        e.deadlineNanos = deadlineNanos;
        if (e.defaultNetworkTimeout < 0) {
            return;
        }
        try {
            e.raw.setNetworkTimeout(DirectExecutor.INSTANCE, QueryDeadline.networkTimeoutMillis(deadlineNanos - now));
            e.changed(PooledConnection.NETWORK_TIMEOUT);
        } catch (SQLException | RuntimeException unsupported) {
            e.defaultNetworkTimeout = -1; // the driver cannot; do not try again on this connection
        }
    }

    private PooledConnection waitForConnection(long tid, long startNanos, long deadlineNanos, FailureReason discardedFor)
            throws SQLException {
        rejectIfClosed();
        failFastOnPermanentConnectFailure();
        if (breaker.isOpen() && bag.size() == 0) {
            throw breakerOpen(startNanos);
        }
        if (nestedAcquisition != NestedAcquisition.ALLOW) {
            checkNested();
        }
        metrics.waitCount.increment();
        JfrEvents.Acquire event = events.beginWait();
        String outcome = "TIMEOUT";
        PooledConnection e = null;
        try {
            e = bag.await(tid, deadlineNanos, onQueued);
        } catch (SQLException delivered) {
            FailureReason reason = SluiceFailure.reasonOf(delivered).orElse(FailureReason.CONNECT_REFUSED);
            outcome = reason.name();
            throw SluiceFailure.of(reason, name, delivered.getMessage(), delivered.getCause() != null ? delivered.getCause() : delivered);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            outcome = "INTERRUPTED";
            throw new SQLException(name + ": interrupted while waiting for a connection", "08001", ie);
        } finally {
            metrics.waitNanos.add(System.nanoTime() - startNanos);
            events.endWait(event, e != null ? "ACQUIRED" : outcome);
        }
        if (e == null) {
            metrics.acquireTimeouts.increment();
            throw timeout(startNanos, discardedFor);
        }
        return e;
    }

    /**
     * The calling thread is about to wait: if it already holds one of this pool's connections,
     * that is the nested-acquisition deadlock pattern. Looking only now, on the slow path, keeps
     * the check off the fast path; the borrower field it reads is one plain write per borrow.
     */
    private void checkNested() throws SQLException {
        Thread me = Thread.currentThread();
        PooledConnection held = null;
        for (PooledConnection c : bag.snapshot()) {
            if (c.borrower == me && c.state() == PooledConnection.IN_USE) {
                held = c;
                break;
            }
        }
        if (held == null) {
            return;
        }
        metrics.nestedAcquisitions.increment();
        Throwable requestSite = new Throwable("second borrow requested here");
        Throwable heldSite = held.borrowSite;
        events.nested(me.getName(), heldSite, requestSite);
        String first = heldSite == null ? "unknown (set leakDetectionThreshold to record borrow sites)" : frame(heldSite);
        String second = frame(requestSite);
        String message = name + ": thread " + me.getName() + " already holds a connection (borrowed at " + first
                + ") and asks for another (at " + second + ") with none idle: with a pool of " + maximumPoolSize
                + " this deadlocks once enough threads do it";
        if (nestedAcquisition == NestedAcquisition.FAIL) {
            throw SluiceFailure.of(FailureReason.NESTED_ACQUISITION, name, message + " (nestedAcquisition=FAIL)", requestSite);
        }
        if (nestedWarned.size() < 1000 && nestedWarned.add(second)) {
            requestSite.addSuppressed(heldSite != null ? heldSite : new Throwable("first borrow site not recorded"));
            LOG.log(Level.WARNING, message + " (nestedAcquisition=WARN; warned once per call site)", requestSite);
        }
    }

    /** The first frame outside Sluice and the JDK: where the application asked. */
    private static String frame(Throwable site) {
        for (StackTraceElement f : site.getStackTrace()) {
            String c = f.getClassName();
            if (!c.startsWith("dev.sluice.internal.") && !c.equals("dev.sluice.SluiceDataSource") && !c.startsWith("java.")
                    && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
                return f.toString();
            }
        }
        StackTraceElement[] st = site.getStackTrace();
        return st.length > 0 ? st[st.length - 1].toString() : "?";
    }

    private void rejectIfClosed() throws SQLException {
        int s = state;
        if (s == CLOSED) {
            throw SluiceFailure.of(FailureReason.POOL_CLOSED, name, name + " is closed", null);
        }
    }

    /**
     * A suspended pool holds new callers until it is resumed or their deadline passes. Polling
     * is fine here: suspension is an operator action, rare and short, and a parked poll does not
     * pin a virtual thread.
     */
    private void awaitRunning(long startNanos, long deadlineNanos) throws SQLException {
        for (;;) {
            int s = state;
            if (s == RUNNING) {
                return;
            }
            rejectIfClosed();
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                metrics.acquireTimeouts.increment();
                throw SluiceFailure.of(FailureReason.POOL_SUSPENDED, name, name + ": the pool is suspended and was not resumed within "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + "ms", null);
            }
            LockSupport.parkNanos(this, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(5)));
        }
    }

    // ---------------------------------------------------------------- runtime control

    /** Holds new borrowers until {@link #resume()} (they fail with POOL_SUSPENDED at their deadline). */
    public void suspend() {
        if (state == RUNNING) {
            state = SUSPENDED;
            LOG.log(Level.INFO, () -> name + " suspended");
            events.suspended(true);
        }
    }

    public void resume() {
        if (state == SUSPENDED) {
            state = RUNNING;
            LOG.log(Level.INFO, () -> name + " resumed");
            events.suspended(false);
        }
    }

    public boolean isSuspended() {
        return state == SUSPENDED;
    }

    /** Closes idle connections now; with {@code borrowedToo}, borrowed ones close when returned (soft evict, e.g. after a failover). */
    public void evict(boolean borrowedToo) {
        for (PooledConnection e : bag.snapshot()) {
            if (reserve(e)) {
                discard(e, CloseReason.EVICTED);
            } else if (borrowedToo && e.state() == PooledConnection.IN_USE
                    && (e.retireOnReturn == null || e.retireOnReturn == CloseReason.MAX_LIFETIME)) { // evict wins over a lifetime retirement waiting for its budget
                e.retireOnReturn = CloseReason.EVICTED;
            }
        }
        fill();
    }

    @Override
    void resized(int newMaximumPoolSize, int newMinimumIdle) {
        if (sizing != null) {
            // An operator's resize moves the adaptive bounds: the controller then sizes within them.
            sizing.bounds(newMinimumIdle, newMaximumPoolSize);
            if (sizing.applies()) {
                applySize(sizing.size(), sizing.size());
                return;
            }
        }
        applySize(newMaximumPoolSize, newMinimumIdle);
    }

    private void applySize(int newMaximumPoolSize, int newMinimumIdle) {
        size(newMaximumPoolSize, newMinimumIdle);
        LOG.log(Level.INFO, () -> name + " resized: maximumPoolSize=" + newMaximumPoolSize + ", minimumIdle=" + newMinimumIdle);
        events.resized(newMaximumPoolSize, newMinimumIdle);
        for (PooledConnection e : bag.snapshot()) {
            if (bag.size() - retiring.get() <= newMaximumPoolSize) {
                break;
            }
            if (reserve(e)) {
                discard(e, CloseReason.EVICTED);
            }
        }
        fill();
    }

    @Override
    void leakThresholdChanged() {
        holdSampleMask = holdSampleMask();
    }

    @Override
    PhysicalConnector connector() {
        return connector;
    }

    /**
     * The breaker is open and no connection exists that could be returned: waiting could only end
     * in a timeout, so the caller fails now, in microseconds, with the cause attached.
     */
    private SQLException breakerOpen(long startNanos) {
        metrics.breakerRejections.increment();
        SQLException last = lastConnectFailure;
        long openFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - breaker.openedAtNanos());
        return SluiceFailure.of(FailureReason.BREAKER_OPEN, name, name + ": circuit breaker open for " + openFor
                + "ms after repeated connect failures; failing fast instead of waiting (the pool probes the database and"
                + " closes the breaker when it answers)" + (last != null ? "; last connect failure: " + last.getMessage() : ""), last);
    }

    /** With no connection open and a non-transient connect failure fresh, a new caller fails at once. */
    private void failFastOnPermanentConnectFailure() throws SQLException {
        SQLException last = lastConnectFailure;
        if (last != null && bag.size() == 0 && System.nanoTime() - backoffUntilNanos < 0) {
            FailureReason reason = SluiceFailure.reasonOf(last).orElse(FailureReason.CONNECT_REFUSED);
            if (!reason.isTransient()) {
                throw SluiceFailure.of(reason, name, last.getMessage(), last.getCause() != null ? last.getCause() : last);
            }
        }
    }

    private SQLException timeout(long startNanos, FailureReason discardedFor) {
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        SQLException last = lastConnectFailure;
        boolean connectFailing = last != null && System.nanoTime() - lastConnectFailureNanos < connectionTimeoutNanos + waited * 1_000_000L;
        FailureReason reason = FailureReason.ACQUIRE_TIMEOUT;
        if (discardedFor != null) {
            reason = discardedFor;
        } else if (connectFailing && bag.size() == 0) {
            reason = SluiceFailure.reasonOf(last).orElse(FailureReason.ACQUIRE_TIMEOUT);
        }
        StringBuilder m = new StringBuilder(name).append(": connection not available within ").append(waited).append("ms (")
                .append(reason).append("); ").append(stateLine());
        if (connectFailing) {
            m.append("; last connect failure: ").append(last.getMessage());
        }
        return SluiceFailure.of(reason, name, m.toString(), connectFailing ? last : null);
    }

    private String stateLine() {
        int open = 0;
        int inUse = 0;
        int idle = 0;
        for (PooledConnection e : bag.snapshot()) {
            open++;
            int s = e.state();
            if (s == PooledConnection.IN_USE) {
                inUse++;
            } else if (s == PooledConnection.IDLE) {
                idle++;
            }
        }
        return "total=" + open + ", inUse=" + inUse + ", idle=" + idle + ", waiting=" + bag.waiting()
                + ", creating=" + creating.get() + ", max=" + maximumPoolSize;
    }

    /**
     * Checks a connection that sat idle past the bypass window. The check never runs past the
     * caller's deadline: the driver's network timeout is set to the time left first (PostgreSQL's
     * {@code isValid} honours a shorter existing one), so a dead peer fails the check in time.
     */
    private boolean validate(PooledConnection e, long deadlineNanos) {
        long budget = Math.min(validationTimeoutNanos, deadlineNanos - System.nanoTime());
        if (budget <= 0) {
            return false;
        }
        int budgetMs = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(budget));
        boolean netTimeout = e.defaultNetworkTimeout >= 0;
        try {
            if (netTimeout) {
                e.raw.setNetworkTimeout(DirectExecutor.INSTANCE, budgetMs);
            }
            boolean ok;
            int seconds = Math.max(1, (budgetMs + 999) / 1000);
            String query = config.connectionTestQuery();
            if (query == null) {
                ok = e.raw.isValid(seconds);
            } else {
                try (Statement s = e.raw.createStatement()) {
                    s.setQueryTimeout(seconds);
                    s.execute(query);
                }
                if (!e.raw.getAutoCommit()) {
                    e.raw.rollback();
                }
                ok = true;
            }
            if (ok && netTimeout) {
                e.raw.setNetworkTimeout(DirectExecutor.INSTANCE, e.defaultNetworkTimeout);
            }
            if (ok) {
                e.lastUsedNanos = System.nanoTime();
            }
            return ok;
        } catch (SQLException | RuntimeException failed) {
            LOG.log(Level.DEBUG, () -> name + ": validation of " + e + " failed: " + failed);
            return false;
        }
    }

    // ---------------------------------------------------------------- return

    /** The return path: reset what the borrower changed, then hand to a waiter or make idle. */
    void release(PooledConnection e) {
        long now;
        long held;
        if (e.holdTimed) {
            now = System.nanoTime();
            held = now - e.borrowedAtNanos;
            metrics.hold.record(held);
            CoarseClock.advance(now);
        } else {
            // Untimed borrows make idle-time bookkeeping coarse, which the checks that read it allow for.
            now = CoarseClock.now();
            held = 0;
        }
        e.borrower = null;
        if (events.hasListeners) {
            events.returned(held);
        }
        if (e.borrowSite != null) {
            if (e.leakReported) {
                LOG.log(Level.INFO, () -> name + ": connection previously reported as possibly leaked was returned after "
                        + TimeUnit.NANOSECONDS.toMillis(held) + "ms by thread " + e.borrowThread);
                events.leakResolved(e, held);
            }
            e.borrowSite = null;
            e.borrowContext = null;
        }
        try {
            e.reset();
        } catch (SQLException ex) {
            inspect(e, ex);
            LOG.log(Level.DEBUG, () -> name + ": reset on return failed, closing " + e + ": " + ex);
            discard(e, e.broken ? CloseReason.BROKEN : CloseReason.EVICTED);
            return;
        }
        if (e.broken) {
            discard(e, CloseReason.BROKEN);
            return;
        }
        CloseReason retire = e.retireOnReturn;
        if (retire == CloseReason.MAX_LIFETIME && state != CLOSED && !(bag.size() - retiring.get() > maximumPoolSize && shrunk())) {
            // Found by sluice-it S7: a connection whose lifetime ended while it was borrowed is retired like
            // an idle one, within the retirement budget and replacement first; when the budget is spent it
            // serves on, and a later return (or lifetimeReached, once it is idle) retires it.
            e.lastUsedNanos = now;
            e.lastReturnedNanos = now;
            long[] token = retiring.get() < config.maxConcurrentCreates() ? retirementBudget.acquire(maximumPoolSize) : null;
            if (token == null) {
                bag.offerReturned(e);
            } else {
                e.retireOnReturn = null;
                e.setState(PooledConnection.RESERVED); // never handed out again while its replacement opens
                replaceThenRetire(e, token);
            }
            return;
        }
        if (retire != null) {
            discard(e, retire);
            return;
        }
        if (state == CLOSED) {
            discard(e, CloseReason.POOL_CLOSED);
            return;
        }
        if (bag.size() - retiring.get() > maximumPoolSize && shrunk()) { // confirmed under the lock: see shrunk()
            discard(e, CloseReason.EVICTED); // the pool was shrunk while this one was borrowed
            return;
        }
        if (exceedsMaxIdle()) {
            discard(e, CloseReason.MAX_IDLE);
            return;
        }
        e.lastUsedNanos = now;
        e.lastReturnedNanos = now;
        bag.offerReturned(e);
    }

    /**
     * Whether the pool holds more connections than maximumPoolSize, not counting those set aside for
     * replacement. Read under fillLock, where both change together: read apart, a retirement finishing
     * in between looks like a shrunk pool (found by sluice-it S7: a busy connection was then closed
     * at once, outside the retirement budget and before its replacement).
     */
    private boolean shrunk() {
        boolean shrunk;
        fillLock.lock();
        try {
            shrunk = bag.size() - retiring.get() > maximumPoolSize;
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
        return shrunk;
    }

    /**
     * Looks at a driver exception raised on a borrowed connection. A broken connection is retired
     * on return, and every idle sibling is validated before its next hand-out: when the server
     * killed one backend, it has usually killed them all.
     */
    void inspect(PooledConnection e, SQLException ex) {
        if (!e.broken && FailureClassifier.isConnectionBroken(ex)) {
            e.broken = true;
            distrustBeforeNanos = System.nanoTime();
        }
    }

    void abortBorrowed(PooledConnection e, Executor executor) throws SQLException {
        if (e.markRemoved()) {
            bag.remove(e);
            recordClose(e, CloseReason.ABORTED);
            try {
                abortPhysical(e.raw, executor);
            } finally {
                fill();
            }
        }
    }

    /**
     * Aborts a physical connection and makes sure it really ends. Some drivers' abort does nothing
     * (H2's is empty), so a connection still open afterwards is closed on a pool thread, where a
     * close that blocks harms nobody. Found by sluice-it: aborted H2 sessions stayed open on the server.
     */
    private void abortPhysical(java.sql.Connection raw, Executor executor) throws SQLException {
        try {
            raw.abort(executor);
        } finally {
            boolean closed;
            try {
                closed = raw.isClosed();
            } catch (SQLException | RuntimeException unknown) {
                closed = false;
            }
            if (!closed) {
                attempts.closeAsync(raw);
            }
        }
    }

    /**
     * How long each borrow in flight has been held so far, for on-demand sizing. Read without
     * synchronising with the borrowers: a start time older than the entry's last return belongs
     * to the previous borrow, and that borrow counts as just begun.
     */
    private long[] heldNanos() {
        long now = System.nanoTime();
        PooledConnection[] all = bag.snapshot();
        long[] held = new long[all.length];
        int n = 0;
        for (PooledConnection e : all) {
            if (e.state() == PooledConnection.IN_USE) {
                long at = e.borrowedAtNanos;
                held[n++] = at - e.lastReturnedNanos >= 0 ? Math.max(0, now - at) : 0;
            }
        }
        return Arrays.copyOf(held, n);
    }

    private int idleCount() {
        int idle = 0;
        for (PooledConnection e : bag.snapshot()) {
            if (e.state() == PooledConnection.IDLE) {
                idle++;
            }
        }
        return idle;
    }

    /** Closes an entry the caller holds (or that is idle and reserved) for {@code reason}. */
    private void discard(PooledConnection e, CloseReason reason) {
        if (e.markRemoved()) {
            if (e.setAsideForReplacement) {
                // Under fillLock, with the entry leaving the bag: fill() must never see the bag without it but
                // "retiring" still counting it, or it opens one connection too many (found by sluice-it StressTest
                // once release() started replacing busy connections too; see replaceThenRetire).
                fillLock.lock();
                try {
                    e.setAsideForReplacement = false;
                    retiring.decrementAndGet();
                    bag.remove(e);
                } finally {
                    fillLock.unlock();
                }
                serveFillRequest();
            } else {
                bag.remove(e);
            }
            recordClose(e, reason);
            attempts.closeAsync(e.raw);
            LOG.log(Level.TRACE, () -> name + ": closed " + e + " (" + reason + ")");
        }
        fill();
    }

    private void recordClose(PooledConnection e, CloseReason reason) {
        metrics.closed(reason);
        events.closed(e, reason);
    }

    // ---------------------------------------------------------------- creation

    /**
     * Starts connects while there is demand (waiters, or idle below minimumIdle) and room (open,
     * less those being retired, plus connects under way, below maximumPoolSize; connects under
     * way below maxConcurrentCreates). After failures it backs off, exponentially with jitter.
     */
    void fill() {
        if (state == CLOSED || bag.size() - retiring.get() + creating.get() >= maximumPoolSize) {
            return;
        }
        if (!breaker.allowsConnect()) {
            scheduleProbe();
            return;
        }
        // Never waits for fillLock: callers run this on their deadline path (ConnectionBag.await's
        // onQueued), and a lock() there held a caller 638 ms past its deadline in DeadlineUnderLoadTest
        // while the holder was descheduled on a loaded machine. A caller that finds the lock taken leaves
        // a request; the holder looks again after it unlocks, so no demand goes unseen: either the
        // request is set before the holder's final check, or the holder has unlocked and tryLock wins.
        fillRequested = true;
        while (fillRequested && fillLock.tryLock()) {
            try {
                fillRequested = false;
                fillLocked();
            } finally {
                fillLock.unlock();
            }
            // the loop condition re-reads fillRequested: a request left while this thread held the lock
        }
    }

    /**
     * Called by every holder of fillLock other than fill() itself right after it unlocks: a
     * caller's fill() that found the lock taken by it left a request, and someone must act on it.
     */
    private void serveFillRequest() {
        if (fillRequested && !fillLock.isHeldByCurrentThread()) {
            fill();
        }
    }

    /** Under fillLock: starts the connects that demand and room allow. */
    private void fillLocked() {
        for (;;) {
            int underWay = creating.get();
            if (state == CLOSED || bag.size() - retiring.get() + underWay >= maximumPoolSize
                    || underWay >= config.maxConcurrentCreates()) {
                return;
            }
            int demand = Math.max(bag.waiting() - underWay, minimumIdle - idleCount() - underWay);
            if (demand <= 0) {
                return;
            }
            long wait = backoffUntilNanos - System.nanoTime();
            if (wait > 0) {
                scheduleFill(wait);
                return;
            }
            creating.incrementAndGet();
            attempts.create(connectionTimeoutNanos, maxLifetimeNanos).whenComplete((e, ex) -> {
                if (e != null) {
                    added(e);
                } else {
                    creating.decrementAndGet();
                    createFailed(ex);
                }
            });
        }
    }

    private void scheduleFill(long delayNanos) {
        if (!fillScheduled) {
            fillScheduled = true;
            try {
                timer.schedule(() -> {
                    fillScheduled = false;
                    fill();
                }, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RuntimeException rejected) {
                fillScheduled = false;
            }
        }
    }

    private void added(PooledConnection e) {
        if (state == CLOSED) {
            creating.decrementAndGet();
            e.markRemoved();
            recordClose(e, CloseReason.POOL_CLOSED);
            ConnectAttempts.closeQuietly(e.raw);
            return;
        }
        synchronizedResetBackoff();
        if (sizing != null && !sizing.serverLimitRead()) {
            sizing.readServerLimit(e.raw);
        }
        e.pool = this;
        bag.add(e);
        creating.decrementAndGet();
        events.created(e);
        if (e.hasLifetime) {
            scheduleLifetime(e);
        }
        if (exceedsMaxIdle()) {
            e.compareAndSetState(PooledConnection.RESERVED, PooledConnection.IN_USE);
            discard(e, CloseReason.MAX_IDLE); // it came too late to be useful, and keeping it would break maxIdle
            return;
        }
        bag.offerNew(e);
        fill();
    }

    /** Whether one more idle connection would exceed maxIdle (Go's SetMaxIdleConns), with nobody waiting. */
    private boolean exceedsMaxIdle() {
        int mi = maxIdle;
        return mi < maximumPoolSize && bag.waiting() == 0 && idleCount() >= mi;
    }

    private void synchronizedResetBackoff() {
        fillLock.lock();
        try {
            consecutiveCreateFailures = 0;
            backoffUntilNanos = System.nanoTime();
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
        breakerReports.lock();
        try {
            CircuitBreaker.Transition t = breaker.onSuccess();
            if (t.changed()) {
                breakerChanged(t, null);
            }
        } finally {
            breakerReports.unlock();
        }
    }

    private void createFailed(Throwable ex) {
        SQLException failure = ex instanceof SQLException s ? s
                : SluiceFailure.of(FailureReason.CONNECT_REFUSED, name, name + ": connect failed: " + ex, ex);
        noteConnectFailure(failure);
        fillLock.lock();
        try {
            consecutiveCreateFailures++;
            backoffUntilNanos = System.nanoTime() + backoffNanos(consecutiveCreateFailures);
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
        LOG.log(Level.DEBUG, () -> name + ": connect failed: " + failure.getMessage());
        boolean permanent = !SluiceFailure.reasonOf(failure).map(FailureReason::isTransient).orElse(true);
        if (permanent) {
            // Nobody waiting for this pool can be served until the configuration changes: tell them now.
            bag.failWaiters(failure);
        }
        breakerReports.lock();
        try {
            CircuitBreaker.Transition t = breaker.onFailure();
            if (t.changed()) {
                breakerChanged(t, failure);
            }
        } finally {
            breakerReports.unlock();
        }
        if (breaker.isOpen()) {
            if (bag.size() == 0 && !permanent) {
                // Waiting callers could only time out now: let them go at once.
                bag.failWaiters(breakerOpen(System.nanoTime()));
            }
            scheduleProbe();
            return;
        }
        fill();
    }

    private void breakerChanged(CircuitBreaker.Transition t, Throwable lastFailure) {
        if (t.to() == BreakerState.OPEN && t.from() == BreakerState.CLOSED) {
            LOG.log(Level.WARNING, name + ": circuit breaker OPEN after " + breaker.consecutiveFailures()
                    + " connect failures; callers that would wait for a connection fail fast until the database answers"
                    + (lastFailure != null ? "; last failure: " + lastFailure.getMessage() : ""));
        } else if (t.to() == BreakerState.CLOSED) {
            LOG.log(Level.WARNING, () -> name + ": circuit breaker CLOSED: the database answers again");
        }
        events.breaker(t.from(), t.to(), lastFailure);
    }

    /** Schedules the next half-open probe, once: a single connect that tells whether the database is back. */
    private void scheduleProbe() {
        if (probeScheduled || state == CLOSED) {
            return;
        }
        long delay = breaker.nanosUntilProbe();
        if (delay < 0) {
            return;
        }
        probeScheduled = true;
        try {
            timer.schedule(this::probe, delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            probeScheduled = false;
        }
    }

    private void probe() {
        probeScheduled = false;
        if (state == CLOSED) {
            return;
        }
        breakerReports.lock();
        try {
            if (!breaker.tryStartProbe()) {
                scheduleProbe();
                return;
            }
            breakerChanged(new CircuitBreaker.Transition(BreakerState.OPEN, BreakerState.HALF_OPEN), null);
        } finally {
            breakerReports.unlock();
        }
        creating.incrementAndGet();
        attempts.create(connectionTimeoutNanos, maxLifetimeNanos).whenComplete((e, ex) -> {
            if (e != null) {
                added(e);
            } else {
                creating.decrementAndGet();
                createFailed(ex);
            }
        });
    }

    private void noteConnectFailure(SQLException failure) {
        lastConnectFailure = failure;
        lastConnectFailureNanos = System.nanoTime();
        events.connectFailed(SluiceFailure.reasonOf(failure).orElse(FailureReason.CONNECT_REFUSED), failure);
    }

    private static long backoffNanos(int failures) {
        long b = MIN_BACKOFF_NANOS << Math.min(failures - 1, 16);
        b = Math.min(b, MAX_BACKOFF_NANOS);
        return b / 2 + ThreadLocalRandom.current().nextLong(b / 2 + 1);
    }

    // ---------------------------------------------------------------- lifetime and housekeeping

    private void scheduleLifetime(PooledConnection e) {
        long delay = e.retireAtNanos - System.nanoTime();
        try {
            timer.schedule(() -> lifetimeReached(e), Math.max(0, delay), TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            // shutting down
        }
    }

    /**
     * Retires a connection at the end of its (jittered) lifetime, replacement first. An idle one is
     * set aside (not handed out) while its replacement is opened, then closed; if the replacement
     * cannot be made (database down), it goes back into service until maxLifetime itself, since an
     * old connection beats none. A borrowed one is closed when returned. Replacements run at most
     * maxConcurrentCreates at a time; a connection whose turn has not come is looked at again a
     * little later, which also spreads retirements of connections opened together.
     */
    private void lifetimeReached(PooledConnection e) {
        if (e.state() == PooledConnection.REMOVED || state == CLOSED) {
            return;
        }
        if (e.state() == PooledConnection.IN_USE) {
            // Found by sluice-it S7: a borrowed connection used to be closed on return before any replacement
            // and outside the retirement budget; under load (every connection borrowed) connections opened
            // together were closed 3-4 within a second and the pool fell below minimumIdle. Now release()
            // retires it within the budget, replacement first; meanwhile it is looked at again as below.
            e.retireOnReturn = CloseReason.MAX_LIFETIME;
            retryLifetimeLater(e);
            return;
        }
        if (e.state() != PooledConnection.IDLE) {
            retryLifetimeLater(e); // RESERVED: being validated, or already set aside by release()
            return;
        }
        long[] token = retiring.get() < config.maxConcurrentCreates() ? retirementBudget.acquire(maximumPoolSize) : null;
        if (token == null) {
            retryLifetimeLater(e);
            return;
        }
        if (!reserve(e)) {
            retirementBudget.cancel(token);
            retryLifetimeLater(e);
            return;
        }
        if (e.retireOnReturn == CloseReason.MAX_LIFETIME) {
            e.retireOnReturn = null;
        }
        replaceThenRetire(e, token);
    }

    /**
     * Retires {@code e} (RESERVED, held by the caller) at the end of its lifetime, its replacement
     * opened first; {@code token} is its share of the retirement budget.
     */
    private void replaceThenRetire(PooledConnection e, long[] token) {
        if (minimumIdle == 0 && bag.waiting() == 0) {
            discard(e, CloseReason.MAX_LIFETIME); // nobody needs a replacement
            retirementBudget.closed(token);
            return;
        }
        // "retiring" and "creating" change together under fillLock, where fill() reads them: seeing one without
        // the other, it would count a slot free and open a connection beyond maximumPoolSize.
        fillLock.lock();
        try {
            e.setAsideForReplacement = true;
            retiring.incrementAndGet();
            creating.incrementAndGet();
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
        attempts.create(connectionTimeoutNanos, maxLifetimeNanos).whenComplete((replacement, ex) -> {
            if (replacement != null) {
                added(replacement);
                closeRetiredInTurn(e, token);
            } else {
                retirementBudget.cancel(token);
                fillLock.lock();
                try {
                    creating.decrementAndGet();
                    e.setAsideForReplacement = false;
                    retiring.decrementAndGet();
                } finally {
                    fillLock.unlock();
                }
                serveFillRequest();
                bag.offer(e);
                createFailed(ex);
                retryLifetimeLater(e);
            }
        });
    }

    /** Closes a connection set aside at the end of its lifetime, its replacement open, when the close budget allows. */
    private void closeRetiredInTurn(PooledConnection e, long[] token) {
        long delay = retirementBudget.closeDelay(maximumPoolSize);
        if (delay <= 0) {
            discard(e, CloseReason.MAX_LIFETIME);
            retirementBudget.closed(token);
            return;
        }
        closingInTurn.add(e);
        Runnable close = () -> {
            if (closingInTurn.remove(e)) { // else closing the pool closed it first
                discard(e, CloseReason.MAX_LIFETIME);
                retirementBudget.closed(token);
            }
        };
        try {
            timer.schedule(close, delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            close.run();
        }
    }

    private void retryLifetimeLater(PooledConnection e) {
        long delay = Math.max(backoffUntilNanos - System.nanoTime(),
                TimeUnit.MILLISECONDS.toNanos(100 + ThreadLocalRandom.current().nextInt(400)));
        try {
            timer.schedule(() -> lifetimeReached(e), delay, TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            // shutting down
        }
    }

    /** The configuration already shortened the period to suit the idle, keepalive and leak knobs. */
    private long housekeepingPeriodNanos() {
        return config.housekeepingPeriod().toNanos();
    }

    /** Idle retirement, keepalive, leak reports, and topping up minimumIdle. */
    private void housekeep() {
        try {
            long now = System.nanoTime();
            PooledConnection[] entries = bag.snapshot();
            int idle = 0;
            for (PooledConnection e : entries) {
                if (e.state() == PooledConnection.IDLE) {
                    idle++;
                }
            }
            for (PooledConnection e : entries) {
                int s = e.state();
                if (s == PooledConnection.IDLE) {
                    long idleFor = now - e.lastReturnedNanos;
                    if (e.hasLifetime && now - e.expiresAtNanos >= 0 && reserve(e)) {
                        idle--;
                        discard(e, CloseReason.MAX_LIFETIME); // its replacement never came (database down?)
                    } else if (maxIdleTimeNanos > 0 && idleFor > maxIdleTimeNanos && reserve(e)) {
                        idle--;
                        discard(e, CloseReason.MAX_IDLE_TIME);
                    } else if (idleTimeoutNanos > 0 && idle > minimumIdle && idleFor > idleTimeoutNanos && reserve(e)) {
                        idle--;
                        discard(e, CloseReason.IDLE_TIMEOUT);
                    } else if (keepaliveNanos > 0 && now - e.lastUsedNanos > keepaliveNanos && reserve(e)) {
                        if (validate(e, System.nanoTime() + validationTimeoutNanos)) {
                            bag.offer(e);
                        } else {
                            metrics.validationFailures.increment();
                            idle--;
                            discard(e, CloseReason.VALIDATION_FAILED);
                        }
                    }
                } else if (s == PooledConnection.IN_USE) {
                    if (leakThresholdNanos > 0) {
                        checkLeak(e, now);
                    }
                    if (abandonNanos > 0 && e.holdTimed && now - e.borrowedAtNanos > abandonNanos) {
                        reclaimAbandoned(e, now);
                    }
                }
            }
            fill();
        } catch (RuntimeException | Error unexpected) {
            LOG.log(Level.ERROR, name + ": housekeeping failed", unexpected);
        }
    }

    private static boolean reserve(PooledConnection e) {
        return e.compareAndSetState(PooledConnection.IDLE, PooledConnection.RESERVED);
    }

    private void checkLeak(PooledConnection e, long now) {
        Throwable site = e.borrowSite;
        long held = now - e.borrowedAtNanos;
        if (site != null && !e.leakReported && held > leakThresholdNanos) {
            e.leakReported = true;
            metrics.leaksSuspected.increment();
            Object context = e.borrowContext;
            LOG.log(Level.WARNING, name + ": connection held for " + TimeUnit.NANOSECONDS.toMillis(held)
                    + "ms by thread " + e.borrowThread + " (leakDetectionThreshold="
                    + TimeUnit.NANOSECONDS.toMillis(leakThresholdNanos) + "ms), possible leak"
                    + (context != null ? "; context " + context : "") + "; borrowed at:", site);
            events.leakSuspected(e, held);
        }
    }

    /**
     * abandonTimeout: the borrower is presumed lost; the physical connection is aborted and its
     * slot freed. The borrower's handle then fails on use, and its eventual close is harmless.
     */
    private void reclaimAbandoned(PooledConnection e, long now) {
        long held = now - e.borrowedAtNanos;
        e.retireOnReturn = CloseReason.ABORTED;
        if (!e.markRemoved()) {
            return;
        }
        bag.remove(e);
        metrics.abandoned.increment();
        recordClose(e, CloseReason.ABORTED);
        LOG.log(Level.WARNING, name + ": connection held for " + TimeUnit.NANOSECONDS.toMillis(held) + "ms by thread "
                + (e.borrowThread != null ? e.borrowThread : e.borrower != null ? e.borrower.getName() : "?")
                + " exceeded abandonTimeout=" + TimeUnit.NANOSECONDS.toMillis(abandonNanos) + "ms and was aborted", e.borrowSite);
        events.abandoned(e, held);
        try {
            abortPhysical(e.raw, DirectExecutor.INSTANCE);
        } catch (SQLException | RuntimeException ex) {
            ConnectAttempts.closeQuietly(e.raw);
        }
        fill();
    }

    // ---------------------------------------------------------------- stats and shutdown

    public PoolStats stats() {
        int open = 0;
        int inUse = 0;
        int idle = 0;
        for (PooledConnection e : bag.snapshot()) {
            open++;
            int s = e.state();
            if (s == PooledConnection.IN_USE) {
                inUse++;
            } else if (s == PooledConnection.IDLE) {
                idle++;
            }
        }
        SQLException last = lastConnectFailure;
        long acquired = bag.borrows();
        return new PoolStats(name, maximumPoolSize, minimumIdle, open, inUse, idle, bag.waiting(), creating.get(),
                acquired, metrics.waitCount.sum(), Duration.ofNanos(metrics.waitNanos.sum()),
                metrics.acquireTimeouts.sum(), metrics.created.sum(), metrics.createFailures.sum(), metrics.closedTotal(),
                metrics.closedByReason(), metrics.validationFailures.sum(), metrics.leaksSuspected.sum(),
                metrics.abandoned.sum(), metrics.nestedAcquisitions.sum(),
                metrics.acquire.summary(acquired - metrics.acquire.count()), metrics.hold.summary(), metrics.create.summary(),
                last == null ? null : SluiceFailure.reasonOf(last).orElse(null), breaker.state(), breaker.opens(), metrics.breakerRejections.sum(),
                sizing == null ? List.of() : sizing.decisions());
    }

    public boolean isClosed() {
        return state == CLOSED;
    }

    /**
     * Stops hand-out, fails waiters with POOL_CLOSED, closes idle connections, waits for borrowed
     * ones up to {@code shutdownTimeout} (they are closed as they come back), then aborts the rest.
     */
    public void close() {
        if (state == CLOSED) {
            return;
        }
        state = CLOSED;
        housekeeping.cancel(false);
        bag.failWaiters(SluiceFailure.of(FailureReason.POOL_CLOSED, name, name + " was closed while waiting", null));
        closeIdle(CloseReason.POOL_CLOSED);
        for (PooledConnection e : closingInTurn) {
            if (closingInTurn.remove(e)) {
                discard(e, CloseReason.MAX_LIFETIME); // retired already, only waiting for its turn to close
            }
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        while (bag.size() > 0 && System.nanoTime() - deadline < 0) {
            closeIdle(CloseReason.POOL_CLOSED);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        for (PooledConnection e : bag.snapshot()) {
            if (e.markRemoved()) {
                bag.remove(e);
                recordClose(e, CloseReason.ABORTED);
                LOG.log(Level.WARNING, name + ": aborting a connection still borrowed at shutdown" + (e.borrowThread != null ? " by thread " + e.borrowThread : ""));
                try {
                    abortPhysical(e.raw, DirectExecutor.INSTANCE);
                } catch (SQLException | RuntimeException ex) {
                    ConnectAttempts.closeQuietly(e.raw);
                }
            }
        }
        timer.shutdownNow();
        attempts.shutdown(Math.max(TimeUnit.SECONDS.toNanos(1), config.shutdownTimeout().toNanos()));
        LOG.log(Level.INFO, () -> name + " - closed");
    }

    private void closeIdle(CloseReason reason) {
        for (PooledConnection e : bag.snapshot()) {
            if (reserve(e) && e.markRemoved()) {
                bag.remove(e);
                recordClose(e, reason);
                ConnectAttempts.closeQuietly(e.raw);
            }
        }
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", " + stateLine() + "]";
    }
}
