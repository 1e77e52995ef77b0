package dev.sluice.cli;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s: a few tenants take most of
 * the traffic and a long tail takes a little each, as in a real SaaS service. With s=1.1 over 200
 * tenants the busiest gets about a fifth of the borrows and the 100 quietest together about a
 * tenth.
 */
final class ZipfSampler {
    private final double[] cumulative;

    ZipfSampler(int n, double s) {
        if (n < 1) {
            throw new IllegalArgumentException("n=" + n + " must be at least 1");
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
    }

    /** A rank, 0 the most likely. */
    int sample(ThreadLocalRandom random) {
        int i = Arrays.binarySearch(cumulative, random.nextDouble());
        // Not found gives -(insertion point) - 1: the first rank whose cumulative share exceeds the draw.
        return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
    }

    /** The share of draws that fall on {@code rank}. */
    double share(int rank) {
        return rank == 0 ? cumulative[0] : cumulative[rank] - cumulative[rank - 1];
    }
}
