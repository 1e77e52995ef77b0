package dev.sluice.internal;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The failures a borrow ends with, and their messages. A message is API (tests and operators
 * match it), so each names the pool, what was waited for and how long, the pool's state
 * (total/in use/idle/waiting/creating/max) and, when connects are failing, the last connect
 * failure as the cause: "timed out" alone never tells an operator whether the database is down
 * or the pool too small.
 */
final class AcquireFailures {
    private final Pool pool;
    private final String name;

    AcquireFailures(Pool pool) {
        this.pool = pool;
        this.name = pool.name;
    }

    /**
     * The breaker is open and no connection exists that could be returned: waiting could only end
     * in a timeout, so the caller fails now, in microseconds, with the cause attached.
     */
    SQLException breakerOpen(long startNanos) {
        pool.metrics.breakerRejections.increment();
        SQLException last = pool.supply.lastConnectFailure();
        long openFor = TimeUnit.NANOSECONDS.toMillis(pool.ticker.read() - pool.supply.breaker().openedAtNanos());
        return SluiceFailure.of(FailureReason.BREAKER_OPEN, name, name + ": circuit breaker open for " + openFor
                + "ms after repeated connect failures; failing fast instead of waiting (the pool probes the database and"
                + " closes the breaker when it answers)" + (last != null ? "; last connect failure: " + last.getMessage() : ""), last);
    }

    /** With no connection open and a non-transient connect failure fresh, a new caller fails at once. */
    void failFastOnPermanentConnectFailure() throws SQLException {
        SQLException last = pool.supply.lastConnectFailure();
        if (last != null && pool.bag.size() == 0 && pool.ticker.read() - pool.supply.backoffUntilNanos() < 0) {
            FailureReason reason = SluiceFailure.reasonOf(last).orElse(FailureReason.CONNECT_REFUSED);
            if (!reason.isTransient()) {
                throw SluiceFailure.of(reason, name, last.getMessage(), last.getCause() != null ? last.getCause() : last);
            }
        }
    }

    /**
     * No connection came in time. The reason is the validation failure that used the time up, or
     * the connect failure that kept the pool empty, else ACQUIRE_TIMEOUT.
     */
    SQLException timeout(long startNanos, FailureReason discardedFor) {
        long waited = TimeUnit.NANOSECONDS.toMillis(pool.ticker.read() - startNanos);
        SQLException last = pool.supply.lastConnectFailure();
        boolean connectFailing = last != null
                && pool.ticker.read() - pool.supply.lastConnectFailureNanos() < pool.connectionTimeoutNanos + waited * 1_000_000L;
        FailureReason reason = FailureReason.ACQUIRE_TIMEOUT;
        if (discardedFor != null) {
            reason = discardedFor;
        } else if (connectFailing && pool.bag.size() == 0) {
            reason = SluiceFailure.reasonOf(last).orElse(FailureReason.ACQUIRE_TIMEOUT);
        }
        StringBuilder m = new StringBuilder(name).append(": connection not available within ").append(waited).append("ms (")
                .append(reason).append("); ").append(stateLine());
        if (connectFailing) {
            m.append("; last connect failure: ").append(last.getMessage());
        }
        return SluiceFailure.of(reason, name, m.toString(), connectFailing ? last : null);
    }

    String stateLine() {
        int open = 0;
        int inUse = 0;
        int idle = 0;
        for (PooledConnection e : pool.bag.snapshot()) {
            open++;
            int s = e.state();
            if (s == PooledConnection.IN_USE) {
                inUse++;
            } else if (s == PooledConnection.IDLE) {
                idle++;
            }
        }
        return "total=" + open + ", inUse=" + inUse + ", idle=" + idle + ", waiting=" + pool.bag.waiting()
                + ", creating=" + pool.creating.get() + ", max=" + pool.maximumPoolSize;
    }
}
