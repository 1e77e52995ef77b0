package dev.sluice.internal;

import dev.sluice.CloseReason;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executor;

/**
 * Takes connections out of the pool and ends them: discard for a reason, abort, and the closes
 * of shutdown. A connection is taken out only by whoever wins {@link PooledConnection#markRemoved},
 * so it is counted closed once; the physical close runs on a pool thread (a close can block on a
 * dead network), and every removal is followed by a fill, so the pool refills what it lost.
 */
final class ConnectionCloser {
    private final Pool pool;

    ConnectionCloser(Pool pool) {
        this.pool = pool;
    }

    /** Closes an entry the caller holds (or that is idle and reserved) for {@code reason}. */
    void discard(PooledConnection e, CloseReason reason) {
        if (e.markRemoved()) {
            if (e.setAsideForReplacement) {
                pool.supply.removeSetAside(e);
            } else {
                pool.bag.remove(e);
            }
            recordClose(e, reason, false);
            pool.attempts.closeAsync(e.raw, pool.share == null ? null : pool.share::release);
            pool.events.discarded(e, reason);
        }
        pool.supply.fill();
    }

    /** Closes idle connections now; with {@code borrowedToo}, borrowed ones when returned. */
    void evict(boolean borrowedToo) {
        for (PooledConnection e : pool.bag.snapshot()) {
            if (e.reserve()) {
                discard(e, CloseReason.EVICTED);
            } else if (borrowedToo && e.state() == PooledConnection.IN_USE
                    && (e.retireOnReturn == null || e.retireOnReturn == CloseReason.MAX_LIFETIME)) {
                e.retireOnReturn = CloseReason.EVICTED; // evict wins over a lifetime retirement waiting for its budget
            }
        }
        pool.supply.fill();
    }

    /** After a shrink: idle connections beyond {@code maximumPoolSize} close now; borrowed ones are closed by the return path. */
    void closeSurplus(int maximumPoolSize) {
        for (PooledConnection e : pool.bag.snapshot()) {
            if (pool.bag.size() - pool.retiring.get() <= maximumPoolSize) {
                break;
            }
            if (e.reserve()) {
                discard(e, CloseReason.EVICTED);
            }
        }
        pool.supply.fill();
    }

    /**
     * Counts a connection out. Every removal passes here once; under a shared budget the permit
     * goes back here too, except for {@link #discard}, which returns it only after the physical
     * close, so a budget shared by several pools is never exceeded on the server.
     */
    void recordClose(PooledConnection e, CloseReason reason) {
        recordClose(e, reason, true);
    }

    private void recordClose(PooledConnection e, CloseReason reason, boolean releaseBudget) {
        pool.metrics.closed(reason);
        pool.events.closed(e, reason);
        if (releaseBudget && pool.share != null) {
            pool.share.release();
        }
    }

    /** Closes the idle connection used least recently, for a shared budget that needs room; false if none was idle. */
    boolean evictLeastRecentlyUsedIdle() {
        PooledConnection oldest = null;
        for (PooledConnection e : pool.bag.snapshot()) {
            if (e.state() == PooledConnection.IDLE && (oldest == null || e.lastUsedNanos - oldest.lastUsedNanos < 0)) {
                oldest = e;
            }
        }
        if (oldest == null || !oldest.reserve()) {
            return false;
        }
        discard(oldest, CloseReason.EVICTED);
        return true;
    }

    /** {@link Connection#abort} on a borrowed connection, through its handle. */
    void abortBorrowed(PooledConnection e, Executor executor) throws SQLException {
        if (e.markRemoved()) {
            pool.bag.remove(e);
            recordClose(e, CloseReason.ABORTED);
            try {
                abortPhysical(e.raw, executor);
            } finally {
                pool.supply.fill();
            }
        }
    }

    /** Aborts a connection the pool takes back from its borrower (abandoned, or still borrowed at shutdown). */
    void abortQuietly(PooledConnection e) {
        try {
            abortPhysical(e.raw, DirectExecutor.INSTANCE);
        } catch (SQLException | RuntimeException ex) {
            ConnectAttempts.closeQuietly(e.raw);
        }
    }

    /**
     * Aborts a physical connection and makes sure it really ends. Some drivers' abort does nothing
     * (H2's is empty, and its session stays open on the server), so a connection still open
     * afterwards is closed on a pool thread, where a close that blocks harms nobody.
     */
    private void abortPhysical(Connection raw, Executor executor) throws SQLException {
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
                pool.attempts.closeAsync(raw);
            }
        }
    }

    /** At close: every idle connection, closed on the closing thread. */
    void closeIdle(CloseReason reason) {
        for (PooledConnection e : pool.bag.snapshot()) {
            if (e.reserve() && e.markRemoved()) {
                pool.bag.remove(e);
                ConnectAttempts.closeQuietly(e.raw); // before recordClose: it returns a shared budget's permit
                recordClose(e, reason);
            }
        }
    }

    /** At close, after shutdownTimeout: connections still borrowed are aborted. */
    void abortBorrowedAtShutdown() {
        for (PooledConnection e : pool.bag.snapshot()) {
            if (e.markRemoved()) {
                pool.bag.remove(e);
                pool.events.abortedAtShutdown(e.borrowThread());
                abortQuietly(e);
                recordClose(e, CloseReason.ABORTED);
                Pool.endClaim(e);
            }
        }
    }
}
