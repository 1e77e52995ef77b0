package dev.sluice.bench;

import dev.sluice.stub.StubDatabase;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import javax.sql.DataSource;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Many virtual threads on a small pool: each thread loops borrow, one query, close, as fast as it
 * can (a closed loop). Run by {@code bench/virtual-threads.sh} on JDK 21 or newer.
 *
 * <p>Not JMH: JMH runs its workers on platform threads it creates itself, and a virtual-thread
 * benchmark needs thousands of borrowers and, per borrower, how often it was served. So this is a
 * plain main class with its own timing: per run, one pool is started, N virtual threads start
 * looping, a warm-up passes, then operations and acquire latencies are counted over the
 * measurement window, and every thread stops. Each pool runs the same way in turn, several rounds,
 * the order of the pools rotating from round to round so that a drift of the machine favours none.
 *
 * <p>Per run it reports throughput, the distribution of {@code getConnection()} (start to return,
 * the part a pool decides), how evenly the threads were served (the most-served thread's count
 * over the least-served one's, and how many threads completed nothing at all in the window), and
 * the number of {@code jdk.VirtualThreadPinned} JFR events (threshold 0: every time a virtual
 * thread blocked while pinned to its carrier), with the frame that pinned it.
 *
 * <p>Backends: {@code stub}, the stand-in database of sluice-stub with every statement parked
 * (not spun: {@code LockSupport.parkNanos}, which unmounts a virtual thread) for
 * {@code --query-micros}; {@code postgres}, a real PostgreSQL running {@code select pg_sleep(s)}.
 */
public final class VirtualThreadBenchmark {
    private static final int WARMUP = 0;
    private static final int MEASURE = 1;
    private static final int STOP = 2;

    private VirtualThreadBenchmark() {
    }

    /** Command-line options, each {@code --name value}. */
    static final class Options {
        List<String> backends = List.of("stub", "postgres");
        List<Integer> threadCounts = List.of(1_000, 10_000);
        List<PoolUnderTest> pools = List.of(PoolUnderTest.SLUICE, PoolUnderTest.HIKARI, PoolUnderTest.AGROAL);
        int rounds = 3;
        Duration warmup = Duration.ofSeconds(3);
        Duration measure = Duration.ofSeconds(10);
        int size = 16;
        long stubQueryMicros = 100;
        String pgSleepSeconds = "0.0005";
        Path csv;
        Path jfrDir;

        /** The same, with a short window: for the untimed pass that warms the JVM up. */
        Options forJvmWarmup() {
            Options w = new Options();
            w.size = size;
            w.warmup = Duration.ofSeconds(2);
            w.measure = Duration.ofSeconds(1);
            return w;
        }

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--backends" -> o.backends = List.of(v.split(","));
                    case "--threads" -> o.threadCounts = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
                    case "--pools" -> o.pools = Arrays.stream(v.split(",")).map(PoolUnderTest::named).toList();
                    case "--rounds" -> o.rounds = Integer.parseInt(v);
                    case "--warmup" -> o.warmup = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
                    case "--measure" -> o.measure = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
                    case "--size" -> o.size = Integer.parseInt(v);
                    case "--query-micros" -> o.stubQueryMicros = Long.parseLong(v);
                    case "--pg-sleep" -> o.pgSleepSeconds = v;
                    case "--csv" -> o.csv = Path.of(v);
                    case "--jfr-dir" -> o.jfrDir = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            for (String b : o.backends) {
                if (!b.equals("stub") && !b.equals("postgres")) {
                    throw new IllegalArgumentException("backend " + b + ": stub or postgres");
                }
            }
            if (o.rounds < 1 || o.size < 1) {
                throw new IllegalArgumentException("--rounds and --size must be positive");
            }
            return o;
        }
    }

    /** One pool, one thread count, one round. Latencies in nanoseconds. */
    record Run(String backend, int threads, int round, PoolUnderTest pool, long ops, double seconds, long errors,
               long p50, long p99, long max, long minPerThread, long maxPerThread, int zeroThreads,
               long pinnedEvents, String pinnedTop) {
        double opsPerSecond() {
            return ops / seconds;
        }

        double fairness() {
            return minPerThread == 0 ? Double.POSITIVE_INFINITY : (double) maxPerThread / minPerThread;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        ThreadFactory virtual = virtualThreadFactory();
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "vt-bench: java %s, %d CPUs, pools %s, pool size %d, %d round(s) of %.1f s warm-up + %.1f s measured%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), o.pools, o.size,
                o.rounds, o.warmup.toMillis() / 1000.0, o.measure.toMillis() / 1000.0);
        if (o.csv != null) {
            Files.writeString(o.csv, "backend,threads,round,pool,ops,seconds,ops_per_s,errors,acq_p50_us,acq_p99_us,acq_max_us,"
                    + "min_per_thread,max_per_thread,zero_threads,pinned_events,pinned_top\n");
        }
        List<Run> all = new ArrayList<>();
        for (String backend : o.backends) {
            Backend b = backend.equals("stub") ? Backend.stub(o.stubQueryMicros) : Backend.postgres(o.pgSleepSeconds);
            try {
                // The first run of a JVM also compiles the JDK's scheduler and the driver's paths:
                // without this untimed pass, whichever pool runs first in round 1 pays for it.
                Options warm = o.forJvmWarmup();
                for (PoolUnderTest pool : o.pools) {
                    runOnce(warm, b, virtual, pool, o.threadCounts.get(0), 0);
                }
                for (int threads : o.threadCounts) {
                    for (int round = 1; round <= o.rounds; round++) {
                        for (int k = 0; k < o.pools.size(); k++) {
                            PoolUnderTest pool = o.pools.get((k + round - 1) % o.pools.size());
                            Run r = runOnce(o, b, virtual, pool, threads, round);
                            all.add(r);
                            out.printf(Locale.ROOT, "%-8s %6d r%d %-7s %9.0f ops/s  acquire p50 %9.1f us  p99 %9.1f us  max %9.1f us"
                                            + "  per-thread min %d max %d zero %d  errors %d  pinned %d%s%n",
                                    backend, threads, round, name(pool), r.opsPerSecond(), r.p50() / 1e3, r.p99() / 1e3,
                                    r.max() / 1e3, r.minPerThread(), r.maxPerThread(), r.zeroThreads(), r.errors(),
                                    r.pinnedEvents(), r.pinnedTop().isEmpty() ? "" : " (" + r.pinnedTop() + ")");
                            if (o.csv != null) {
                                appendCsv(o.csv, r);
                            }
                        }
                    }
                }
            } finally {
                b.close();
            }
        }
        summarize(out, o, all);
    }

    private static String name(PoolUnderTest p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    private static void appendCsv(Path csv, Run r) {
        String line = String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%.3f,%.1f,%d,%.1f,%.1f,%.1f,%d,%d,%d,%d,\"%s\"%n",
                r.backend(), r.threads(), r.round(), name(r.pool()), r.ops(), r.seconds(), r.opsPerSecond(), r.errors(),
                r.p50() / 1e3, r.p99() / 1e3, r.max() / 1e3, r.minPerThread(), r.maxPerThread(), r.zeroThreads(),
                r.pinnedEvents(), r.pinnedTop().replace("\"", "'"));
        try {
            Files.writeString(csv, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Per backend and thread count, per pool: the mean over rounds with the spread (half the range,
     * min to max, since with three rounds a standard deviation says little), and the throughput as
     * a ratio to the best peer of the same round (a paired ratio: both ran minutes apart on the
     * same machine, so a slow phase of a shared machine cancels).
     */
    private static void summarize(PrintStream out, Options o, List<Run> all) {
        out.println();
        out.println("vt-bench: summary, mean ± half-range over rounds; ratio = ops/s over the best other pool of the same round");
        out.printf(Locale.ROOT, "%-8s %6s %-7s %18s %14s %16s %16s %16s %12s %8s %7s%n", "backend", "vthr", "pool",
                "ops/s", "ratio", "acq p50 us", "acq p99 us", "acq max ms", "max/min", "zero", "pinned");
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (Run r : all) {
            groups.computeIfAbsent(r.backend() + "/" + r.threads() + "/" + name(r.pool()), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Run>> g : groups.entrySet()) {
            List<Run> runs = g.getValue();
            Run first = runs.get(0);
            List<Double> ratios = new ArrayList<>();
            for (Run r : runs) {
                double best = 0;
                for (Run peer : all) {
                    if (peer.backend().equals(r.backend()) && peer.threads() == r.threads() && peer.round() == r.round()
                            && peer.pool() != r.pool()) {
                        best = Math.max(best, peer.opsPerSecond());
                    }
                }
                if (best > 0) {
                    ratios.add(r.opsPerSecond() / best);
                }
            }
            out.printf(Locale.ROOT, "%-8s %6d %-7s %18s %14s %16s %16s %16s %12s %8s %7d%n", first.backend(), first.threads(),
                    name(first.pool()),
                    spread(runs, Run::opsPerSecond, "%.0f"),
                    ratios.isEmpty() ? "-" : spread(ratios, d -> d, "%.2f"),
                    spread(runs, r -> r.p50() / 1e3, "%.0f"),
                    spread(runs, r -> r.p99() / 1e3, "%.0f"),
                    spread(runs, r -> r.max() / 1e6, "%.1f"),
                    spread(runs, Run::fairness, "%.1f"),
                    spread(runs, r -> r.zeroThreads(), "%.0f"),
                    runs.stream().mapToLong(Run::pinnedEvents).sum());
        }
    }

    private static <T> String spread(List<T> xs, ToDoubleFunction<T> f, String fmt) {
        double[] v = xs.stream().mapToDouble(f).toArray();
        double min = Arrays.stream(v).min().orElse(Double.NaN);
        double max = Arrays.stream(v).max().orElse(Double.NaN);
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        if (Double.isInfinite(max)) {
            return "inf";
        }
        return String.format(Locale.ROOT, fmt + "±" + fmt, mean, (max - min) / 2);
    }

    private static Run runOnce(Options o, Backend backend, ThreadFactory virtual, PoolUnderTest pool, int threads, int round)
            throws Exception {
        PoolUnderTest.OpenPool open = pool.open(backend.target, o.size);
        Recording pinned = startPinnedRecording(o.jfrDir != null);
        try {
            DataSource ds = open.dataSource();
            Load load = new Load(threads, ds, backend.sql);
            List<Thread> workers = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int id = i;
                Thread t = virtual.newThread(() -> load.loop(id));
                workers.add(t);
            }
            for (Thread t : workers) {
                t.start();
            }
            Thread.sleep(o.warmup.toMillis());
            long start = System.nanoTime();
            load.phase = MEASURE;
            Thread.sleep(o.measure.toMillis());
            load.phase = STOP;
            long end = System.nanoTime();
            long longestOpen = load.longestOpenWait(end);
            // Every waiter still gets its connection once, hands it straight back and leaves.
            long joinDeadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (Thread t : workers) {
                long left = joinDeadline - System.nanoTime();
                t.join(Math.max(1, left / 1_000_000));
                if (t.isAlive()) {
                    throw new IllegalStateException(name(pool) + ": a virtual thread did not stop within 60 s of the end of the run");
                }
            }
            pinned.stop();
            PinnedSummary ps = pinnedSummary(pinned, o.jfrDir, backend.name + "-" + threads + "-r" + round + "-" + name(pool));
            long min = Long.MAX_VALUE;
            long max = 0;
            int zero = 0;
            long ops = 0;
            for (long c : load.perThread) {
                min = Math.min(min, c);
                max = Math.max(max, c);
                zero += c == 0 ? 1 : 0;
                ops += c;
            }
            return new Run(backend.name, threads, round, pool, ops, (end - start) / 1e9, load.errors.sum(),
                    load.acquire.percentile(0.50), load.acquire.percentile(0.99), Math.max(load.acquire.max(), longestOpen), min, max, zero,
                    ps.count, ps.top);
        } finally {
            pinned.close();
            open.close();
        }
    }

    /**
     * The loop every virtual thread runs. Counts are written by their own thread only and read
     * after every thread has been joined.
     */
    static final class Load {
        final long[] perThread;
        /** When each thread's current getConnection() began, 0 when it is not in one; read at the end of the window. */
        final AtomicLongArray waitingSince;
        final DataSource ds;
        final String sql;
        final LatencyHistogram acquire = new LatencyHistogram();
        final LongAdder errors = new LongAdder();
        volatile int phase = WARMUP;

        Load(int threads, DataSource ds, String sql) {
            this.perThread = new long[threads];
            this.waitingSince = new AtomicLongArray(threads);
            this.ds = ds;
            this.sql = sql;
        }

        /**
         * The longest wait still open at the end of the window, at its length so far: a thread a
         * pool never serves would otherwise never show in the latencies at all. Goes into the max
         * only; the percentiles are of completed acquisitions.
         */
        long longestOpenWait(long now) {
            long longest = 0;
            for (int i = 0; i < perThread.length; i++) {
                long since = waitingSince.get(i);
                if (since != 0) {
                    longest = Math.max(longest, now - since);
                }
            }
            return longest;
        }

        void loop(int id) {
            while (phase != STOP) {
                long t0 = System.nanoTime();
                waitingSince.lazySet(id, t0);
                try (Connection c = ds.getConnection()) {
                    long acquired = System.nanoTime();
                    waitingSince.lazySet(id, 0);
                    if (phase == STOP) {
                        return;
                    }
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                        rs.next();
                    }
                    if (phase == MEASURE) {
                        perThread[id]++;
                        acquire.record(id, acquired - t0);
                    }
                } catch (SQLException e) {
                    waitingSince.lazySet(id, 0);
                    errors.increment();
                }
            }
        }
    }

    /**
     * A lock-free log-linear histogram (32 sub-buckets per power of two: about 3% resolution),
     * striped so that thousands of recording threads on few cores do not all hit one cache line.
     */
    static final class LatencyHistogram {
        private static final int SUB_BITS = 5;
        private static final int SUB = 1 << SUB_BITS;
        private static final int BUCKETS = (64 - SUB_BITS) * SUB;
        private static final int STRIPES = 16;
        private final AtomicLongArray counts = new AtomicLongArray(BUCKETS * STRIPES);
        private final AtomicLong max = new AtomicLong();

        void record(int stripe, long nanos) {
            long v = Math.max(0, nanos);
            counts.incrementAndGet((stripe & (STRIPES - 1)) * BUCKETS + index(v));
            long m = max.get();
            while (v > m && !max.compareAndSet(m, v)) {
                m = max.get();
            }
        }

        static int index(long v) {
            if (v < SUB) {
                return (int) v;
            }
            int e = 63 - Long.numberOfLeadingZeros(v);
            int sub = (int) (v >>> (e - SUB_BITS)) & (SUB - 1);
            return (e - SUB_BITS + 1) * SUB + sub;
        }

        /** The middle of bucket {@code i}. */
        static long value(int i) {
            if (i < SUB) {
                return i;
            }
            int e = i / SUB + SUB_BITS - 1;
            long low = (long) (SUB + i % SUB) << (e - SUB_BITS);
            return low + (1L << (e - SUB_BITS)) / 2;
        }

        long max() {
            return max.get();
        }

        long percentile(double p) {
            long[] merged = new long[BUCKETS];
            long total = 0;
            for (int s = 0; s < STRIPES; s++) {
                for (int i = 0; i < BUCKETS; i++) {
                    long c = counts.get(s * BUCKETS + i);
                    merged[i] += c;
                    total += c;
                }
            }
            if (total == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(p * total);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += merged[i];
                if (seen >= rank) {
                    return Math.min(value(i), max());
                }
            }
            return max();
        }
    }

    /** Where the pools connect, and the one query every borrower runs. */
    static final class Backend implements AutoCloseable {
        final String name;
        final PoolUnderTest.Target target;
        final String sql;
        private final Runnable resource;

        private Backend(String name, PoolUnderTest.Target target, String sql, Runnable resource) {
            this.name = name;
            this.target = target;
            this.sql = sql;
            this.resource = resource;
        }

        static Backend stub(long queryMicros) {
            StubDatabase db = StubDatabase.create();
            long nanos = queryMicros * 1000;
            db.serviceTime = running -> nanos;
            db.keepStatements = false;
            return new Backend("stub", new PoolUnderTest.Target(db.url(), PoolUnderTest.USER, PoolUnderTest.PASSWORD,
                    "dev.sluice.stub.StubDriver"), "select 1", db::close);
        }

        static Backend postgres(String sleepSeconds) {
            if (!sleepSeconds.matches("[0-9]+(\\.[0-9]+)?")) {
                throw new IllegalArgumentException("--pg-sleep takes seconds, e.g. 0.0005");
            }
            return new Backend("postgres", PostgresSelectBenchmark.target(), "select pg_sleep(" + sleepSeconds + ")", () -> { });
        }

        @Override
        public void close() {
            resource.run();
        }
    }

    record PinnedSummary(long count, String top) {
    }

    /**
     * Records every time a virtual thread parks or blocks while pinned to its carrier (JDK 21+;
     * on JDK 24+ a monitor no longer pins, but native frames and class initialisation still do).
     * With {@code profile}, also CPU samples and lock/park events, kept for a look with JDK Mission
     * Control or {@code jfr print}.
     */
    private static Recording startPinnedRecording(boolean profile) {
        Recording r = new Recording();
        r.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
        if (profile) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1)).withStackTrace();
            r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1)).withStackTrace();
            r.enable("jdk.GarbageCollection");
        }
        r.start();
        return r;
    }

    private static PinnedSummary pinnedSummary(Recording r, Path keepDir, String label) throws IOException {
        Path file = keepDir != null ? keepDir.resolve(label + ".jfr") : Files.createTempFile("vt-bench-", ".jfr");
        if (keepDir != null) {
            Files.createDirectories(keepDir);
        }
        r.dump(file);
        try {
            long count = 0;
            Map<String, Integer> where = new LinkedHashMap<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.VirtualThreadPinned")) {
                    continue;
                }
                count++;
                where.merge(firstFrameOutsideJdk(e), 1, Integer::sum);
            }
            String top = where.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(2).map(en -> en.getValue() + "x " + en.getKey()).reduce((a, b) -> a + "; " + b).orElse("");
            return new PinnedSummary(count, top);
        } finally {
            if (keepDir == null) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static String firstFrameOutsideJdk(RecordedEvent e) {
        if (e.getStackTrace() == null) {
            return "?";
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            String type = f.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return type + "." + f.getMethod().getName();
            }
        }
        return "jdk";
    }

    /**
     * {@code Thread.ofVirtual().factory()}, looked up at run time: the module compiles for Java 17,
     * where neither exists, and runs on 21 or newer.
     */
    private static ThreadFactory virtualThreadFactory() {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, "vt-bench-", 0L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need Java 21 or newer; this is " + System.getProperty("java.version"), e);
        }
    }
}
