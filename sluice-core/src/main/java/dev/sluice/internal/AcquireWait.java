package dev.sluice.internal;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Where a borrower waits when {@link Pool} cannot serve it at once: for a suspended pool to
 * resume, and for a connection when none is idle. Off the hot path: a borrower gets here only
 * after its poll of the bag came back empty or the pool was not running, and then parks anyway.
 */
final class AcquireWait {
    private final Pool pool;
    /** Run by each caller once it is queued to wait: adaptive sizing may grow the pool for it, then fill opens what is missing. */
    private final Runnable onQueued;

    AcquireWait(Pool pool, Runnable onQueued) {
        this.pool = pool;
        this.onQueued = onQueued;
    }

    /**
     * Waits in the bag's queue until a connection is handed over or {@code deadlineNanos}, unless
     * waiting cannot help: the pool is closed, the last connect failed for good, or the breaker is
     * open with no connection left to return.
     */
    PooledConnection forConnection(long tid, long startNanos, long deadlineNanos, FailureReason discardedFor, BorrowClaim claim)
            throws SQLException {
        rejectIfClosed();
        pool.failures.failFastOnPermanentConnectFailure();
        if (pool.supply.breaker().isOpen() && pool.bag.size() == 0) {
            throw pool.failures.breakerOpen(startNanos);
        }
        pool.nested.check();
        PoolMetrics metrics = pool.metrics;
        metrics.waitCount.increment();
        JfrEvents.Acquire event = pool.events.beginWait();
        String outcome = "TIMEOUT";
        PooledConnection e = null;
        try {
            e = pool.bag.await(tid, deadlineNanos, onQueued);
        } catch (SQLException delivered) {
            FailureReason reason = SluiceFailure.reasonOf(delivered).orElse(FailureReason.CONNECT_REFUSED);
            outcome = reason.name();
            throw SluiceFailure.of(reason, pool.name, delivered.getMessage(), delivered.getCause() != null ? delivered.getCause() : delivered);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            outcome = "INTERRUPTED";
            throw new SQLException(pool.name + ": interrupted while waiting for a connection", "08001", ie);
        } finally {
            metrics.waitNanos.add(pool.ticker.read() - startNanos);
            pool.events.endWait(event, e != null ? "ACQUIRED" : outcome, claim);
        }
        if (e == null) {
            metrics.acquireTimeouts.increment();
            throw pool.failures.timeout(startNanos, discardedFor);
        }
        return e;
    }

    /**
     * A suspended pool holds new callers until it is resumed or their deadline passes. Polling
     * is fine here: suspension is an operator action, rare and short, and a parked poll does not
     * pin a virtual thread.
     */
    void untilRunning(long startNanos, long deadlineNanos) throws SQLException {
        for (;;) {
            int s = pool.state;
            if (s == Pool.RUNNING) {
                return;
            }
            rejectIfClosed();
            long remaining = deadlineNanos - pool.ticker.read();
            if (remaining <= 0) {
                pool.metrics.acquireTimeouts.increment();
                throw SluiceFailure.of(FailureReason.POOL_SUSPENDED, pool.name, pool.name
                        + ": the pool is suspended and was not resumed within "
                        + TimeUnit.NANOSECONDS.toMillis(pool.ticker.read() - startNanos) + "ms", null);
            }
            // The pool as the blocker, so a thread dump names what the thread waits for.
            LockSupport.parkNanos(pool, Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(5)));
        }
    }

    private void rejectIfClosed() throws SQLException {
        if (pool.state == Pool.CLOSED) {
            throw SluiceFailure.of(FailureReason.POOL_CLOSED, pool.name, pool.name + " is closed", null);
        }
    }
}
