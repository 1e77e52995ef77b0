package dev.sluice.it.scenario;

import java.util.Arrays;
import java.util.Locale;

/** A latency distribution in milliseconds: count, median, p99 (nearest rank) and maximum. */
record Percentiles(int count, double p50, double p99, double max) {
    static final Percentiles NONE = new Percentiles(0, 0, 0, 0);

    static Percentiles ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        long[] s = nanos.clone();
        Arrays.sort(s);
        return new Percentiles(s.length, ms(rank(s, 0.50)), ms(rank(s, 0.99)), ms(s[s.length - 1]));
    }

    private static long rank(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** {@code 0.12 ms}, {@code 4.7 ms}, {@code 5003 ms}: two significant figures below 100 ms. */
    static String millis(double ms) {
        if (ms < 10) {
            return String.format(Locale.ROOT, "%.2f ms", ms);
        }
        if (ms < 100) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.0f ms", ms);
    }

    String text() {
        if (count == 0) {
            return "none";
        }
        return "p50 " + millis(p50) + ", p99 " + millis(p99) + ", max " + millis(max) + " (n=" + count + ")";
    }
}
