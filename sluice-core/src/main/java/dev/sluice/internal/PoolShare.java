package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.PoolStats;
import dev.sluice.SluiceConfig;
import java.sql.SQLException;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * A pool that is one of several under a shared {@link ConnectionBudget} (a tenant's pool), as the
 * budget sees it: what it holds, whether its callers wait, and the two things the budget may ask
 * of it (connect now that there is room; give up an idle connection). Kept apart from
 * {@link Pool} so that a pool on its own carries none of it but one null field.
 */
public final class PoolShare {
    private final Pool pool;
    private final ConnectionBudget budget;

    PoolShare(Pool pool, ConnectionBudget budget) {
        this.pool = pool;
        this.budget = budget;
    }

    /**
     * Starts a pool under {@code budget}. It runs no start-up check (that connect would bypass the
     * budget: set initializationFailTimeout negative), and its timed tasks run on {@code timers},
     * threads shared with the other pools rather than a housekeeper thread of its own. Its leak
     * reports and Flight Recorder events name {@code tenant}.
     */
    public static PoolShare start(SluiceConfig config, String tenant, ConnectionBudget budget, ScheduledThreadPoolExecutor timers)
            throws SQLException {
        if (!config.initializationFailTimeout().isNegative()) {
            throw new IllegalArgumentException("a pool under a shared budget takes no start-up check: initializationFailTimeout must be negative");
        }
        return new Pool(config, Ticker.system(), new SharedScheduler(timers), budget, tenant).share;
    }

    /** The pool itself, to borrow from, read stats of and close. */
    public Pool pool() {
        return pool;
    }

    /** Callers waiting for a connection. */
    public int waiting() {
        return pool.bag.waiting();
    }

    /** Idle connections: what the budget may ask this pool to give up. */
    public int idle() {
        return pool.bag.idleCount();
    }

    /** Open physical connections, borrowed or not. */
    public int open() {
        return pool.bag.size();
    }

    /** The pool's name: a tenant pool's is the data source's name, a dash and the tenant id. */
    public String name() {
        return pool.name;
    }

    public boolean isClosed() {
        return pool.isClosed();
    }

    /** Borrows from this pool since it started. */
    public long borrows() {
        return pool.bag.borrows();
    }

    public PoolStats stats() {
        return pool.stats();
    }

    /** The budget has room again: connect if callers wait. */
    public void budgetFreed() {
        pool.supply.fill();
    }

    /** Closes the idle connection used least recently, to make room for another pool; false if none was idle. */
    public boolean evictLeastRecentlyUsedIdle() {
        return pool.closer.evictLeastRecentlyUsedIdle();
    }

    /**
     * Marks a borrowed connection to be closed when it is returned, so its permit goes to another
     * pool; false if none could be marked. A connection returned while being marked is closed now.
     */
    public boolean evictOneOnReturn() {
        for (PooledConnection e : pool.bag.snapshot()) {
            if (e.state() == PooledConnection.IN_USE && e.retireOnReturn == null) {
                e.retireOnReturn = CloseReason.EVICTED;
                if (e.state() == PooledConnection.IDLE && e.reserve()) {
                    pool.closer.discard(e, CloseReason.EVICTED); // returned between the two looks: its mark would wait for the next borrow
                }
                return true;
            }
        }
        return false;
    }

    boolean take() {
        return budget.tryTake(this);
    }

    void release() {
        budget.release(this);
    }

    @Override
    public String toString() {
        return "PoolShare[" + pool.name + "]";
    }
}
