package dev.sluice.sim;

import dev.sluice.FailureReason;
import dev.sluice.PoolListener;
import dev.sluice.PoolStats;
import dev.sluice.SizingDecision;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one profile against one pool setup on one backend and measures it.
 *
 * <p>Open loop: one generator thread draws arrivals from a Poisson process whose rate follows the
 * profile, and hands each to a worker thread that borrows, runs the statement and returns. The
 * workers come from a pool with a hand-off queue and a high cap, so a borrow that waits for the
 * pool never delays the next arrival: queueing happens in the pool under test, where it is
 * measured, and not in the load generator. If the generator itself falls behind (a busy machine),
 * the run says so ({@link RunResult#lateArrivals()}), rather than quietly measuring less load.
 */
final class Run {
    /**
     * Twice the most callers any profile keeps waiting when the machine keeps up (the spike's
     * 250/s × the 2 s deadline). A cap, because when the machine stalls, an uncapped open loop
     * piles up thousands of threads that then wake together and deepen the stall.
     */
    private static final int MAX_WORKERS = 1_000;
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LoadProfile profile;
    private final Backend backend;
    private final PoolSetup setup;
    private final long seed;

    Run(LoadProfile profile, Backend backend, PoolSetup setup, long seed) {
        this.profile = profile;
        this.backend = backend;
        this.setup = setup;
        this.seed = seed;
    }

    private static final AtomicInteger RUNS = new AtomicInteger();

    private record Stamped(long nanos, SizingDecision decision) {
    }

    RunResult execute() throws SQLException, InterruptedException {
        String name = profile.name() + "-" + setup.label().replaceAll("[^A-Za-z0-9]+", "") + "-" + RUNS.incrementAndGet();
        // Stamped in the monotonic clock as they come; made relative to the load's start at the end.
        ConcurrentLinkedQueue<Stamped> stamped = new ConcurrentLinkedQueue<>();
        PoolListener listener = new PoolListener() {
            @Override
            public void sizingDecision(String poolName, SizingDecision decision) {
                stamped.add(new Stamped(System.nanoTime(), decision));
            }
        };
        double seconds = profile.length().toMillis() / 1000.0;
        WaitLog log = new WaitLog((int) (profile.expectedArrivals() * 1.5) + 10_000);
        SizeTrace trace = new SizeTrace();
        try (Backend.Instance db = backend.open(name)) {
            SluiceConfig.Builder b = SluiceConfig.builder().poolName(name).listener(listener);
            db.configure(b);
            setup.configure(b);
            try (SluiceDataSource ds = new SluiceDataSource(b.build())) {
                warmUp(ds);
                long createdBefore = ds.stats().created();
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(daemon(name + "-sampler"));
                ThreadPoolExecutor workers = new ThreadPoolExecutor(0, MAX_WORKERS, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
                        daemon(name + "-worker"));
                AtomicLong rejected = new AtomicLong();
                AtomicLong late = new AtomicLong();
                AtomicLong maxLag = new AtomicLong();
                AtomicLong queryFailures = new AtomicLong();
                AtomicReference<String> firstFailure = new AtomicReference<>();
                long arrivals = 0;
                long[] connects = {0};
                long start = System.nanoTime();
                long[] lags = new long[(int) (seconds * 10) + 100];
                int[] ticks = {0};
                String loadBefore = SizingSimulation.loadAverage1();
                sampler.scheduleAtFixedRate(() -> {
                    long now = System.nanoTime();
                    double t = (now - start) / 1e9;
                    // The sampler's own lateness: how long a thread that asked to run now waited for a core.
                    if (ticks[0] < lags.length) {
                        lags[ticks[0]] = Math.max(0, now - (start + ticks[0] * SAMPLE_NANOS));
                        ticks[0]++;
                    }
                    if (t <= seconds + 0.05) {
                        PoolStats s = ds.stats();
                        trace.add(Math.min(t, seconds), s.open(), s.maximumPoolSize());
                    }
                }, 0, SAMPLE_NANOS, TimeUnit.NANOSECONDS);
                try {
                    SplittableRandom random = new SplittableRandom(seed);
                    double factor = 1.0;
                    double t = 0;
                    while (true) {
                        t += -Math.log(1 - random.nextDouble()) / profile.rate(t);
                        if (t >= seconds) {
                            break;
                        }
                        long due = start + (long) (t * 1e9);
                        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                            LockSupport.parkNanos(left);
                        }
                        double f = profile.slowdown(t);
                        if (f != factor) {
                            db.slowdown(f);
                            factor = f;
                        }
                        arrivals++;
                        long arrival = due - start;
                        try {
                            workers.execute(() -> borrow(ds, db, log, arrival, due, late, maxLag, queryFailures, firstFailure));
                        } catch (RejectedExecutionException e) {
                            rejected.incrementAndGet();
                        }
                    }
                    db.slowdown(1.0);
                    workers.shutdown();
                    if (!workers.awaitTermination(PoolSetup.CONNECTION_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(name + ": borrows still running 30 s after the deadline");
                    }
                    // One last sample at the end of the load, so every run's integral covers the same span.
                    PoolStats end = ds.stats();
                    connects[0] = end.created() - createdBefore;
                    sampler.shutdown();
                    if (!sampler.awaitTermination(5, TimeUnit.SECONDS)) {
                        throw new IllegalStateException(name + ": the sampler did not stop");
                    }
                    if (trace.size() == 0 || trace.time(trace.size() - 1) < seconds) {
                        trace.add(seconds, end.open(), end.maximumPoolSize());
                    }
                } finally {
                    workers.shutdownNow();
                    sampler.shutdownNow();
                }
                long ok = 0;
                long timeouts = 0;
                long failures = 0;
                int n = log.count();
                long[] waits = new long[n];
                long[] responses = new long[n];
                for (int i = 0; i < n; i++) {
                    waits[i] = log.wait(i);
                    responses[i] = log.response(i);
                    switch (log.outcome(i)) {
                        case WaitLog.OK -> ok++;
                        case WaitLog.TIMEOUT -> timeouts++;
                        default -> failures++;
                    }
                }
                List<RunResult.TimedDecision> decisions = new ArrayList<>();
                for (Stamped d : stamped) {
                    decisions.add(new RunResult.TimedDecision((d.nanos() - start) / 1e9, d.decision()));
                }
                return new RunResult(profile, backend.name(), setup, arrivals, ok, timeouts, failures, queryFailures.get(),
                        rejected.get() + log.overflow(), late.get(), maxLag.get() / 1e6, Distribution.of(waits, n),
                        Distribution.of(responses, n), connects[0],
                        p99BySecond(log, (int) Math.ceil(seconds)), trace, decisions, db.peakRunning(), firstFailure.get(),
                        Distribution.of(lags, ticks[0]).percentile(99) / 1e6, loadBefore + " → " + SizingSimulation.loadAverage1(),
                        slowest(log));
            }
        }
    }

    private static void borrow(SluiceDataSource ds, Backend.Instance db, WaitLog log, long arrival, long due, AtomicLong late,
            AtomicLong maxLag, AtomicLong queryFailures, AtomicReference<String> firstFailure) {
        long t0 = System.nanoTime();
        long lag = t0 - due;
        if (lag > LATE_NANOS) {
            late.incrementAndGet();
        }
        maxLag.accumulateAndGet(lag, Math::max);
        Connection c;
        try {
            c = ds.getConnection();
        } catch (SQLException e) {
            long waited = System.nanoTime() - t0;
            boolean timeout = SluiceFailure.reasonOf(e).orElse(null) == FailureReason.ACQUIRE_TIMEOUT;
            log.record(arrival, waited, waited, timeout ? WaitLog.TIMEOUT : WaitLog.FAILED);
            if (!timeout) {
                firstFailure.compareAndSet(null, e.toString());
            }
            return;
        }
        long waited = System.nanoTime() - t0;
        try (c) {
            db.query(c);
        } catch (SQLException e) {
            queryFailures.incrementAndGet();
            firstFailure.compareAndSet(null, e.toString());
        }
        log.record(arrival, waited, System.nanoTime() - t0, WaitLog.OK);
    }

    /** Waits until the pool has opened the connections it starts with, so no run pays for its own start-up. */
    private static void warmUp(SluiceDataSource ds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            PoolStats s = ds.stats();
            if (s.open() >= s.minimumIdle() && s.creating() == 0) {
                break;
            }
            Thread.sleep(10);
        }
        // A moment of quiet, so the first sizing window does not straddle the start.
        Thread.sleep(Duration.ofMillis(200).toMillis());
    }

    /** The longest waits, longest first: 2% of the borrows (at least 50), so the p99 can be traced to its moments. */
    static List<RunResult.SlowWait> slowest(WaitLog log) {
        int n = log.count();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(log.wait(b), log.wait(a)));
        List<RunResult.SlowWait> slowest = new ArrayList<>();
        for (int i = 0; i < Math.min(n, Math.max(50, n / 50)); i++) {
            slowest.add(new RunResult.SlowWait(log.arrival(order[i]) / 1e9, log.wait(order[i]) / 1e6));
        }
        return slowest;
    }

    private static double[] p99BySecond(WaitLog log, int buckets) {
        long[][] byBucket = new long[buckets][];
        int[] counts = new int[buckets];
        int n = log.count();
        for (int i = 0; i < n; i++) {
            counts[bucket(log.arrival(i), buckets)]++;
        }
        for (int b = 0; b < buckets; b++) {
            byBucket[b] = new long[counts[b]];
        }
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            int b = bucket(log.arrival(i), buckets);
            byBucket[b][counts[b]++] = log.wait(i);
        }
        double[] p99 = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            p99[b] = Distribution.of(byBucket[b]).percentile(99) / 1e6;
        }
        return p99;
    }

    private static int bucket(long arrivalNanos, int buckets) {
        return (int) Math.min(buckets - 1, Math.max(0, arrivalNanos / 1_000_000_000L));
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
