package dev.sluice.internal;

import dev.sluice.BreakerState;
import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the pool supplied with connections: decides when to connect (demand and room), backs off
 * after failures, drives the circuit breaker and its half-open probe, and runs the start-up check.
 *
 * <p>All decisions to open a connection are taken under {@code fillLock}, where the pool's
 * {@code creating} and {@code retiring} counts change together: whoever reads one without the
 * other may count a slot free and open a connection beyond maximumPoolSize. The lock is never
 * waited for on a caller's deadline path (see {@link #fill()}), so a descheduled holder cannot hold
 * a caller past its deadline.
 */
final class ConnectionSupply {
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long STARTUP_RETRY_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Pool pool;
    private final String name;
    private final ReentrantLock fillLock = new ReentrantLock();
    /** Set by a fill() that found fillLock taken; the holder fills again before it leaves. See fill(). */
    private volatile boolean fillRequested;
    /** The fill that runs when a connect backoff ends. */
    private final PacedTask fillAfterBackoff;
    private volatile long backoffUntilNanos;
    /** Under fillLock. */
    private int consecutiveCreateFailures;
    private volatile SQLException lastConnectFailure;
    private volatile long lastConnectFailureNanos;
    private final CircuitBreaker breaker;
    /**
     * Held while the breaker changes state and the change is reported: the changes come from
     * different threads (a connect finishing, the probe), and listeners must see them in the
     * order they happened, or a CLOSED could be followed by a stale HALF_OPEN.
     */
    private final ReentrantLock breakerReports = new ReentrantLock();
    /** The breaker's next half-open probe. */
    private final PacedTask probe;

    ConnectionSupply(Pool pool) {
        this.pool = pool;
        this.name = pool.name;
        this.breaker = new CircuitBreaker(pool.config.breakerFailureThreshold(), pool.config.breakerFailureRateThreshold(),
                pool.config.breakerWindow().toNanos(), TimeUnit.MILLISECONDS.toNanos(20),
                pool.config.breakerMaxProbeInterval().toNanos(), pool.ticker::read);
        this.fillAfterBackoff = new PacedTask(pool.scheduler, this::fill);
        this.probe = new PacedTask(pool.scheduler, this::probe);
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    SQLException lastConnectFailure() {
        return lastConnectFailure;
    }

    long lastConnectFailureNanos() {
        return lastConnectFailureNanos;
    }

    long backoffUntilNanos() {
        return backoffUntilNanos;
    }

    // ---------------------------------------------------------------- start-up

    /**
     * Opens the first connection in the constructor, so a wrong URL, a dead server or bad
     * credentials surface at start-up, classified. Transient failures are retried until
     * {@code initializationFailTimeout}; each attempt is bounded by {@code connectionTimeout}, so
     * the whole check ends within their sum even when the network swallows the connect.
     */
    void startupCheck(long initFailNanos) throws SQLException {
        // Under a cap the check's connection is one of the cap's (a budget shared by several pools takes no check).
        if (pool.share != null && !pool.share.take()) {
            throw new IllegalStateException(name + ": no room in the connection budget for the start-up check");
        }
        boolean joined = false;
        try {
            joined = startupConnect(initFailNanos);
        } finally {
            if (pool.share != null && !joined) {
                pool.share.release();
            }
        }
    }

    /** The start-up check's connects; true if one joined the pool. */
    private boolean startupConnect(long initFailNanos) throws SQLException {
        long start = pool.ticker.read();
        long loggedAt = 0;
        for (int attempt = 0; ; attempt++) {
            CompletableFuture<PooledConnection> f = pool.attempts.create(pool.connectionTimeoutNanos, pool.maxLifetimeNanos);
            try {
                PooledConnection e = boundedGet(f);
                pool.creating.incrementAndGet(); // added() settles it, as for connects started by fill()
                added(e);
                return true;
            } catch (ExecutionException ex) {
                SQLException cause = ex.getCause() instanceof SQLException s ? s
                        : SluiceFailure.of(FailureReason.CONNECT_REFUSED, name, name + ": connect failed", ex.getCause());
                noteConnectFailure(cause);
                boolean isTransient = SluiceFailure.reasonOf(cause).map(FailureReason::isTransient).orElse(true);
                boolean retry = isTransient && pool.ticker.read() - start < initFailNanos;
                if (initFailNanos == 0 && isTransient) {
                    // HikariCP's meaning of 0: one attempt, and a database that cannot be reached does not stop
                    // the start; a configuration the database rejects (credentials, unknown database) still does.
                    pool.events.startedWithoutConnection(cause);
                    return false;
                }
                if (!retry) {
                    FailureReason reason = SluiceFailure.reasonOf(cause).orElse(FailureReason.CONNECT_REFUSED);
                    throw SluiceFailure.of(reason, name, name + " could not start: "
                            + PoolLog.withoutPoolName(name, cause.getMessage()), cause);
                }
                long waited = pool.ticker.read() - start;
                if (attempt == 0 || waited - loggedAt >= STARTUP_RETRY_LOG_INTERVAL_NANOS) {
                    // A long initializationFailTimeout must not look like a hang: say what fails, at most every few seconds.
                    loggedAt = waited;
                    int failedAttempts = attempt + 1;
                    pool.events.startupAttemptFailed(failedAttempts, cause, initFailNanos - waited, initFailNanos);
                }
                long pause = Math.min(backoffNanos(attempt + 1), initFailNanos - (pool.ticker.read() - start));
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
        long budget = pool.connectionTimeoutNanos;
        try {
            return f.get(budget + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException late) {
            f.thenAccept(e -> ConnectAttempts.closeQuietly(e.raw));
            throw new ExecutionException(SluiceFailure.of(FailureReason.CONNECT_TIMEOUT, name, name + ": connect to "
                    + pool.connector.describeTarget() + " did not complete within " + TimeUnit.NANOSECONDS.toMillis(budget)
                    + "ms (the database or network is not answering)", null));
        }
    }

    // ---------------------------------------------------------------- filling

    /**
     * Starts connects while there is demand (waiters, or idle below minimumIdle) and room (open,
     * less those being retired, plus connects under way, below maximumPoolSize; connects under
     * way below maxConcurrentCreates). After failures it backs off, exponentially with jitter.
     */
    void fill() {
        if (pool.isClosed() || pool.bag.size() - pool.retiring.get() + pool.creating.get() >= pool.maximumPoolSize) {
            return;
        }
        if (!breaker.allowsConnect()) {
            scheduleProbe();
            return;
        }
        // Never waits for fillLock: callers run this on their deadline path (ConnectionBag.await's
        // onQueued), and a holder descheduled on a loaded machine would hold them past their deadline.
        // A caller that finds the lock taken leaves a request; the holder looks again after it unlocks,
        // so no demand goes unseen: either the request is set before the holder's final check, or the
        // holder has unlocked and tryLock wins.
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
            int underWay = pool.creating.get();
            if (pool.isClosed() || pool.bag.size() - pool.retiring.get() + underWay >= pool.maximumPoolSize
                    || underWay >= pool.config.maxConcurrentCreates()) {
                return;
            }
            int demand = Math.max(pool.bag.waiting() - underWay, pool.minimumIdle - pool.bag.idleCount() - underWay);
            if (demand <= 0) {
                return;
            }
            long wait = backoffUntilNanos - pool.ticker.read();
            if (wait > 0) {
                fillAfterBackoff.schedule(wait);
                return;
            }
            if (pool.share != null && !pool.share.take()) {
                return; // the budget calls budgetFreed() when it has room again
            }
            connect();
        }
    }

    /** Starts one connect counted in {@code creating}; its connection joins the pool, or its failure is counted. */
    private void connect() {
        pool.creating.incrementAndGet();
        pool.attempts.create(pool.connectionTimeoutNanos, pool.maxLifetimeNanos).whenComplete((e, ex) -> {
            if (e != null) {
                added(e);
            } else {
                pool.creating.decrementAndGet();
                if (pool.share != null) {
                    pool.share.release();
                }
                createFailed(ex);
            }
        });
    }

    /** A new connection, counted in {@code creating} until the bag holds it, joins the pool. */
    void added(PooledConnection e) {
        if (pool.isClosed() || pool.generations.isStale(e)) {
            // Closed, or its connect started before a failover and may have reached the old primary.
            boolean closed = pool.isClosed();
            pool.creating.decrementAndGet();
            e.markRemoved();
            pool.closer.recordClose(e, closed ? CloseReason.POOL_CLOSED : CloseReason.FAILOVER);
            if (closed) {
                ConnectAttempts.closeQuietly(e.raw);
            } else {
                pool.attempts.closeAsync(e.raw); // the old primary may be gone, and a close there can block
                fill();
            }
            return;
        }
        resetBackoff();
        AdaptiveSizing sizing = pool.sizing;
        if (sizing != null && !sizing.serverLimitRead()) {
            sizing.readServerLimit(e.raw);
        }
        e.pool = pool;
        pool.bag.add(e);
        if (e.hasLifetime) {
            // Before the connect stops counting as under way, so whoever waits for connects to end
            // (a test moving its clock) finds the lifetime scheduled from the time the connect ended.
            pool.retirement.schedule(e);
        }
        pool.creating.decrementAndGet();
        pool.events.created(e);
        if (pool.exceedsMaxIdle()) {
            e.compareAndSetState(PooledConnection.RESERVED, PooledConnection.IN_USE);
            pool.closer.discard(e, CloseReason.MAX_IDLE); // it came too late to be useful, and keeping it would break maxIdle
            return;
        }
        pool.bag.offerNew(e);
        fill();
    }

    private void resetBackoff() {
        fillLock.lock();
        try {
            consecutiveCreateFailures = 0;
            backoffUntilNanos = pool.ticker.read();
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

    void createFailed(Throwable ex) {
        SQLException failure = ex instanceof SQLException s ? s
                : SluiceFailure.of(FailureReason.CONNECT_REFUSED, name, name + ": connect failed: " + ex, ex);
        noteConnectFailure(failure);
        fillLock.lock();
        try {
            consecutiveCreateFailures++;
            backoffUntilNanos = pool.ticker.read() + backoffNanos(consecutiveCreateFailures);
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
        pool.events.connectAttemptFailed(failure);
        boolean permanent = !SluiceFailure.reasonOf(failure).map(FailureReason::isTransient).orElse(true);
        if (permanent) {
            // Nobody waiting for this pool can be served until the configuration changes: tell them now.
            pool.bag.failWaiters(failure);
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
            if (pool.bag.size() == 0 && !permanent) {
                // Waiting callers could only time out now: let them go at once.
                pool.bag.failWaiters(pool.failures.breakerOpen(pool.ticker.read()));
            }
            scheduleProbe();
            return;
        }
        fill();
    }

    private void noteConnectFailure(SQLException failure) {
        lastConnectFailure = failure;
        lastConnectFailureNanos = pool.ticker.read();
        pool.events.connectFailed(SluiceFailure.reasonOf(failure).orElse(FailureReason.CONNECT_REFUSED), failure);
    }

    private static long backoffNanos(int failures) {
        long b = MIN_BACKOFF_NANOS << Math.min(failures - 1, 16);
        b = Math.min(b, MAX_BACKOFF_NANOS);
        return b / 2 + ThreadLocalRandom.current().nextLong(b / 2 + 1);
    }

    // ---------------------------------------------------------------- breaker

    private void breakerChanged(CircuitBreaker.Transition t, Throwable lastFailure) {
        pool.events.breaker(t.from(), t.to(), lastFailure, breaker.consecutiveFailures());
    }

    /** Schedules the next half-open probe, once: a single connect that tells whether the database is back. */
    private void scheduleProbe() {
        if (probe.isPending() || pool.isClosed()) {
            return;
        }
        long delay = breaker.nanosUntilProbe();
        if (delay < 0) {
            return;
        }
        probe.schedule(delay);
    }

    private void probe() {
        if (pool.isClosed()) {
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
        connect();
    }

    // ---------------------------------------------------------------- the counts fill() reads

    /**
     * Whether the pool holds more connections than maximumPoolSize, not counting those set aside for
     * replacement. Read under fillLock, where both change together: read apart, a retirement
     * finishing in between looks like a shrunk pool, and a busy connection would be closed at once,
     * outside the retirement budget and before its replacement.
     */
    boolean shrunk() {
        boolean shrunk;
        fillLock.lock();
        try {
            shrunk = pool.bag.size() - pool.retiring.get() > pool.maximumPoolSize;
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
        return shrunk;
    }

    /** Sets {@code e} aside for replacement and counts its replacement's connect as under way, together. */
    void setAsideForReplacement(PooledConnection e) {
        fillLock.lock();
        try {
            e.setAsideForReplacement = true;
            pool.retiring.incrementAndGet();
            pool.creating.incrementAndGet();
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
    }

    /** The replacement for {@code e} failed: it is no longer set aside, and no connect is under way for it. */
    void replacementFailed(PooledConnection e) {
        fillLock.lock();
        try {
            pool.creating.decrementAndGet();
            e.setAsideForReplacement = false;
            pool.retiring.decrementAndGet();
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
    }

    /**
     * Removes a set-aside entry from the bag. Under fillLock, with the entry leaving the bag: fill()
     * must never see the bag without it but "retiring" still counting it, or it opens one connection
     * too many.
     */
    void removeSetAside(PooledConnection e) {
        fillLock.lock();
        try {
            e.setAsideForReplacement = false;
            pool.retiring.decrementAndGet();
            pool.bag.remove(e);
        } finally {
            fillLock.unlock();
        }
        serveFillRequest();
    }

    /** Opens a replacement outside the demand rules; its slot was counted by {@link #setAsideForReplacement}. */
    CompletableFuture<PooledConnection> openReplacement() {
        CompletableFuture<PooledConnection> f = pool.attempts.create(pool.connectionTimeoutNanos, pool.maxLifetimeNanos);
        PoolShare share = pool.share;
        return share == null ? f : f.whenComplete((e, ex) -> {
            if (ex != null) {
                share.release(); // the permit LifetimeRetirement took for it
            }
        });
    }
}
