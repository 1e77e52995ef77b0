package dev.sluice.sim;

import java.util.Arrays;

/**
 * The pool's size sampled over a run (every 100 ms by the simulator): the time-weighted mean, the
 * maximum, and the connection-seconds held, i.e. the integral of open connections over time.
 * Between two samples the size is taken to move linearly (the trapezoid rule), so a pool that
 * held 4 connections for 10 s held 40 connection-seconds, and one that grew steadily from 0 to 10
 * over 10 s held 50.
 */
public final class SizeTrace {
    private double[] seconds = new double[256];
    private int[] open = new int[256];
    private int[] limit = new int[256];
    private int n;

    /** Adds a sample: {@code open} connections and a size limit of {@code limit} at {@code t} seconds; t must not decrease. */
    public synchronized void add(double t, int openNow, int limitNow) {
        if (n > 0 && t < seconds[n - 1]) {
            throw new IllegalArgumentException("t=" + t + " is before the previous sample at " + seconds[n - 1]);
        }
        if (n == seconds.length) {
            seconds = Arrays.copyOf(seconds, 2 * n);
            open = Arrays.copyOf(open, 2 * n);
            limit = Arrays.copyOf(limit, 2 * n);
        }
        seconds[n] = t;
        open[n] = openNow;
        limit[n] = limitNow;
        n++;
    }

    public synchronized int size() {
        return n;
    }

    public synchronized double time(int i) {
        return seconds[i];
    }

    public synchronized int open(int i) {
        return open[i];
    }

    public synchronized int limit(int i) {
        return limit[i];
    }

    /** The integral of open connections over the sampled time, in connection-seconds. */
    public synchronized double connectionSeconds() {
        double sum = 0;
        for (int i = 1; i < n; i++) {
            sum += (seconds[i] - seconds[i - 1]) * (open[i] + open[i - 1]) / 2.0;
        }
        return sum;
    }

    /** Open connections averaged over time (connection-seconds / seconds); NaN with fewer than two samples. */
    public synchronized double meanOpen() {
        if (n < 2 || seconds[n - 1] == seconds[0]) {
            return n == 1 ? open[0] : Double.NaN;
        }
        return connectionSeconds() / (seconds[n - 1] - seconds[0]);
    }

    /** The most connections open at any sample. */
    public synchronized int maxOpen() {
        return max(open, 0, n);
    }

    /** The highest size limit at any sample from {@code from} to {@code to} seconds (inclusive); -1 if none. */
    public synchronized int maxLimit(double from, double to) {
        int m = -1;
        for (int i = 0; i < n; i++) {
            if (seconds[i] >= from && seconds[i] <= to) {
                m = Math.max(m, limit[i]);
            }
        }
        return m;
    }

    /** The most connections open at any sample from {@code from} to {@code to} seconds (inclusive); -1 if none. */
    public synchronized int maxOpen(double from, double to) {
        int m = -1;
        for (int i = 0; i < n; i++) {
            if (seconds[i] >= from && seconds[i] <= to) {
                m = Math.max(m, open[i]);
            }
        }
        return m;
    }

    /** The last sample at or before {@code t}; -1 if none. */
    public synchronized int indexAt(double t) {
        int last = -1;
        for (int i = 0; i < n && seconds[i] <= t; i++) {
            last = i;
        }
        return last;
    }

    private static int max(int[] a, int from, int to) {
        int m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, a[i]);
        }
        return m;
    }
}
