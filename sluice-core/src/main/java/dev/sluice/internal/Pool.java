package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.HeldConnection;
import dev.sluice.PgBouncerMode;
import dev.sluice.PoolHealth;
import dev.sluice.PoolListener;
import dev.sluice.PoolStats;
import dev.sluice.Sizing;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The pool engine behind {@link dev.sluice.SluiceDataSource}: the pool's state, the hot path
 * (hand-out with deadlines and validation, return with reset) and close. Every other concern is a
 * class of its own that this one wires together: {@link ConnectionSupply} opens connections,
 * {@link LifetimeRetirement} retires them, {@link Housekeeper} sweeps, {@link LeakDetector} and
 * {@link NestedAcquisitionDetector} watch borrowers, {@link Validator} checks idle connections,
 * {@link ConnectionCloser} takes them out, {@link AcquireWait} holds borrowers who must wait,
 * {@link AcquireFailures} words the failures, {@link PoolMetrics} counts and reports, and the
 * runtime knobs live in {@link RuntimeSettings}, the superclass.
 *
 * <p>The hot path is {@link #acquire()}, {@link #handOut} and {@link #release}: it reads only
 * fields of this object and of the entry, takes no lock and allocates only the handle, so the
 * parts above are reached from it through a final field only off the fast branch.
 *
 * <p>Time. The pool and every part of it read time from one {@link Ticker} and schedule on one
 * {@link Scheduler}, both given to the constructor, so a test can run the pool on a clock it
 * moves by hand. Times the caller measured on its own clock (a timeout, a scoped Deadline)
 * arrive as durations and are placed on the pool's clock here.
 */
public final class Pool extends RuntimeSettings {
    static final int RUNNING = 0;
    static final int SUSPENDED = 1;
    static final int CLOSED = 2;
    /**
     * Being retired by a tenant router's idle sweep (see {@link #retireIfUnused()}): nothing is
     * handed out, and in a moment the pool is either closed or running again.
     */
    static final int RETIRING = 3;

    /** The pool's clock: read through this field on the hot path, so the JIT can bind and inline it. */
    final Ticker ticker;
    final ConnectionBag bag;
    final PoolMetrics metrics = new PoolMetrics();
    final PoolEvents events;
    final PhysicalConnector connector;
    final ConnectAttempts attempts;
    /** Every timed task of the pool and its parts; by default one thread, "<pool>-housekeeper". */
    final Scheduler scheduler;
    /**
     * Idle connections set aside at the end of their lifetime while their replacement is opened.
     * They still count as open but not as capacity, so the replacement can be made first; they are
     * never handed out, so connections in use never exceed maximumPoolSize.
     */
    final AtomicInteger retiring = new AtomicInteger();
    /**
     * Connects started whose connection is not yet in the bag. Decremented only after the bag
     * holds the new entry, so open + creating never undercounts and the pool never exceeds
     * maximumPoolSize. Changed together with {@link #retiring} under ConnectionSupply's lock.
     */
    final AtomicInteger creating = new AtomicInteger();
    /** Not runtime-mutable; read on the fast path. */
    private final long bypassNanos;
    /** Behind PgBouncer in transaction mode: a lost prepared statement retires the connection. */
    private final boolean transactionPooling;
    /** The most a coarse reading may lag: held connections' untimed ages may be this much too long. */
    private final long coarseLagNanos;
    /** Borrow n is timed when {@code (n & holdSampleMask) == 0}; see {@link #holdSampleMask()}. */
    private volatile int holdSampleMask;
    /** Null with sizing FIXED. */
    final AdaptiveSizing sizing;

    /**
     * RUNNING, SUSPENDED, RETIRING or CLOSED; written only here (through {@link #STATE} where two
     * writers can meet), read by {@link AcquireWait} too. A borrower reads it after it claimed an
     * entry, never only before: see {@link #retireIfUnused()} for why that order matters.
     */
    volatile int state = RUNNING;
    /** Set before {@link #closeDropped()} closes the pool; read only when a borrow has failed. */
    private volatile boolean droppedByRouter;
    /** Idle connections last used before this instant are validated before hand-out: a sibling broke. */
    private volatile long distrustBeforeNanos;
    /** Connections of an older generation are never handed out; written only by {@link PoolGeneration}. */
    volatile long generation;

    final ConnectionSupply supply;
    final LifetimeRetirement retirement;
    final Housekeeper housekeeper;
    final HealthSampler health;
    final LeakDetector leaks;
    final NestedAcquisitionDetector nested;
    final Validator validator;
    final ConnectionCloser closer;
    final PoolGeneration generations = new PoolGeneration(this);
    final AcquireFailures failures;
    final AcquireWait waits;
    /** Null unless the pool is one of several under a shared budget (see {@link PoolShare}); read off the hot path only. */
    final PoolShare share;
    /** Null unless the pool is a fleet member (see {@link FleetBudget}); then it is also {@link #share}'s budget. */
    final FleetBudget fleet;

    public Pool(SluiceConfig config) throws SQLException {
        this(config, Ticker.system(), Scheduler.onThread(config.poolName() + "-housekeeper"), null, null);
    }

    /**
     * A pool whose physical connections never exceed maximumPoolSize, not even for the moment a
     * retiring connection and its replacement are both open ({@link ConnectionCap}).
     */
    public static Pool capped(SluiceConfig config, ConnectionCap cap) throws SQLException {
        return new Pool(config, Ticker.system(), Scheduler.onThread(config.poolName() + "-housekeeper"), cap, null);
    }

    Pool(SluiceConfig config, Ticker ticker, Scheduler scheduler) throws SQLException {
        this(config, ticker, scheduler, null, null);
    }

    /** @param tenant the tenant whose pool this is (DATABASE mode), named in leak reports and events; or null */
    Pool(SluiceConfig config, Ticker ticker, Scheduler scheduler, ConnectionBudget budget, String tenant) throws SQLException {
        super(config);
        this.fleet = budget == null && config.fleet() != null ? new FleetBudget(this, config) : null;
        ConnectionBudget b = budget != null ? budget : fleet;
        this.share = b == null ? null : new PoolShare(this, b);
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.bag = new ConnectionBag(ticker);
        this.bypassNanos = config.validationBypassWindow().toNanos();
        this.transactionPooling = config.pgbouncer() == PgBouncerMode.TRANSACTION;
        this.coarseLagNanos = ticker.coarseLagNanos();
        // The coarse clock may back off while the pools keep it fresh; a third of the window stays for the fast path.
        ticker.limitCoarseLag(bypassNanos / 3 * 2);
        this.events = new PoolEvents(name, tenant, config.listeners(), ticker);
        this.sizing = config.sizing() == Sizing.FIXED ? null
                : new AdaptiveSizing(config, ticker, metrics, bag::borrows, events, bag::waiting, bag::inUse,
                        size -> applySize(size, size));
        this.distrustBeforeNanos = ticker.read() - TimeUnit.DAYS.toNanos(1);
        this.connector = new PhysicalConnector(config, ticker);
        if (fleet != null) {
            connector.applicationName = fleet.applicationName();
        }
        this.attempts = new ConnectAttempts(config, connector, ticker, scheduler, metrics, () -> generation);
        this.supply = new ConnectionSupply(this);
        this.retirement = new LifetimeRetirement(this);
        this.housekeeper = new Housekeeper(this);
        this.health = new HealthSampler(HealthSampler.sourceOf(this), scheduler);
        this.leaks = new LeakDetector(this, tenant != null);
        this.nested = new NestedAcquisitionDetector(this);
        this.validator = new Validator(this);
        this.closer = new ConnectionCloser(this);
        this.failures = new AcquireFailures(this);
        this.holdSampleMask = holdSampleMask();
        ConnectionSupply s = supply;
        this.waits = new AcquireWait(this, sizing == null ? s::fill : () -> {
            sizing.callerWaiting(() -> bag.size() - bag.idleCount(), () -> bag.heldNanos(ticker.read()));
            s.fill();
        });
        try {
            if (fleet != null) {
                // The control connection is the start-up check: a pooled one would connect before the fleet granted it.
                startFleet();
            } else if (!config.initializationFailTimeout().isNegative()) {
                supply.startupCheck(config.initializationFailTimeout().toNanos());
            }
        } catch (SQLException | RuntimeException e) {
            scheduler.shutdown();
            attempts.shutdown(0);
            throw e;
        }
        housekeeper.start();
        health.start();
        if (sizing != null) {
            if (sizing.applies()) {
                applySize(sizing.size(), sizing.size());
            }
            long every = config.sizingInterval().toNanos();
            scheduler.scheduleEvery(sizing::tick, every);
            scheduler.scheduleEvery(sizing::sample, every / AdaptiveSizing.SAMPLES_PER_WINDOW);
        }
        if (fleet != null) {
            scheduler.scheduleEvery(fleet::tick, config.fleetInterval().toNanos());
        }
        supply.fill();
        events.started(config, connector.describeTarget(), maximumPoolSize, minimumIdle, bag.size());
    }

    // ---------------------------------------------------------------- borrow

    /**
     * Hands out a connection within {@code connectionTimeout}. The common case reads no precise
     * clock and takes no lock: one scan of the entries, one CAS, checks against the ticker's coarse
     * reading, a count in the entry and one handle allocation. Anything else (nothing idle, a connection
     * that may be stale or past its lifetime, a pool that is not running) takes the timed path.
     */
    public ConnectionHandle acquire() throws SQLException {
        return acquire((BorrowClaim) null);
    }

    /** As {@link #acquire()}, for a tenant router: {@code claim} attached as in the timed hand-out. */
    public ConnectionHandle acquire(BorrowClaim claim) throws SQLException {
        // Claim first, then read the state (the one volatile read of it here): a claimed entry is
        // what a retiring sweep looks for, so either it sees this borrow or this borrow sees it.
        PooledConnection e = bag.poll(Thread.currentThread().getId());
        long coarseNow;
        if (e != null && state == RUNNING && fresh(e, coarseNow = ticker.coarse())) {
            if (claim != null) {
                e.claim = claim; // before anything can report the borrow
                e.countFor(claim.tally());
            }
            return handOut(e, coarseNow);
        }
        long now = ticker.read();
        return acquire(e, now, now + connectionTimeoutNanos, false, 0, claim);
    }

    /**
     * Whether an idle connection may be handed out without a look: not near the end of its
     * lifetime, not idle for (nearly) the validation-bypass window, not under suspicion. Each
     * bound is tighter than the knob by this coarse reading's lag, so that lag can only make the
     * pool take the timed path (and there validate) early, never skip a validation.
     */
    private boolean fresh(PooledConnection e, long coarseNow) {
        long lastUsed = e.lastUsedNanos;
        long lag = ticker.coarseLagNanos(coarseNow);
        return coarseNow - lastUsed <= bypassNanos - lag
                && !(e.hasLifetime && e.expiresAtNanos - coarseNow <= lag)
                && lastUsed - distrustBeforeNanos >= 0 && e.generation == generation;
    }

    /**
     * The untimed hand-out: a sample of borrows (or all, when something needs it) is timed for hold
     * statistics; the others keep the coarse reading as their start, which is enough for an
     * operator's list of held connections.
     */
    private ConnectionHandle handOut(PooledConnection e, long coarseNow) {
        long n = e.countBorrow();
        e.borrower = Thread.currentThread();
        if ((n & holdSampleMask) == 0) {
            e.borrowedAtNanos = ticker.read();
            e.holdTimed = true;
            if (leakThresholdNanos > 0) {
                leaks.recordBorrowSite(e);
            }
        } else {
            e.borrowedAtNanos = coarseNow;
            e.holdTimed = false;
        }
        ConnectionHandle h = new ConnectionHandle(e);
        if (events.observesBorrows) {
            events.acquired(e, 0);
        }
        return h;
    }

    /** Every borrow is timed when leak detection, abandon reclaim, a borrow listener or adaptive sizing needs it; else 1 in 16. */
    private int holdSampleMask() {
        return leakThresholdNanos > 0 || leaks.reclaims() || events.observesBorrows || sizing != null ? 0 : 15;
    }

    /**
     * Hands out a connection within {@code timeoutNanos}: the timed path. Both times are durations
     * the caller measured on its own clock; they start now on the pool's.
     *
     * @param timeoutNanos the most the acquisition may take: the sooner of the caller's timeout
     *                     and its scoped Deadline
     * @param scoped       the caller is inside a scoped {@link dev.sluice.Deadline}: the borrow's
     *                     statements and network timeout are bounded by it (see {@link QueryDeadline})
     * @param scopeLeftNanos the time that Deadline has left; not {@code timeoutNanos}, which bounds
     *                     only the acquisition
     */
    public ConnectionHandle acquire(long timeoutNanos, boolean scoped, long scopeLeftNanos) throws SQLException {
        return acquire(timeoutNanos, scoped, scopeLeftNanos, null);
    }

    /**
     * The timed hand-out for a tenant router: as above, with {@code claim} attached to the borrow
     * (see {@link BorrowClaim}) before anything can report it, and ended by the pool when the
     * borrow ends. If the acquisition fails, the claim is not ended: the caller still holds it.
     */
    public ConnectionHandle acquire(long timeoutNanos, boolean scoped, long scopeLeftNanos, BorrowClaim claim) throws SQLException {
        long now = ticker.read();
        return acquire(null, now, now + timeoutNanos, scoped, now + scopeLeftNanos, claim);
    }

    /** @param polled an entry the caller already claimed, to be checked first; or null */
    private ConnectionHandle acquire(PooledConnection polled, long startNanos, long deadlineNanos, boolean scoped,
            long scopeExpiresAtNanos, BorrowClaim claim) throws SQLException {
        ticker.advanceCoarse(startNanos);
        try {
            return borrow(polled, startNanos, deadlineNanos, scoped, scopeExpiresAtNanos, claim);
        } catch (SQLException failure) {
            acquireFailed(failure, startNanos, claim);
            throw failure;
        }
    }

    private void acquireFailed(SQLException failure, long startNanos, BorrowClaim claim) {
        if (!events.hasListeners) {
            return;
        }
        FailureReason reason = SluiceFailure.reasonOf(failure).orElse(FailureReason.ACQUIRE_TIMEOUT);
        if (reason == FailureReason.POOL_CLOSED && droppedByRouter) {
            return; // the router sends this borrower to the tenant's next pool, whose events report it
        }
        events.acquireFailed(claim != null ? claim.tenant() : null, reason, Duration.ofNanos(ticker.read() - startNanos));
    }

    private ConnectionHandle borrow(PooledConnection polled, long startNanos, long deadlineNanos, boolean scoped,
            long scopeExpiresAtNanos, BorrowClaim claim) throws SQLException {
        if (state != RUNNING) {
            if (polled != null) {
                bag.offer(polled);
                polled = null;
            }
            waits.untilRunning(startNanos, deadlineNanos);
        }
        long tid = Thread.currentThread().getId();
        PooledConnection e = polled != null ? polled : bag.poll(tid);
        long now = startNanos;
        FailureReason discardedFor = null;
        for (;;) {
            if (e == null) {
                e = waits.forConnection(tid, startNanos, deadlineNanos, discardedFor, claim);
                now = ticker.read();
            }
            boolean stale = generations.isStale(e);
            if (stale) {
                closer.discard(e, CloseReason.FAILOVER);
            } else if (e.hasLifetime && now - e.expiresAtNanos >= 0) {
                retirement.expired(e);
            } else if (now - e.lastUsedNanos > bypassNanos || e.lastUsedNanos - distrustBeforeNanos < 0) {
                if (deadlineNanos - now <= 0) {
                    // No time left to check it: the connection may be fine, so it goes back, not away.
                    bag.offer(e);
                    metrics.acquireTimeouts.increment();
                    throw failures.timeout(startNanos, discardedFor);
                }
                if (validator.validate(e, deadlineNanos)) {
                    now = ticker.read();
                    break;
                }
                metrics.validationFailures.increment();
                closer.discard(e, CloseReason.VALIDATION_FAILED);
                discardedFor = FailureReason.VALIDATION_FAILED;
            } else {
                break;
            }
            now = ticker.read();
            e = now - deadlineNanos < 0 ? bag.poll(tid) : null;
        }
        if (state != RUNNING) {
            // The state once more after the claim, as on the fast path: an entry claimed while the pool
            // was being retired or closed goes back, and this borrower waits for it to run again or fails.
            bag.offer(e);
            return borrow(null, startNanos, deadlineNanos, scoped, scopeExpiresAtNanos, claim);
        }
        e.countBorrow();
        e.borrowedAtNanos = now;
        e.holdTimed = true;
        e.borrower = Thread.currentThread();
        e.claim = claim;
        if (claim != null) {
            e.countFor(claim.tally());
        }
        if (leakThresholdNanos > 0) {
            leaks.recordBorrowSite(e);
        }
        ConnectionHandle h = new ConnectionHandle(e);
        if (scoped) {
            QueryDeadline.apply(e, scopeExpiresAtNanos, now);
        }
        metrics.acquire.record(now - startNanos);
        if (events.observesBorrows) {
            events.acquired(e, now - startNanos);
        }
        return h;
    }

    // ---------------------------------------------------------------- runtime control

    /** Holds new borrowers until {@link #resume()} (they fail with POOL_SUSPENDED at their deadline). */
    public void suspend() {
        if (STATE.compareAndSet(this, RUNNING, SUSPENDED)) {
            events.suspended(true);
        }
    }

    public void resume() {
        if (STATE.compareAndSet(this, SUSPENDED, RUNNING)) {
            events.suspended(false);
        }
    }

    /**
     * For a tenant router's idle sweep: stops hand-out if nothing is borrowed, being claimed or
     * awaited, so the pool can be closed without a borrower racing the close. Returns true with the
     * pool RETIRING and every connection idle: the caller then {@link #close() closes} it or
     * {@link #keepRunning() keeps it}. Returns false with the pool as it was.
     *
     * <p>Why a borrower cannot slip through: a borrower claims an idle entry (a CAS on the entry)
     * and then reads the state; this writes the state and then reads every entry's. Both are
     * volatile, so at least one side sees the other: the borrower sees RETIRING and gives the entry
     * back (then waits for the pool to run again or fail as closed), or this sees the entry claimed
     * and the pool keeps running. A borrower costs nothing for it beyond the state read it always made.
     */
    public boolean retireIfUnused() {
        if (!STATE.compareAndSet(this, RUNNING, RETIRING)) {
            return false;
        }
        if (bag.waiting() == 0 && bag.allIdle()) {
            return true;
        }
        keepRunning();
        return false;
    }

    /** Undoes {@link #retireIfUnused()}: borrowers held by RETIRING go on. */
    public void keepRunning() {
        STATE.compareAndSet(this, RETIRING, RUNNING);
    }

    public boolean isSuspended() {
        return state == SUSPENDED;
    }

    /** Closes idle connections now; with {@code borrowedToo}, borrowed ones close when returned (soft evict, e.g. after a failover). */
    public void evict(boolean borrowedToo) {
        closer.evict(borrowedToo);
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
        events.resized(newMaximumPoolSize, newMinimumIdle);
        closer.closeSurplus(newMaximumPoolSize);
    }

    @Override
    void leakThresholdChanged() {
        holdSampleMask = holdSampleMask();
    }

    @Override
    PhysicalConnector connector() {
        return connector;
    }

    @Override
    PoolEvents events() {
        return events;
    }

    // ---------------------------------------------------------------- return

    /**
     * The return path. A tenant's claim is ended after the connection is back (idle or handed to a
     * waiter), so a caller let in by the freed slot finds the connection there.
     */
    void release(PooledConnection e) {
        BorrowClaim claim = e.claim;
        if (claim == null) {
            returnToPool(e, null);
            return;
        }
        try {
            returnToPool(e, claim);
        } finally {
            claim.borrowEnded();
        }
    }

    /** Reset what the borrower changed, then hand to a waiter or make idle. */
    private void returnToPool(PooledConnection e, BorrowClaim claim) {
        long now;
        long held;
        if (e.holdTimed) {
            now = ticker.read();
            held = now - e.borrowedAtNanos;
            metrics.hold.record(held);
            ticker.advanceCoarse(now);
        } else {
            // Untimed borrows make idle-time bookkeeping coarse, which the checks that read it allow for.
            now = ticker.coarse();
            held = 0;
        }
        e.borrower = null;
        if (events.observesBorrows) {
            events.returned(e, held);
        }
        if (e.borrowSite() != null) {
            leaks.returned(e, held);
        }
        if (claim != null) {
            e.claim = null; // before the entry can reach its next borrower; a pool of its own never writes it
        }
        try {
            e.reset();
        } catch (SQLException ex) {
            inspect(e, ex);
            events.resetFailed(e, ex);
            closer.discard(e, e.broken ? CloseReason.BROKEN : CloseReason.EVICTED);
            return;
        }
        if (e.broken || e.generation != generation) {
            closer.discard(e, e.broken ? CloseReason.BROKEN : CloseReason.FAILOVER);
            return;
        }
        CloseReason retire = e.retireOnReturn;
        if (retire == CloseReason.MAX_LIFETIME && state != CLOSED
                && !(bag.size() - retiring.get() > maximumPoolSize && supply.shrunk())) {
            retirement.onReturn(e, now); // within the retirement budget and replacement first, as an idle one
            return;
        }
        if (retire != null) {
            closer.discard(e, retire);
            return;
        }
        if (state == CLOSED) {
            closer.discard(e, CloseReason.POOL_CLOSED);
            return;
        }
        if (bag.size() - retiring.get() > maximumPoolSize && supply.shrunk()) { // confirmed under the lock: see shrunk()
            closer.discard(e, CloseReason.EVICTED); // the pool was shrunk while this one was borrowed
            return;
        }
        if (exceedsMaxIdle()) {
            closer.discard(e, CloseReason.MAX_IDLE);
            return;
        }
        e.lastUsedNanos = now;
        e.lastReturnedNanos = now;
        bag.offerReturned(e);
    }

    /**
     * Looks at a driver exception raised on a borrowed connection. A failover signal starts a new
     * generation ({@link PoolGeneration}). A broken connection is retired on return, and every idle
     * sibling is validated before its next hand-out: a server that killed one backend killed them all.
     */
    void inspect(PooledConnection e, SQLException ex) {
        generations.inspect(e, ex);
        if (!e.broken && FailureClassifier.isConnectionBroken(ex)) {
            e.broken = true;
            distrustBeforeNanos = ticker.read();
        } else if (transactionPooling && FailureClassifier.isPreparedStatementLost(ex)) {
            // Only this connection's statement cache is out of step with PgBouncer; its siblings are fine.
            e.broken = true;
        }
    }

    void abortBorrowed(PooledConnection e, Executor executor) throws SQLException {
        try {
            closer.abortBorrowed(e, executor);
        } finally {
            endClaim(e);
        }
    }

    /** Ends the claim of a borrow the pool ends itself (abort, abandon reclaim, shutdown): the entry is removed, never borrowed again. */
    static void endClaim(PooledConnection e) {
        BorrowClaim claim = e.claim;
        if (claim != null) {
            e.claim = null;
            claim.borrowEnded();
        }
    }

    /** Whether one more idle connection would exceed maxIdle (Go's SetMaxIdleConns), with nobody waiting. */
    boolean exceedsMaxIdle() {
        int mi = maxIdle;
        return mi < maximumPoolSize && bag.waiting() == 0 && bag.idleCount() >= mi;
    }

    // ---------------------------------------------------------------- stats and shutdown

    public PoolStats stats() {
        return metrics.stats(this);
    }

    /** The health rule over the last minute of samples; see {@link HealthSampler}. */
    public PoolHealth health() {
        return health.judge();
    }

    public boolean isClosed() {
        return state == CLOSED;
    }

    /**
     * Borrowed connections counted by the tenant their borrow's claim names, at this moment: a
     * tenant router's count of what each tenant holds where it keeps none of its own.
     */
    public Map<String, Integer> inUseByTenant() {
        Map<String, Integer> m = new HashMap<>();
        for (PooledConnection e : bag.snapshot()) {
            BorrowClaim claim = e.claim;
            if (claim != null && e.state() == PooledConnection.IN_USE) {
                m.merge(claim.tenant(), 1, Integer::sum);
            }
        }
        return m;
    }

    /** The runs of borrows the entries hold now for each tenant tally; see {@link BorrowTally}. */
    public Map<BorrowTally, Long> unsettledBorrows() {
        Map<BorrowTally, Long> m = new IdentityHashMap<>();
        for (PooledConnection e : bag.snapshot()) {
            BorrowTally t = e.tally();
            if (t != null) {
                m.merge(t, e.tallied(), Long::sum);
            }
        }
        return m;
    }

    /** The connections borrowed now, longest held first; see {@link HeldConnections}. */
    public List<HeldConnection> held() {
        return HeldConnections.of(bag, ticker.read(), coarseLagNanos);
    }

    /** Attached or detached at runtime (a console); while a listener that observes borrows is on, every borrow is timed. */
    public boolean listener(PoolListener listener, boolean attach) {
        boolean changed = attach ? events.add(listener) : events.remove(listener);
        holdSampleMask = holdSampleMask();
        return changed;
    }

    /**
     * Reports to listeners a tenant borrow that a router failed before or after this pool's part of
     * it (SCHEMA mode: no slot of the tenant came free in time, or the tenant's schema is missing).
     * Failures of the pool's own part are reported by the pool.
     */
    public void tenantBorrowFailed(String tenant, SQLException failure, long waitedNanos) {
        if (events.hasListeners) {
            events.acquireFailed(tenant, SluiceFailure.reasonOf(failure).orElse(FailureReason.ACQUIRE_TIMEOUT),
                    Duration.ofNanos(Math.max(0, waitedNanos)));
        }
    }

    /**
     * Closes the pool for a tenant router that drops it (idle, or its database gone) and retries
     * on a new pool any borrow that fails because of this close: such a borrow is the router's
     * business, not a failed acquisition of this pool, so it is not reported to listeners.
     */
    public void closeDropped() {
        droppedByRouter = true;
        close();
    }

    /**
     * Stops hand-out, fails waiters with POOL_CLOSED, closes idle connections, waits for borrowed
     * ones up to {@code shutdownTimeout} (they are closed as they come back), then aborts the rest.
     */
    public void close() {
        if ((int) STATE.getAndSet(this, CLOSED) == CLOSED) {
            return;
        }
        housekeeper.stop();
        health.stop();
        bag.failWaiters(SluiceFailure.of(FailureReason.POOL_CLOSED, name, name + " was closed while waiting", null));
        closer.closeIdle(CloseReason.POOL_CLOSED);
        retirement.closeWaiting();
        long deadline = ticker.read() + config.shutdownTimeout().toNanos();
        while (bag.size() > 0 && ticker.read() - deadline < 0) {
            closer.closeIdle(CloseReason.POOL_CLOSED);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        closer.abortBorrowedAtShutdown();
        scheduler.shutdown();
        if (fleet != null) {
            fleet.close();
        }
        attempts.shutdown(Math.max(TimeUnit.SECONDS.toNanos(1), config.shutdownTimeout().toNanos()));
        events.poolClosed();
    }

    private void startFleet() throws SQLException {
        try {
            fleet.start();
        } catch (SQLException | RuntimeException e) {
            if (config.initializationFailTimeout().isNegative()) {
                events.startedWithoutConnection(e instanceof SQLException s ? s : new SQLException(e));
                return; // the fleet's timer tries again
            }
            throw e;
        }
    }

    /** The fleet as this pool last saw it (instances, budget, its share and grant), or null when it is not a fleet member. */
    public String fleetView() {
        return fleet == null ? null : fleet.view();
    }

    @Override
    public String toString() {
        return "Pool[" + name + ", " + failures.stateLine() + "]";
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Pool.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
