package dev.sluice.internal;

import dev.sluice.PoolHealth;
import dev.sluice.PoolHealth.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Samples the pool once a second into a ring and judges its health over that sliding window (see
 * {@link PoolHealth}). It runs on the pool's scheduler and reads only counters the pool keeps
 * anyway, so the borrow path pays nothing for it; a judgement is taken on demand by whoever asks.
 *
 * <p>The wait and timeout figures are differences of the pool's cumulative counters: the reading
 * now less the reading of the last sample to leave the window. So a timeout counts from the moment
 * it happens, not from the next sample, and leaves the judgement once its second has slid out.
 */
final class HealthSampler {
    /** What is sampled; the pool's counters in production, a stand-in in tests of the rule. */
    interface Source {
        int inUse();

        int maximum();

        int waiting();

        /** Cumulative time callers waited, over waits that ended. */
        long waitedNanos();

        /** Cumulative acquire timeouts. */
        long timeouts();

        boolean breakerOpen();
    }

    static final int WINDOW_SECONDS = 60;
    static final double HEALTHY_P95 = 0.75;
    static final double OVERSIZED_P95 = 0.2;
    static final double WAITER_FREE_SHARE = 0.95;
    static final long SATURATED_WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Source source;
    private final Scheduler scheduler;
    private final int capacity;
    // The ring and the baseline are written by the scheduler's thread and read by callers of judge().
    private final int[] inUse;
    private final int[] maximum;
    private final boolean[] waiters;
    private final long[] waitedNanos;
    private final long[] timeouts;
    private int next;
    private int count;
    private long baseWaitedNanos;
    private long baseTimeouts;
    private volatile ScheduledFuture<?> task;

    HealthSampler(Source source, Scheduler scheduler) {
        this(source, scheduler, WINDOW_SECONDS);
    }

    HealthSampler(Source source, Scheduler scheduler, int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds=" + windowSeconds + " must be at least 1");
        }
        this.source = source;
        this.scheduler = scheduler;
        this.capacity = windowSeconds;
        this.inUse = new int[windowSeconds];
        this.maximum = new int[windowSeconds];
        this.waiters = new boolean[windowSeconds];
        this.waitedNanos = new long[windowSeconds];
        this.timeouts = new long[windowSeconds];
    }

    /** The pool's own counters, read once a second. */
    static Source sourceOf(Pool pool) {
        return new Source() {
            @Override
            public int inUse() {
                return pool.bag.size() - pool.bag.idleCount();
            }

            @Override
            public int maximum() {
                return pool.maximumPoolSize;
            }

            @Override
            public int waiting() {
                return pool.bag.waiting();
            }

            @Override
            public long waitedNanos() {
                return pool.metrics.waitNanos.sum();
            }

            @Override
            public long timeouts() {
                return pool.metrics.acquireTimeouts.sum();
            }

            @Override
            public boolean breakerOpen() {
                return pool.supply.breaker().isOpen();
            }
        };
    }

    void start() {
        synchronized (this) {
            baseWaitedNanos = source.waitedNanos();
            baseTimeouts = source.timeouts();
        }
        task = scheduler.scheduleEvery(this::sample, PERIOD_NANOS);
    }

    void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** One second's reading; when the ring is full it replaces the oldest, which becomes the baseline. */
    synchronized void sample() {
        if (count == capacity) {
            baseWaitedNanos = waitedNanos[next];
            baseTimeouts = timeouts[next];
        } else {
            count++;
        }
        inUse[next] = source.inUse();
        maximum[next] = Math.max(1, source.maximum());
        waiters[next] = source.waiting() > 0;
        waitedNanos[next] = source.waitedNanos();
        timeouts[next] = source.timeouts();
        next = (next + 1) % capacity;
    }

    PoolHealth judge() {
        int n;
        double[] utilisation;
        int withWaiters = 0;
        int peakInUse = 0;
        long baseWaited;
        long baseOut;
        synchronized (this) {
            n = count;
            baseWaited = baseWaitedNanos;
            baseOut = baseTimeouts;
            utilisation = new double[Math.max(1, n)];
            for (int i = 0; i < n; i++) {
                utilisation[i] = (double) inUse[i] / maximum[i];
                peakInUse = Math.max(peakInUse, inUse[i]);
                if (waiters[i]) {
                    withWaiters++;
                }
            }
        }
        int max = Math.max(1, source.maximum());
        if (n == 0) {
            // Nothing sampled yet: the pool as it is now stands in for the window.
            int now = source.inUse();
            utilisation[0] = (double) now / max;
            peakInUse = now;
            withWaiters = source.waiting() > 0 ? 1 : 0;
        }
        Arrays.sort(utilisation);
        double p95 = utilisation[(int) Math.ceil(0.95 * utilisation.length) - 1];
        double waiterShare = (double) withWaiters / utilisation.length;
        long waited = Math.max(0, source.waitedNanos() - baseWaited);
        long timedOut = Math.max(0, source.timeouts() - baseOut);
        int needed = Math.max(1, (int) Math.ceil(peakInUse / HEALTHY_P95));

        List<String> reasons = new ArrayList<>();
        Status status;
        boolean saturated = waited > SATURATED_WAIT_NANOS || timedOut > 0;
        boolean calm = p95 < HEALTHY_P95 && waiterShare <= 1 - WAITER_FREE_SHARE;
        if (source.breakerOpen()) {
            status = Status.DOWN;
            reasons.add("circuit breaker is open: callers fail fast until a probe connects");
        } else if (saturated) {
            status = Status.SATURATED;
        } else if (calm && p95 < OVERSIZED_P95 && max > needed) {
            status = Status.OVERSIZED;
        } else if (calm) {
            status = Status.HEALTHY;
        } else {
            status = Status.BUSY;
        }
        reasons.add(String.format(Locale.ROOT, "p95 utilisation %.2f (in use / maximumPoolSize %d) is %s 0.75",
                p95, max, p95 < HEALTHY_P95 ? "below" : "at or above"));
        reasons.add(String.format(Locale.ROOT, "callers waiting in %.0f%% of samples (healthy: at most 5%%)",
                waiterShare * 100));
        reasons.add(String.format(Locale.ROOT, "callers waited %.1f s in total (saturated: above 10 s)", waited / 1e9));
        reasons.add(timedOut + " acquire" + (timedOut == 1 ? "" : "s") + " timed out (saturated: any)");
        if (status == Status.OVERSIZED) {
            reasons.add(String.format(Locale.ROOT,
                    "p95 utilisation %.2f is below 0.2 and at most %d in use needs maximumPoolSize %d, not %d",
                    p95, peakInUse, needed, max));
        }
        if (n < capacity) {
            reasons.add("window not filled yet: judged on " + n + " s of " + capacity + " s");
        }
        return new PoolHealth(status, reasons, Duration.ofSeconds(capacity), Duration.ofSeconds(n), p95, waiterShare,
                Duration.ofNanos(waited), timedOut);
    }
}
