package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.LeakReport;
import dev.sluice.PoolListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans pool events out to the registered listeners. A listener that throws is reported once
 * (per listener class) and otherwise ignored: observers must never be able to break the pool.
 * The pool holds no dispatch at all when no listener is registered, so the hot path pays one
 * null check.
 */
final class ListenerDispatch {
    private static final System.Logger LOG = System.getLogger("dev.sluice.Pool");

    private final PoolListener[] listeners;
    private final String poolName;
    private final Set<Class<?>> reported = ConcurrentHashMap.newKeySet();

    private ListenerDispatch(String poolName, List<PoolListener> listeners) {
        this.poolName = poolName;
        this.listeners = listeners.toArray(new PoolListener[0]);
    }

    /** A dispatch for the listeners, or null when there are none. */
    static ListenerDispatch of(String poolName, List<PoolListener> listeners) {
        return listeners.isEmpty() ? null : new ListenerDispatch(poolName, listeners);
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

    void created(Duration connectTime) {
        each(l -> l.connectionCreated(poolName, connectTime));
    }

    void connectFailed(FailureReason reason, Throwable cause) {
        each(l -> l.connectFailed(poolName, reason, cause));
    }

    void acquired(long waitNanos) {
        for (PoolListener l : listeners) {
            try {
                l.connectionAcquired(poolName, waitNanos);
            } catch (RuntimeException | LinkageError e) {
                failed(l, e);
            }
        }
    }

    void returned(long holdNanos) {
        for (PoolListener l : listeners) {
            try {
                l.connectionReturned(poolName, holdNanos);
            } catch (RuntimeException | LinkageError e) {
                failed(l, e);
            }
        }
    }

    private void failed(PoolListener l, Throwable e) {
        if (reported.add(l.getClass())) {
            LOG.log(Level.WARNING, poolName + ": listener " + l.getClass().getName() + " threw; its failures are reported only once", e);
        }
    }

    void closed(CloseReason reason) {
        each(l -> l.connectionClosed(poolName, reason));
    }

    void acquireFailed(FailureReason reason, Duration waited) {
        each(l -> l.acquireFailed(poolName, reason, waited));
    }

    void leakSuspected(LeakReport report) {
        each(l -> l.leakSuspected(report));
    }

    void leakResolved(LeakReport report, Duration heldFor) {
        each(l -> l.leakResolved(report, heldFor));
    }

    void abandoned(LeakReport report) {
        each(l -> l.connectionAbandoned(report));
    }

    void nested(String thread, Throwable heldSite, Throwable requestSite) {
        each(l -> l.nestedAcquisition(poolName, thread, heldSite, requestSite));
    }

    void breaker(dev.sluice.BreakerState from, dev.sluice.BreakerState to, Throwable lastFailure) {
        each(l -> l.breakerStateChanged(poolName, from, to, lastFailure));
    }

    void sizing(dev.sluice.SizingDecision d) {
        each(l -> l.sizingDecision(poolName, d));
    }

    void resized(int max, int min) {
        each(l -> l.resized(poolName, max, min));
    }

    void suspended(boolean suspended) {
        each(l -> l.suspended(poolName, suspended));
    }
}
