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
            e = pool.bag.await(tid, deadlineNanos, () -> queued(deadlineNanos));
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
     * Runs once the caller is counted as waiting, before it looks for an entry. A retiring sweep
     * reads that count after it stopped hand-out (see {@link Pool#retireIfUnused()}), so a caller
     * that reads the state after being counted either was seen by the sweep or sees it here. A
     * pool that closes after close() failed its waiters fails this one too, rather than leaving
     * it parked until its deadline.
     */
    private void queued(long deadlineNanos) {
        if (pool.state != Pool.RUNNING) {
            settleRetiring(deadlineNanos);
            if (pool.state == Pool.CLOSED) {
                pool.bag.failWaiters(SluiceFailure.of(FailureReason.POOL_CLOSED, pool.name, pool.name + " was closed while waiting", null));
                return;
            }
        }
        onQueued.run();
    }

    /**
     * Waits out RETIRING, which lasts only while the sweep looks at the entries and then either
     * closes the pool (the first thing close() does is set CLOSED) or lets it run on: yielding,
     * since that is a few microseconds of work on another thread.
     */
    private void settleRetiring(long deadlineNanos) {
        while (pool.state == Pool.RETIRING && deadlineNanos - pool.ticker.read() > 0) {
            Thread.yield();
        }
    }

    /**
     * A suspended pool holds new callers until it is resumed or their deadline passes. Polling
     * is fine here: suspension is an operator action, rare and short, and a parked poll does not
     * pin a virtual thread. A retiring pool holds them for the moment it takes to decide.
     */
    void untilRunning(long startNanos, long deadlineNanos) throws SQLException {
        for (;;) {
            settleRetiring(deadlineNanos);
            int s = pool.state;
            if (s == Pool.RUNNING) {
                return;
            }
            rejectIfClosed();
            long remaining = deadlineNanos - pool.ticker.read();
            if (remaining <= 0) {
                pool.metrics.acquireTimeouts.increment();
                if (s == Pool.RETIRING) {
                    throw pool.failures.timeout(startNanos, null);
                }
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
