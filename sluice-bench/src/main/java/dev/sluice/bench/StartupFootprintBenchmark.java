package dev.sluice.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.SluiceDataSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import javax.sql.DataSource;

/**
 * Start-up time and heap footprint of Sluice and HikariCP on a real PostgreSQL, one pool per JVM;
 * bench/startup-footprint.sh runs the JVMs in alternating order and then {@code summarize}.
 *
 * <pre>
 *   startup   --pool sluice|hikari [--size 10] [--repeats 6] [--round R]
 *   footprint --pool sluice|hikari [--size 10] [--cycles 3] [--settle-ms 2000] [--round R] [--histograms DIR]
 *   summarize STARTUP_CSV FOOTPRINT_CSV
 *   top RAW_HISTOGRAM POOL_HISTOGRAM   (kept by footprint --histograms: the classes that differ most)
 * </pre>
 *
 * <p><b>startup</b> opens and closes one plain pgjdbc connection first, so the driver's classes
 * are loaded and initialised before any pool starts (its cost is the same for every pool and is
 * not the pool's). Then, {@code repeats} times: construct the pool, and poll its count of open
 * connections (Sluice's {@code stats().open()}, HikariCP's {@code HikariPoolMXBean.getTotalConnections()})
 * every 100 us until {@code size} are open. Repeat 1 runs the pool's code for the first time in
 * the JVM (class loading and interpretation included: what an application pays once); the later
 * ones are a warm JVM. After the clock stops, {@code size} threads hold one connection each at
 * once and check it with {@code isValid}: the connections counted were usable.
 *
 * <p><b>footprint</b> compares live heap, by a class histogram ({@code GC.class_histogram}
 * through the DiagnosticCommand MBean: a full GC, then only reachable objects are counted), in
 * three states of the same JVM: nothing open (base), {@code size} plain pgjdbc connections in an
 * array (raw), and a pool holding {@code size} idle connections (pool). Each connection was
 * checked once with {@code isValid}, the pool's by {@code size} threads holding one each at once.
 * A pool and the raw connections are first opened and closed once, untimed, so classes and their
 * static state exist in every measured state. Per cycle it prints, divided by {@code size}:
 * raw - base (what pgjdbc keeps per connection: the sanity check), pool - raw in all classes
 * (everything the pool keeps beyond the driver's connections, its fixed part included), and pool -
 * raw split into the pool's own classes (dev.sluice.* but the benchmark, com.zaxxer.*), the
 * driver's (org.postgresql.*) and all others (JDK: threads, maps, arrays, strings).
 * The measuring state (the arrays the totals go into) is allocated before the first histogram,
 * so it is the same in every state.
 */
public final class StartupFootprintBenchmark {
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long OPEN_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Columns of a histogram's totals: the pool's own classes, the driver's, all others, all. */
    private static final int POOL = 0;
    private static final int DRIVER = 1;
    private static final int OTHER = 2;
    private static final int ALL = 3;
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private StartupFootprintBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: startup|footprint|summarize ...");
        }
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "startup" -> startup(o);
            case "footprint" -> footprint(o);
            case "summarize" -> Summary.print(Path.of(args[1]), Path.of(args[2]));
            case "top" -> topDifferences(Path.of(args[1]), Path.of(args[2]), 25).forEach(System.out::println);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (args[i].startsWith("--")) {
                o.put(args[i].substring(2), args[i + 1]);
            }
        }
        return o;
    }

    // ---------------------------------------------------------------- start-up

    private static void startup(Map<String, String> o) throws Exception {
        PoolUnderTest pool = PoolUnderTest.named(o.getOrDefault("pool", "sluice"));
        int size = Integer.parseInt(o.getOrDefault("size", "10"));
        int repeats = Integer.parseInt(o.getOrDefault("repeats", "6"));
        String round = o.getOrDefault("round", "1");
        PoolUnderTest.Target t = target();
        t.loadDriver();
        connect(t).close();
        for (int i = 1; i <= repeats; i++) {
            long start = System.nanoTime();
            PoolUnderTest.OpenPool open = pool.start(t, size);
            long constructed = System.nanoTime();
            try {
                awaitOpen(open.dataSource(), size);
                long filled = System.nanoTime();
                PoolUnderTest.fill(open.dataSource(), size);
                System.out.printf(Locale.ROOT, "%s,%s,%d,%.3f,%.3f%n", round, name(pool), i,
                        (constructed - start) / 1e6, (filled - start) / 1e6);
            } finally {
                open.close();
            }
            // Let the server finish the closed backends before the next pool connects.
            TimeUnit.MILLISECONDS.sleep(300);
        }
    }

    private static void awaitOpen(DataSource ds, int size) {
        long deadline = System.nanoTime() + OPEN_DEADLINE_NANOS;
        while (openCount(ds) < size) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("fewer than " + size + " connections open after 60 s");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    private static int openCount(DataSource ds) {
        if (ds instanceof SluiceDataSource s) {
            return s.stats().open();
        }
        if (ds instanceof HikariDataSource h) {
            return h.getHikariPoolMXBean().getTotalConnections();
        }
        throw new IllegalArgumentException("no open count for " + ds.getClass().getName());
    }


    // ---------------------------------------------------------------- footprint

    private static void footprint(Map<String, String> o) throws Exception {
        PoolUnderTest pool = PoolUnderTest.named(o.getOrDefault("pool", "sluice"));
        int size = Integer.parseInt(o.getOrDefault("size", "10"));
        int cycles = Integer.parseInt(o.getOrDefault("cycles", "3"));
        long settleMs = Long.parseLong(o.getOrDefault("settle-ms", "2000"));
        String round = o.getOrDefault("round", "1");
        Path histograms = o.containsKey("histograms") ? Path.of(o.get("histograms")) : null;
        PoolUnderTest.Target t = target();
        t.loadDriver();
        // Allocated before the first histogram: the same in every measured state.
        long[] base = new long[4];
        long[] raw = new long[4];
        long[] pooled = new long[4];
        Connection[] conns = new Connection[size];
        String[] text = new String[1];

        histogram(base, text); // the DiagnosticCommand MBean's own first-use state
        openRaw(t, conns);
        closeRaw(conns);
        PoolUnderTest.OpenPool warm = pool.start(t, size);
        awaitOpen(warm.dataSource(), size);
        PoolUnderTest.fill(warm.dataSource(), size);
        warm.close();
        warm = null;
        TimeUnit.MILLISECONDS.sleep(settleMs);

        for (int cycle = 1; cycle <= cycles; cycle++) {
            histogram(base, text);
            text[0] = null;
            openRaw(t, conns);
            histogram(raw, text);
            keep(histograms, round, name(pool), cycle, "raw", text);
            closeRaw(conns);
            PoolUnderTest.OpenPool open = pool.start(t, size);
            try {
                awaitOpen(open.dataSource(), size);
                PoolUnderTest.fill(open.dataSource(), size);
                TimeUnit.MILLISECONDS.sleep(settleMs);
                histogram(pooled, text);
                keep(histograms, round, name(pool), cycle, "pool", text);
            } finally {
                open.close();
            }
            System.out.printf(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%d%n", round, name(pool), cycle, size,
                    (raw[ALL] - base[ALL]) / size, (pooled[ALL] - raw[ALL]) / size,
                    (pooled[POOL] - raw[POOL]) / size, (pooled[DRIVER] - raw[DRIVER]) / size,
                    (pooled[OTHER] - raw[OTHER]) / size);
            TimeUnit.MILLISECONDS.sleep(settleMs);
        }
    }

    private static void openRaw(PoolUnderTest.Target t, Connection[] conns) throws SQLException {
        for (int i = 0; i < conns.length; i++) {
            conns[i] = connect(t);
            if (!conns[i].isValid(1)) {
                throw new SQLException("a fresh connection is not valid");
            }
        }
    }

    private static void closeRaw(Connection[] conns) throws SQLException {
        for (int i = 0; i < conns.length; i++) {
            conns[i].close();
            conns[i] = null;
        }
    }

    /**
     * Writes the live heap's totals by class group into {@code into} and leaves the histogram's
     * text in {@code text[0]} (the caller drops it before the next histogram).
     */
    private static void histogram(long[] into, String[] text) throws Exception {
        text[0] = null;
        String h = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        java.util.Arrays.fill(into, 0);
        for (String line : h.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                long bytes = Long.parseLong(m.group(2));
                into[group(m.group(3))] += bytes;
                into[ALL] += bytes;
            }
        }
        text[0] = h;
    }

    private static int group(String className) {
        if (className.startsWith("dev.sluice.bench.")) {
            return OTHER;
        }
        if (className.startsWith("dev.sluice.") || className.startsWith("com.zaxxer.")) {
            return POOL;
        }
        return className.startsWith("org.postgresql.") ? DRIVER : OTHER;
    }

    private static void keep(Path dir, String round, String pool, int cycle, String state, String[] text) throws IOException {
        if (dir != null) {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(String.format(Locale.ROOT, "r%s-%s-c%d-%s.txt", round, pool, cycle, state)),
                    text[0], StandardCharsets.UTF_8);
        }
        text[0] = null;
    }

    // ---------------------------------------------------------------- common

    private static String name(PoolUnderTest pool) {
        return pool.name().toLowerCase(Locale.ROOT);
    }

    static PoolUnderTest.Target target() {
        String url = System.getProperty("sluice.bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("sluice.bench.pg.user", "postgres");
        String password = System.getenv("SLUICE_BENCH_PG_PASSWORD");
        return new PoolUnderTest.Target(url, user, password == null ? "" : password, "org.postgresql.Driver");
    }

    private static Connection connect(PoolUnderTest.Target t) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", t.user());
        p.setProperty("password", t.password());
        return DriverManager.getConnection(t.url(), p);
    }

    /** Per-class difference of two kept histograms, largest first: where a pool's bytes are. */
    static Map<String, long[]> classes(Path histogram) throws IOException {
        Map<String, long[]> m = new TreeMap<>();
        for (String line : Files.readAllLines(histogram, StandardCharsets.UTF_8)) {
            Matcher r = ROW.matcher(line);
            if (r.find()) {
                m.merge(r.group(3), new long[] {Long.parseLong(r.group(1)), Long.parseLong(r.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return m;
    }

    static List<String> topDifferences(Path raw, Path pool, int limit) throws IOException {
        Map<String, long[]> a = classes(raw);
        Map<String, long[]> b = classes(pool);
        Map<String, long[]> d = new HashMap<>();
        for (String k : b.keySet()) {
            long[] x = a.getOrDefault(k, new long[2]);
            d.put(k, new long[] {b.get(k)[0] - x[0], b.get(k)[1] - x[1]});
        }
        for (String k : a.keySet()) {
            d.putIfAbsent(k, new long[] {-a.get(k)[0], -a.get(k)[1]});
        }
        List<String> out = new ArrayList<>();
        d.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -Math.abs(e.getValue()[1])))
                .limit(limit)
                .forEach(e -> out.add(String.format(Locale.ROOT, "%+9d B %+6d objects  %s", e.getValue()[1], e.getValue()[0], e.getKey())));
        return out;
    }
}
