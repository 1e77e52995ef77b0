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
 *                          {@code abandonTimeout}, a listener that observes borrows or adaptive sizing is on, otherwise a sample of one
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

    /** A builder starting from empty counters, for pools that are not Sluice's own and for tests. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this snapshot's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.poolName = poolName;
        b.maximumPoolSize = maximumPoolSize;
        b.minimumIdle = minimumIdle;
        b.open = open;
        b.inUse = inUse;
        b.idle = idle;
        b.pending = pending;
        b.creating = creating;
        b.acquired = acquired;
        b.waitCount = waitCount;
        b.waitTime = waitTime;
        b.acquireTimeouts = acquireTimeouts;
        b.created = created;
        b.createFailures = createFailures;
        b.closed = closed;
        b.closedByReason = closedByReason;
        b.validationFailures = validationFailures;
        b.leaksSuspected = leaksSuspected;
        b.abandoned = abandoned;
        b.nestedAcquisitions = nestedAcquisitions;
        b.acquireLatency = acquireLatency;
        b.holdLatency = holdLatency;
        b.createLatency = createLatency;
        b.lastConnectFailure = lastConnectFailure;
        b.breakerState = breakerState;
        b.breakerOpens = breakerOpens;
        b.breakerRejections = breakerRejections;
        b.sizingDecisions = sizingDecisions;
        return b;
    }

    /**
     * Builds a snapshot by name rather than by position, so code that builds one (adapters, tests)
     * keeps compiling when a field is added. Unset counters are zero, latencies
     * {@link LatencySummary#EMPTY}, the breaker {@link BreakerState#CLOSED}, collections empty, and
     * the pool name and last connect failure null.
     */
    public static final class Builder {
        private String poolName;
        private int maximumPoolSize;
        private int minimumIdle;
        private int open;
        private int inUse;
        private int idle;
        private int pending;
        private int creating;
        private long acquired;
        private long waitCount;
        private Duration waitTime = Duration.ZERO;
        private long acquireTimeouts;
        private long created;
        private long createFailures;
        private long closed;
        private Map<CloseReason, Long> closedByReason = Map.of();
        private long validationFailures;
        private long leaksSuspected;
        private long abandoned;
        private long nestedAcquisitions;
        private LatencySummary acquireLatency = LatencySummary.EMPTY;
        private LatencySummary holdLatency = LatencySummary.EMPTY;
        private LatencySummary createLatency = LatencySummary.EMPTY;
        private FailureReason lastConnectFailure;
        private BreakerState breakerState = BreakerState.CLOSED;
        private long breakerOpens;
        private long breakerRejections;
        private List<SizingDecision> sizingDecisions = List.of();

        private Builder() {
        }

        public Builder poolName(String v) {
            this.poolName = v;
            return this;
        }

        public Builder maximumPoolSize(int v) {
            this.maximumPoolSize = v;
            return this;
        }

        public Builder minimumIdle(int v) {
            this.minimumIdle = v;
            return this;
        }

        public Builder open(int v) {
            this.open = v;
            return this;
        }

        public Builder inUse(int v) {
            this.inUse = v;
            return this;
        }

        public Builder idle(int v) {
            this.idle = v;
            return this;
        }

        public Builder pending(int v) {
            this.pending = v;
            return this;
        }

        public Builder creating(int v) {
            this.creating = v;
            return this;
        }

        public Builder acquired(long v) {
            this.acquired = v;
            return this;
        }

        public Builder waitCount(long v) {
            this.waitCount = v;
            return this;
        }

        public Builder waitTime(Duration v) {
            this.waitTime = v;
            return this;
        }

        public Builder acquireTimeouts(long v) {
            this.acquireTimeouts = v;
            return this;
        }

        public Builder created(long v) {
            this.created = v;
            return this;
        }

        public Builder createFailures(long v) {
            this.createFailures = v;
            return this;
        }

        public Builder closed(long v) {
            this.closed = v;
            return this;
        }

        public Builder closedByReason(Map<CloseReason, Long> v) {
            this.closedByReason = v;
            return this;
        }

        public Builder validationFailures(long v) {
            this.validationFailures = v;
            return this;
        }

        public Builder leaksSuspected(long v) {
            this.leaksSuspected = v;
            return this;
        }

        public Builder abandoned(long v) {
            this.abandoned = v;
            return this;
        }

        public Builder nestedAcquisitions(long v) {
            this.nestedAcquisitions = v;
            return this;
        }

        public Builder acquireLatency(LatencySummary v) {
            this.acquireLatency = v;
            return this;
        }

        public Builder holdLatency(LatencySummary v) {
            this.holdLatency = v;
            return this;
        }

        public Builder createLatency(LatencySummary v) {
            this.createLatency = v;
            return this;
        }

        public Builder lastConnectFailure(FailureReason v) {
            this.lastConnectFailure = v;
            return this;
        }

        public Builder breakerState(BreakerState v) {
            this.breakerState = v;
            return this;
        }

        public Builder breakerOpens(long v) {
            this.breakerOpens = v;
            return this;
        }

        public Builder breakerRejections(long v) {
            this.breakerRejections = v;
            return this;
        }

        public Builder sizingDecisions(List<SizingDecision> v) {
            this.sizingDecisions = v;
            return this;
        }

        public PoolStats build() {
            return new PoolStats(poolName, maximumPoolSize, minimumIdle, open, inUse, idle, pending, creating,
                    acquired, waitCount, waitTime, acquireTimeouts, created, createFailures, closed, closedByReason,
                    validationFailures, leaksSuspected, abandoned, nestedAcquisitions, acquireLatency, holdLatency,
                    createLatency, lastConnectFailure, breakerState, breakerOpens, breakerRejections,
                    sizingDecisions);
        }
    }

    @Override
    public String toString() {
        return poolName + "[max=" + maximumPoolSize + " open=" + open + " inUse=" + inUse + " idle=" + idle
                + " pending=" + pending + " creating=" + creating + " acquired=" + acquired + " waits=" + waitCount
                + " timeouts=" + acquireTimeouts + " created=" + created + " closed=" + closedByReason
                + " breaker=" + breakerState + "]";
    }
}
