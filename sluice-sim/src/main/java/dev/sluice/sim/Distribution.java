package dev.sluice.sim;

import java.util.Arrays;

/**
 * An immutable set of measured values (nanoseconds) with nearest-rank percentiles: the p-th
 * percentile is the smallest value with at least p% of the values at or below it. Nearest-rank
 * never reports a value that was not measured, which keeps a p99 over a few hundred waits honest.
 */
public final class Distribution {
    private final long[] sorted;

    private Distribution(long[] sorted) {
        this.sorted = sorted;
    }

    /** Copies and sorts {@code values[0, count)}. */
    public static Distribution of(long[] values, int count) {
        long[] copy = Arrays.copyOf(values, count);
        Arrays.sort(copy);
        return new Distribution(copy);
    }

    public static Distribution of(long... values) {
        return of(values, values.length);
    }

    public int count() {
        return sorted.length;
    }

    /** The {@code p}-th percentile (0 &lt; p ≤ 100), or NaN when there are no values. */
    public double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("p=" + p + " must be in (0, 100]");
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, rank) - 1];
    }

    /** The largest value, or NaN when there are none. */
    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
