package dev.sluice.internal;

import dev.sluice.CloseReason;
import java.util.concurrent.ScheduledFuture;

/**
 * The periodic sweep over idle and borrowed connections: hard lifetime expiry, maxIdleTime,
 * idleTimeout above minimumIdle, keepalive validation, and (through {@link LeakDetector}) leak
 * reports and abandon reclaim; then it tops the pool up. It takes an idle connection only by
 * reserving it, so it never races a borrower for one; its period was already shortened by the
 * configuration to suit the idle, keepalive and leak knobs.
 */
final class Housekeeper {
    private final Pool pool;
    private final long maxIdleTimeNanos;
    private final long keepaliveNanos;
    private volatile ScheduledFuture<?> task;

    Housekeeper(Pool pool) {
        this.pool = pool;
        this.maxIdleTimeNanos = pool.config.maxIdleTime().toNanos();
        this.keepaliveNanos = pool.config.keepaliveTime().toNanos();
    }

    void start() {
        long period = pool.config.housekeepingPeriod().toNanos();
        task = pool.scheduler.scheduleEvery(this::run, period);
    }

    void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }

    private void run() {
        try {
            long now = pool.ticker.read();
            PooledConnection[] entries = pool.bag.snapshot();
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
                    long idleTimeout = pool.idleTimeoutNanos;
                    if (e.hasLifetime && now - e.expiresAtNanos >= 0 && e.reserve()) {
                        idle--;
                        pool.retirement.expired(e); // its retirement never got a turn (slow connects, database down?)
                    } else if (maxIdleTimeNanos > 0 && idleFor > maxIdleTimeNanos && e.reserve()) {
                        idle--;
                        pool.closer.discard(e, CloseReason.MAX_IDLE_TIME);
                    } else if (idleTimeout > 0 && idle > pool.minimumIdle && idleFor > idleTimeout && e.reserve()) {
                        idle--;
                        pool.closer.discard(e, CloseReason.IDLE_TIMEOUT);
                    } else if (keepaliveNanos > 0 && now - e.lastUsedNanos > keepaliveNanos && e.reserve()) {
                        if (pool.validator.validate(e, pool.ticker.read() + pool.validationTimeoutNanos)) {
                            pool.bag.offer(e);
                        } else {
                            pool.metrics.validationFailures.increment();
                            idle--;
                            pool.closer.discard(e, CloseReason.VALIDATION_FAILED);
                        }
                    }
                } else if (s == PooledConnection.IN_USE) {
                    pool.leaks.check(e, now);
                }
            }
            pool.supply.fill();
        } catch (RuntimeException | Error unexpected) {
            pool.events.housekeepingFailed(unexpected);
        }
    }
}
