package dev.sluice;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The pool's health judged over a sliding window of one-second samples, not one snapshot: a pool
 * that touched its limit once in a minute is not saturated, one that made callers wait for seconds
 * is. Read it with {@link SluiceDataSource#health()}; the rule is in the README's "Health and patrol" section.
 *
 * <p>The figures are those the status was judged on, so a reader can see how near the next
 * threshold the pool is; {@link #reasons()} says the same in words, one line per finding.
 */
public final class PoolHealth {
    /** Worst first when several apply: DOWN, then SATURATED, then the rest. */
    public enum Status {
        /** p95 utilisation below 0.75, no waiters in at least 95% of the samples, no acquire timed out. */
        HEALTHY,
        /** Neither healthy nor saturated: busy at times, callers waited briefly. */
        BUSY,
        /** Callers waited more than 10 s in total within the window, or an acquire timed out. */
        SATURATED,
        /** Healthy, with p95 utilisation below 0.2 and a maximumPoolSize above what the load needs. */
        OVERSIZED,
        /** The circuit breaker is open: the pool fails callers fast instead of connecting. */
        DOWN
    }

    private final Status status;
    private final List<String> reasons;
    private final Duration window;
    private final Duration covered;
    private final double p95Utilisation;
    private final double waiterShare;
    private final Duration waited;
    private final long timeouts;

    /**
     * @param window the window the rule judges over
     * @param covered how much of it the samples cover: less than {@code window} until it has filled
     */
    public PoolHealth(Status status, List<String> reasons, Duration window, Duration covered, double p95Utilisation,
            double waiterShare, Duration waited, long timeouts) {
        this.status = Objects.requireNonNull(status, "status");
        this.reasons = List.copyOf(reasons);
        this.window = Objects.requireNonNull(window, "window");
        this.covered = Objects.requireNonNull(covered, "covered");
        this.p95Utilisation = p95Utilisation;
        this.waiterShare = waiterShare;
        this.waited = Objects.requireNonNull(waited, "waited");
        this.timeouts = timeouts;
    }

    public Status status() {
        return status;
    }

    /** Human-readable lines, each with the figure it is about and the threshold it was held against. */
    public List<String> reasons() {
        return reasons;
    }

    /** The length of the sliding window, 60 s. */
    public Duration window() {
        return window;
    }

    /** How much of the window the samples cover; below {@link #window()} for the first minute of a pool. */
    public Duration covered() {
        return covered;
    }

    /** The 95th percentile over the samples of connections in use divided by maximumPoolSize, 0..1. */
    public double p95Utilisation() {
        return p95Utilisation;
    }

    /** The share of samples in which at least one caller was waiting for a connection, 0..1. */
    public double waiterShare() {
        return waiterShare;
    }

    /** The time callers spent waiting for a connection, summed over the waits that ended in the window. */
    public Duration waited() {
        return waited;
    }

    /** Acquires that timed out within the window. */
    public long timeouts() {
        return timeouts;
    }

    @Override
    public String toString() {
        return status + " " + reasons;
    }
}
