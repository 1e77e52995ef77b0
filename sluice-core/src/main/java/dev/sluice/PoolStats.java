package dev.sluice;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of a pool's state and counters (Go's {@code DBStats} and more). Counters
 * are totals since the pool started. Cheap enough to take every second.
 *
 * @param poolName          the pool's name
 * @param maximumPoolSize   the current maximum number of open connections
 * @param minimumIdle       the current minimum number of idle connections
 * @param open              physical connections open now, idle and in use
 * @param inUse             connections borrowed now
 * @param idle              connections ready to be borrowed now
 * @param pending           callers waiting for a connection now
 * @param creating          connects in progress now
 * @param acquired          successful {@code getConnection} calls
 * @param waitCount         {@code getConnection} calls that had to wait (no idle connection at once)
 * @param waitTime          total time callers spent waiting
 * @param acquireTimeouts   calls that failed because their deadline passed
 * @param created           physical connections opened
 * @param createFailures    connect attempts that failed (each counted once)
 * @param closed            physical connections closed, all reasons
 * @param closedByReason    physical connections closed, by reason
 * @param validationFailures validations that failed (before hand-out or keepalive)
 * @param leaksSuspected    borrows held longer than {@code leakDetectionThreshold}
 * @param abandoned         borrowed connections aborted and reclaimed after {@code abandonTimeout}
 * @param nestedAcquisitions waits by a thread that already held one of this pool's connections
 * @param acquireLatency    time to obtain a connection, waits and validation included; a borrow served at once by
 *                          an idle connection that needed no check counts as zero (it takes well under a microsecond,
 *                          and timing it would double its cost)
 * @param holdLatency       time connections were held by borrowers: every borrow when leak detection,
 *                          {@code abandonTimeout}, a listener or adaptive sizing is on, otherwise a sample of one
 *                          borrow in sixteen per connection (its count is the number of timed borrows)
 * @param createLatency     time a successful connect took
 * @param lastConnectFailure the last connect failure's reason, or {@code null}
 * @param breakerState      the circuit breaker's state now
 * @param breakerOpens      how many times the breaker opened
 * @param breakerRejections {@code getConnection} calls failed fast because the breaker was open
 * @param sizingDecisions   the latest adaptive-sizing decisions, oldest first (at most 50; empty with sizing FIXED)
 */
public record PoolStats(
        String poolName,
        int maximumPoolSize,
        int minimumIdle,
        int open,
        int inUse,
        int idle,
        int pending,
        int creating,
        long acquired,
        long waitCount,
        Duration waitTime,
        long acquireTimeouts,
        long created,
        long createFailures,
        long closed,
        Map<CloseReason, Long> closedByReason,
        long validationFailures,
        long leaksSuspected,
        long abandoned,
        long nestedAcquisitions,
        LatencySummary acquireLatency,
        LatencySummary holdLatency,
        LatencySummary createLatency,
        FailureReason lastConnectFailure,
        BreakerState breakerState,
        long breakerOpens,
        long breakerRejections,
        List<SizingDecision> sizingDecisions) {

    public PoolStats {
        closedByReason = Map.copyOf(closedByReason);
        sizingDecisions = List.copyOf(sizingDecisions);
    }

    /** Connections closed for {@code reason}. */
    public long closed(CloseReason reason) {
        return closedByReason.getOrDefault(reason, 0L);
    }

    @Override
    public String toString() {
        return poolName + "[max=" + maximumPoolSize + " open=" + open + " inUse=" + inUse + " idle=" + idle
                + " pending=" + pending + " creating=" + creating + " acquired=" + acquired + " waits=" + waitCount
                + " timeouts=" + acquireTimeouts + " created=" + created + " closed=" + closedByReason
                + " breaker=" + breakerState + "]";
    }
}
