package dev.sluice;

import java.time.Duration;

/**
 * A latency distribution since the pool started: count, mean, percentiles and maximum.
 * Percentiles come from logarithmic buckets and are accurate to within about 19%.
 */
public record LatencySummary(long count, Duration mean, Duration p50, Duration p90, Duration p99, Duration max) {

    /** The summary of no observations. */
    public static final LatencySummary EMPTY =
            new LatencySummary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    @Override
    public String toString() {
        return "n=" + count + " mean=" + micros(mean) + " p50=" + micros(p50) + " p90=" + micros(p90)
                + " p99=" + micros(p99) + " max=" + micros(max);
    }

    private static String micros(Duration d) {
        long us = d.toNanos() / 1000;
        return us >= 10_000 ? (us / 1000) + "ms" : us + "µs";
    }
}
