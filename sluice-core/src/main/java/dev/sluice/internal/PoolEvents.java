package dev.sluice.internal;

import dev.sluice.BreakerState;
import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.LeakReport;
import dev.sluice.PoolListener;
import dev.sluice.SizingDecision;
import dev.sluice.SluiceConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pool's outward event stream: every notable event goes to the log ({@link PoolLog}, the
 * default listener), the registered listeners and Flight Recorder from here, so the pool's logic
 * says "this happened" once and nothing leaves the pool another way. Events that only an
 * operator reading the log needs (start-up lines, debug detail) go to the log alone. A listener that
 * throws is reported once (per listener class) and otherwise ignored: observers must never be
 * able to break the pool. The two hot-path events (acquired, returned) go only to the listeners
 * that {@linkplain PoolListener#observesBorrows() observe borrows} and are guarded by
 * {@link #observesBorrows} at the call site, so without such a listener they cost one field read.
 */
final class PoolEvents {
    /**
     * Copy-on-write: replaced whole (under this object's monitor) when a listener is added or
     * removed at runtime, so the event paths iterate a stable array without a lock.
     */
    private volatile PoolListener[] listeners;
    private final String poolName;
    /** The tenant whose pool this is (DATABASE mode), or null: a shared pool's borrows name theirs in their claim. */
    private final String tenant;
    private final Set<Class<?>> reported = ConcurrentHashMap.newKeySet();
    /**
     * Volatile because a console may attach a listener to a running pool; on the borrow path it is
     * a plain load on x86 and a load-acquire on ARM64, the same as the final field it was.
     */
    volatile boolean hasListeners;
    /** The listeners that observe borrows: a subset of {@link #listeners}, replaced with it. */
    private volatile PoolListener[] borrowListeners;
    /** Whether {@link #borrowListeners} is non-empty: the borrow path's guard, read like {@link #hasListeners}. */
    volatile boolean observesBorrows;
    private final PoolLog log;
    /** The pool's clock, for a closed connection's age. */
    private final Ticker ticker;

    PoolEvents(String poolName, String tenant, List<PoolListener> listeners, Ticker ticker) {
        this.poolName = poolName;
        this.tenant = tenant;
        this.ticker = ticker;
        this.log = new PoolLog(poolName);
        publish(listeners.toArray(new PoolListener[0]));
        JfrEvents.initialize();
    }

    /** Adds a listener to a running pool; events from now on reach it. */
    synchronized boolean add(PoolListener listener) {
        PoolListener[] next = Arrays.copyOf(listeners, listeners.length + 1);
        next[listeners.length] = listener;
        publish(next);
        return true;
    }

    /** Removes the first registration of {@code listener}; false if it was not registered. */
    synchronized boolean remove(PoolListener listener) {
        PoolListener[] now = listeners;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == listener) {
                PoolListener[] next = new PoolListener[now.length - 1];
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                publish(next);
                return true;
            }
        }
        return false;
    }

    /** Replaces the listener arrays and their guards; a listener's observesBorrows() is asked here only. */
    private void publish(PoolListener[] all) {
        List<PoolListener> borrows = new ArrayList<>();
        for (PoolListener l : all) {
            boolean observes;
            try {
                observes = l.observesBorrows();
            } catch (RuntimeException | LinkageError e) {
                failed(l, e);
                observes = true;
            }
            if (observes) {
                borrows.add(l);
            }
        }
        borrowListeners = borrows.toArray(new PoolListener[0]);
        observesBorrows = !borrows.isEmpty();
        listeners = all;
        hasListeners = all.length > 0;
    }

    private interface Call {
        void on(PoolListener l);
    }

    private void each(Call call) {
        for (PoolListener l : listeners) {
            try {
                call.on(l);
            } catch (RuntimeException | LinkageError e) {
                failed(l, e);
            }
        }
    }

    void created(PooledConnection e) {
        JfrEvents.Created ev = JfrEvents.ready() ? new JfrEvents.Created() : null;
        if (ev != null && ev.isEnabled()) {
            ev.pool = poolName;
            ev.connectionId = e.id;
            ev.connectTime = e.connectNanos;
            ev.commit();
        }
        if (hasListeners) {
            Duration connectTime = Duration.ofNanos(e.connectNanos);
            each(l -> l.connectionCreated(poolName, connectTime));
        }
    }

    void connectFailed(FailureReason reason, SQLException failure) {
        JfrEvents.ConnectFailed ev = JfrEvents.ready() ? new JfrEvents.ConnectFailed() : null;
        if (ev != null && ev.isEnabled()) {
            ev.pool = poolName;
            ev.reason = reason.name();
            ev.message = failure.getMessage();
            ev.commit();
        }
        if (hasListeners) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            each(l -> l.connectFailed(poolName, reason, cause));
        }
    }

    /** {@code e} was handed out after {@code waitNanos}; a tenant's borrow is reported with its tenant. */
    void acquired(PooledConnection e, long waitNanos) {
        String t = tenantOf(e);
        for (PoolListener l : borrowListeners) {
            try {
                if (t == null) {
                    l.connectionAcquired(poolName, waitNanos);
                } else {
                    l.connectionAcquired(poolName, t, waitNanos);
                }
            } catch (RuntimeException | LinkageError ex) {
                failed(l, ex);
            }
        }
    }

    /** {@code e} came back after {@code holdNanos}; called before its claim is cleared, so a tenant's borrow names its tenant. */
    void returned(PooledConnection e, long holdNanos) {
        String t = tenantOf(e);
        for (PoolListener l : borrowListeners) {
            try {
                if (t == null) {
                    l.connectionReturned(poolName, holdNanos);
                } else {
                    l.connectionReturned(poolName, t, holdNanos);
                }
            } catch (RuntimeException | LinkageError ex) {
                failed(l, ex);
            }
        }
    }

    private void failed(PoolListener l, Throwable e) {
        if (reported.add(l.getClass())) {
            log.listenerFailed(l, e);
        }
    }

    void closed(PooledConnection e, CloseReason reason) {
        JfrEvents.Closed ev = JfrEvents.ready() ? new JfrEvents.Closed() : null;
        if (ev != null && ev.isEnabled()) {
            ev.pool = poolName;
            ev.connectionId = e.id;
            ev.reason = reason.name();
            ev.age = ticker.read() - e.createdNanos;
            ev.commit();
        }
        if (hasListeners) {
            each(l -> l.connectionClosed(poolName, reason));
        }
    }

    /** @param borrowTenant the tenant a shared pool's failed borrow was for, or null (then this pool's own tenant, if any) */
    void acquireFailed(String borrowTenant, FailureReason reason, Duration waited) {
        if (!hasListeners) {
            return;
        }
        String t = borrowTenant != null ? borrowTenant : tenant;
        if (t == null) {
            each(l -> l.acquireFailed(poolName, reason, waited));
        } else {
            each(l -> l.acquireFailed(poolName, t, reason, waited));
        }
    }

    /**
     * A slow (waiting) acquisition, measured by the event itself; committed only above its
     * threshold. Null (not recorded) until the event classes are initialized: see
     * {@link JfrEvents#initialize()}.
     */
    JfrEvents.Acquire beginWait() {
        if (!JfrEvents.ready()) {
            return null;
        }
        JfrEvents.Acquire ev = new JfrEvents.Acquire();
        ev.begin();
        return ev;
    }

    void endWait(JfrEvents.Acquire ev, String outcome, BorrowClaim claim) {
        if (ev == null) {
            return;
        }
        ev.end();
        if (ev.shouldCommit()) {
            ev.pool = poolName;
            ev.tenant = claim != null ? claim.tenant() : tenant;
            ev.outcome = outcome;
            ev.commit();
        }
    }

    /** The tenant a borrowed entry is held for: its claim's (a shared pool), else this pool's own, else null. */
    private String tenantOf(PooledConnection e) {
        BorrowClaim claim = e.claim;
        return claim != null ? claim.tenant() : tenant;
    }

    LeakReport leakReport(PooledConnection e, long heldNanos) {
        return new LeakReport(poolName, e.borrowThread(), Duration.ofNanos(heldNanos), BorrowSite.asThrowable(e.borrowSite()),
                e.borrowContext(), tenantOf(e));
    }

    void leakSuspected(PooledConnection e, long heldNanos, long thresholdNanos, Throwable site, Object context) {
        log.leakSuspected(e, tenantOf(e), heldNanos, thresholdNanos, site, context);
        leakEvent(e, heldNanos, false);
        if (hasListeners) {
            LeakReport report = leakReport(e, heldNanos);
            each(l -> l.leakSuspected(report));
        }
    }

    void leakResolved(PooledConnection e, long heldNanos) {
        log.leakResolved(e, heldNanos);
        if (hasListeners) {
            LeakReport report = leakReport(e, heldNanos);
            each(l -> l.leakResolved(report, Duration.ofNanos(heldNanos)));
        }
    }

    void abandoned(PooledConnection e, long heldNanos, long abandonNanos) {
        log.abandoned(e, tenantOf(e), heldNanos, abandonNanos);
        leakEvent(e, heldNanos, true);
        if (hasListeners) {
            LeakReport report = leakReport(e, heldNanos);
            each(l -> l.connectionAbandoned(report));
        }
    }

    private void leakEvent(PooledConnection e, long heldNanos, boolean abandoned) {
        JfrEvents.Leak ev = JfrEvents.ready() ? new JfrEvents.Leak() : null;
        if (ev != null && ev.isEnabled()) {
            ev.pool = poolName;
            ev.tenant = tenantOf(e);
            ev.thread = e.borrowThread();
            ev.heldFor = heldNanos;
            ev.borrowSite = JfrEvents.frames(BorrowSite.asThrowable(e.borrowSite()));
            ev.abandoned = abandoned;
            ev.commit();
        }
    }

    void nested(String thread, Throwable heldSite, Throwable requestSite) {
        JfrEvents.Nested ev = JfrEvents.ready() ? new JfrEvents.Nested() : null;
        if (ev != null && ev.isEnabled()) {
            ev.pool = poolName;
            ev.commit();
        }
        if (hasListeners) {
            each(l -> l.nestedAcquisition(poolName, thread, heldSite, requestSite));
        }
    }

    void breaker(BreakerState from, BreakerState to, Throwable lastFailure, int consecutiveFailures) {
        log.breaker(from, to, lastFailure, consecutiveFailures);
        JfrEvents.Breaker ev = JfrEvents.ready() ? new JfrEvents.Breaker() : null;
        if (ev != null && ev.isEnabled()) {
            ev.pool = poolName;
            ev.from = from.name();
            ev.to = to.name();
            ev.lastFailure = lastFailure != null ? lastFailure.getMessage() : null;
            ev.commit();
        }
        if (hasListeners) {
            each(l -> l.breakerStateChanged(poolName, from, to, lastFailure));
        }
    }

    void sizing(SizingDecision d) {
        log.sizing(d);
        JfrEvents.Sizing ev = JfrEvents.ready() ? new JfrEvents.Sizing() : null;
        if (ev != null && ev.isEnabled()) {
            ev.pool = poolName;
            ev.action = d.action().name();
            ev.fromSize = d.fromSize();
            ev.toSize = d.toSize();
            ev.applied = d.applied();
            ev.reason = d.reason();
            ev.commit();
        }
        if (hasListeners) {
            each(l -> l.sizingDecision(poolName, d));
        }
    }

    void resized(int max, int min) {
        log.resized(max, min);
        JfrEvents.Resize ev = JfrEvents.ready() ? new JfrEvents.Resize() : null;
        if (ev != null && ev.isEnabled()) {
            ev.pool = poolName;
            ev.maximumPoolSize = max;
            ev.minimumIdle = min;
            ev.commit();
        }
        if (hasListeners) {
            each(l -> l.resized(poolName, max, min));
        }
    }

    void failover(String trigger, long generation) {
        log.failover(trigger, generation);
        if (hasListeners) {
            each(l -> l.failover(poolName, trigger, generation));
        }
    }

    void suspended(boolean suspended) {
        log.suspended(suspended);
        if (hasListeners) {
            each(l -> l.suspended(poolName, suspended));
        }
    }

    // ---------------------------------------------------------------- for the log alone

    void started(SluiceConfig config, String target, int maximumPoolSize, int minimumIdle, int open) {
        log.started(config, target, maximumPoolSize, minimumIdle, open);
    }

    void startedWithoutConnection(SQLException cause) {
        log.startedWithoutConnection(cause);
    }

    void startupAttemptFailed(int failedAttempts, SQLException cause, long remainingNanos, long initFailNanos) {
        log.startupAttemptFailed(failedAttempts, cause, remainingNanos, initFailNanos);
    }

    void connectAttemptFailed(SQLException failure) {
        log.connectFailed(failure);
    }

    void credentialsChanged(String username) {
        log.credentialsChanged(username);
    }

    void discarded(PooledConnection e, CloseReason reason) {
        log.discarded(e, reason);
    }

    void validationFailed(PooledConnection e, Throwable failed) {
        log.validationFailed(e, failed);
    }

    void resetFailed(PooledConnection e, SQLException ex) {
        log.resetFailed(e, ex);
    }

    void nestedWarning(String message, Throwable requestSite) {
        log.nestedAcquisition(message, requestSite);
    }

    void abortedAtShutdown(String borrowThread) {
        log.abortedAtShutdown(borrowThread);
    }

    void housekeepingFailed(Throwable unexpected) {
        log.housekeepingFailed(unexpected);
    }

    void poolClosed() {
        log.closed();
    }
}
