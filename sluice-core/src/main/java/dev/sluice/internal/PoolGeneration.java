package dev.sluice.internal;

import dev.sluice.CloseReason;
import java.sql.SQLException;

/**
 * Failover: the pool's generations. Every connection records the generation current when its
 * connect started; a failover signal on a live connection (see
 * {@link FailureClassifier#isFailoverSignal}) starts the next one, and from then on no connection of
 * an older generation is handed out again: idle ones are closed at once, borrowed ones when they
 * come back, and those whose connect was under way when they arrive.
 *
 * <p>Why a counter rather than an evict-all: after a failover, dozens of borrowed connections fail
 * with the same error within milliseconds. Only the first error of a generation starts a new one
 * (the others come from connections already of an older generation), so one failover evicts once
 * and does not close, again and again, the connections just opened to the new primary. And a connect
 * that started before the failover may still land on the old primary; its generation says so.
 *
 * <p>The current generation lives in {@link Pool#generation}, a volatile the hand-out path reads
 * next to the fields it reads anyway; it only changes here, under this object's monitor.
 */
final class PoolGeneration {
    private final Pool pool;

    PoolGeneration(Pool pool) {
        this.pool = pool;
    }

    /**
     * Called with an error raised on connection {@code e} while it was borrowed. A failover signal
     * from a connection of the current generation starts the next one and closes the idle
     * connections of the older ones; borrowed ones are closed by the return path.
     */
    void inspect(PooledConnection e, SQLException ex) {
        if (e.generation != pool.generation || e.state() == PooledConnection.REMOVED || !FailureClassifier.isFailoverSignal(ex)) {
            return; // an older generation, or a connection the pool itself aborted (abandoned, shutdown)
        }
        long next;
        synchronized (this) {
            if (e.generation != pool.generation) {
                return; // another thread's signal of the same failover got here first
            }
            next = e.generation + 1;
            pool.generation = next;
        }
        pool.events.failover(FailureClassifier.failoverSignal(ex), next);
        evictOlder();
    }

    /** Whether {@code e} is of an older generation than the pool's: it must not be handed out again. */
    boolean isStale(PooledConnection e) {
        return e.generation != pool.generation;
    }

    /** Closes every idle connection of an older generation now. */
    private void evictOlder() {
        for (PooledConnection e : pool.bag.snapshot()) {
            if (isStale(e) && e.reserve()) {
                pool.closer.discard(e, CloseReason.FAILOVER);
            }
        }
        pool.supply.fill();
    }
}
