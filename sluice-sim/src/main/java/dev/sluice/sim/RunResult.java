package dev.sluice.sim;

import dev.sluice.SizingDecision;
import dev.sluice.SizingDecision.Action;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The measurements of one run: one profile, one backend, one pool setup.
 *
 * @param waits         acquisition waits of every borrow, in nanoseconds, timeouts included at the time they gave up
 * @param responses     wait plus statement of every borrow, in nanoseconds (timeouts: the wait)
 * @param connects      physical connections the pool opened while the load ran: the churn
 * @param p99BySecond   p99 wait (ms) of the borrows that arrived in each second of the run; NaN for a second without any
 * @param decisions     every sizing decision, stamped with seconds since the load started (empty for FIXED)
 * @param lateArrivals  borrows whose worker started more than 10 ms after their scheduled arrival (the load generator fell behind)
 * @param rejected      arrivals no worker thread could take (the generator's thread cap): not part of the waits
 * @param machineLagP99Millis p99 of how late the 100 ms sampler ran: the machine's scheduling delay during the run
 * @param loadAverage   the machine's 1-minute load average before → after the run
 * @param slowest       the longest waits of the run, longest first: 2% of the borrows, at least 50; what the p99 is made of
 */
public record RunResult(LoadProfile profile, String backend, PoolSetup setup, long arrivals, long borrows, long timeouts,
        long failures, long queryFailures, long rejected, long lateArrivals, double maxStartLagMillis, Distribution waits,
        Distribution responses, long connects, double[] p99BySecond, SizeTrace trace, List<TimedDecision> decisions, int serverPeakRunning, String firstFailure,
        double machineLagP99Millis, String loadAverage, List<SlowWait> slowest) {

    /** A sizing decision and when it was taken, in seconds since the load started (negative during the warm-up). */
    public record TimedDecision(double seconds, SizingDecision decision) {
    }

    /** One borrow that waited: when it arrived (seconds since the load started) and how long it waited. */
    public record SlowWait(double arrivalSeconds, double waitMillis) {
    }

    public RunResult {
        decisions = List.copyOf(decisions);
        slowest = List.copyOf(slowest);
        p99BySecond = p99BySecond.clone();
    }

    @Override
    public double[] p99BySecond() {
        return p99BySecond.clone();
    }

    public double p50Millis() {
        return waits.percentile(50) / 1e6;
    }

    public double p99Millis() {
        return waits.percentile(99) / 1e6;
    }

    public double p99ResponseMillis() {
        return responses.percentile(99) / 1e6;
    }

    public double maxWaitMillis() {
        return waits.max() / 1e6;
    }

    public double connectionSeconds() {
        return trace.connectionSeconds();
    }

    public double meanSize() {
        return trace.meanOpen();
    }

    public int maxSize() {
        return trace.maxOpen();
    }

    /** Decisions taken while the load ran, counted by action. */
    public Map<Action, Integer> actionCounts() {
        Map<Action, Integer> counts = new EnumMap<>(Action.class);
        for (Action a : Action.values()) {
            counts.put(a, 0);
        }
        for (TimedDecision d : decisions) {
            if (d.seconds() >= 0) {
                counts.merge(d.decision().action(), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Decisions from {@code from} to {@code to} seconds. */
    public List<TimedDecision> decisionsBetween(double from, double to) {
        return decisions.stream().filter(d -> d.seconds() >= from && d.seconds() <= to).toList();
    }

    /**
     * The controller's size at the start of the profile's event: the last decision's {@code toSize}
     * before it, or -1 when no decision was taken yet.
     */
    public int sizeBefore(double t) {
        int size = -1;
        for (TimedDecision d : decisions) {
            if (d.seconds() < t) {
                size = d.decision().toSize();
            }
        }
        return size;
    }

    /** The largest size the controller decided from {@code from} to {@code to} seconds; -1 if it decided nothing then. */
    public int maxDecidedSize(double from, double to) {
        return decisionsBetween(from, to).stream().mapToInt(d -> d.decision().toSize()).max().orElse(-1);
    }
}
