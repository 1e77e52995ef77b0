import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleFunction;
import java.util.stream.Stream;

/**
 * Turns one run of bench/run.sh (JMH JSON files and fairness.csv in a results directory) into a
 * markdown report and an SVG chart, with no library: a single-file program for
 * {@code java bench/Report.java RESULTS_DIR [--md FILE] [--svg FILE]}.
 *
 * <p>Scores are compared as ratios to HikariCP, the pool people pick for speed; errors are JMH's
 * 99.9% confidence half-widths, and a ratio's error combines both scores' relative errors
 * (root of the sum of squares). The targets section checks the numbers against Sluice's performance targets.
 *
 * <p>Results of {@code PostgresSelectBenchmark} (bench/run.sh postgres) get their own table, (e),
 * as ratios to {@code direct} (a persistent connection per thread, no pool) against the target
 * of 0.98; a directory holding only those gets a chart of them instead of the stub-driver chart.
 */
public class Report {
    static final List<String> POOLS = List.of("sluice", "hikari", "agroal", "dbcp2", "vibur", "tomcat", "c3p0", "druid", "nopool");
    static final List<String> PEERS = List.of("hikari", "agroal", "dbcp2", "vibur", "tomcat", "c3p0", "druid");
    static final String BASE = "hikari";
    /** (e): the benchmark method, the pools in table order, the baseline and the target ratio. */
    static final String PG_METHOD = "selectByPrimaryKey";
    static final List<String> PG_POOLS = List.of("direct", "sluice", "hikari", "agroal", "dbcp2", "vibur", "tomcat", "c3p0", "druid");
    static final String PG_BASE = "direct";
    static final double PG_TARGET = 0.98;
    /** PostgresSelectBenchmark.POOL_SIZE, for the chart's caption. */
    static final int PG_POOL_SIZE = 8;
    static final Map<String, String> OVERHEAD = new LinkedHashMap<>();
    static final Map<String, String> SHORT = new LinkedHashMap<>();
    static final Map<String, String> COLOR = new LinkedHashMap<>();

    static {
        OVERHEAD.put("borrowClose", "(a) getConnection → close");
        OVERHEAD.put("statement", "(b) createStatement → executeQuery → next → close");
        OVERHEAD.put("preparedStatement", "(c) prepareStatement → setInt → executeQuery → next → close");
        SHORT.put("borrowClose", "(a)");
        SHORT.put("statement", "(b)");
        SHORT.put("preparedStatement", "(c)");
        COLOR.put("sluice", "#d95f02");
        COLOR.put("hikari", "#1f78b4");
        COLOR.put("agroal", "#33a02c");
        COLOR.put("dbcp2", "#6a3d9a");
        COLOR.put("vibur", "#b15928");
        COLOR.put("tomcat", "#e7298a");
        COLOR.put("c3p0", "#999999");
        COLOR.put("druid", "#a6a600");
        COLOR.put("nopool", "#a6cee3");
        COLOR.put("direct", "#333333");
    }

    /** One JMH result: a benchmark method at a thread count for one pool. */
    record Result(String method, String mode, int threads, String pool, double score, double error, String unit,
            Map<String, Double> percentiles, double alloc, double allocError) {
    }

    /** Fairness of one benchmark and pool: mean and worst ratio over the measurement iterations. */
    /** Most-over-least ratios per measurement iteration: operations, and CPU time the threads got (NaN if not recorded). */
    record Fairness(double mean, double worst, int iterations, double cpuMean, double cpuWorst) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java bench/Report.java RESULTS_DIR [--md FILE] [--svg FILE]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path md = dir.resolve("report.md");
        Path svg = dir.resolve("chart.svg");
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--md" -> md = Path.of(args[i + 1]);
                case "--svg" -> svg = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<Result> results = new ArrayList<>();
        Map<String, Object> meta = null;
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            for (Object o : (List<?>) new Json(Files.readString(f)).parse()) {
                Map<String, Object> r = map(o);
                meta = meta == null ? r : meta;
                results.add(toResult(r));
            }
        }
        if (results.isEmpty()) {
            throw new IllegalStateException("no JMH results (*.json) in " + dir);
        }
        Map<String, Fairness> fairness = readFairness(dir.resolve("fairness.csv"));
        Report report = new Report(results, fairness);
        Files.writeString(md, report.markdown(meta), StandardCharsets.UTF_8);
        Files.writeString(svg, report.svg(meta), StandardCharsets.UTF_8);
        System.out.print(report.markdown(meta));
        System.out.println();
        System.out.println("wrote " + md + " and " + svg);
    }

    private final Map<String, Result> byKey = new LinkedHashMap<>();
    private final Map<String, Fairness> fairness;
    private final List<Integer> threadCounts;
    private final List<Integer> pgThreadCounts;

    Report(List<Result> results, Map<String, Fairness> fairness) {
        this.fairness = fairness;
        TreeMap<Integer, Boolean> threads = new TreeMap<>();
        TreeMap<Integer, Boolean> pgThreads = new TreeMap<>();
        for (Result r : results) {
            byKey.put(key(r.method, r.threads, r.pool), r);
            if (OVERHEAD.containsKey(r.method)) {
                threads.put(r.threads, true);
            } else if (r.method.equals(PG_METHOD)) {
                pgThreads.put(r.threads, true);
            }
        }
        threadCounts = new ArrayList<>(threads.keySet());
        pgThreadCounts = new ArrayList<>(pgThreads.keySet());
    }

    boolean haveContention() {
        return byKey.values().stream().anyMatch(r -> r.method.equals("cycle") || r.method.equals("acquire"));
    }

    static String key(String method, int threads, String pool) {
        return method + "/" + threads + "/" + pool;
    }

    Result get(String method, int threads, String pool) {
        return byKey.get(key(method, threads, pool));
    }

    Result contention(String method, String pool) {
        for (Result r : byKey.values()) {
            if (r.method.equals(method) && r.pool.equals(pool)) {
                return r;
            }
        }
        return null;
    }

    /** r's score over HikariCP's in the same column, with the combined error; null if either is missing. */
    static double[] ratio(Result r, Result base) {
        if (r == null || base == null || base.score == 0) {
            return null;
        }
        double q = r.score / base.score;
        double e = q * Math.sqrt(sq(r.error / r.score) + sq(base.error / base.score));
        return new double[] {q, e};
    }

    /** "2.18× ± 0.05", or "2.18×" when a score has no error (a single iteration). */
    static String ratioText(double[] q) {
        return q == null ? "–" : Double.isNaN(q[1]) ? fmtRatio(q[0]) : fmtRatio(q[0]) + " ± " + fmt2(q[1]);
    }

    static String scoreText(double score, double error) {
        return Double.isNaN(error) ? fmt3(score) : fmt3(score) + " ± " + fmt3(error);
    }

    static double sq(double x) {
        return x * x;
    }

    /** The best peer (not Sluice, not the no-pool bound) by throughput in a column. */
    Result bestPeer(String method, int threads) {
        Result best = null;
        for (String p : PEERS) {
            Result r = get(method, threads, p);
            if (r != null && (best == null || r.score > best.score)) {
                best = r;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ markdown

    String markdown(Map<String, Object> meta) {
        StringBuilder b = new StringBuilder();
        b.append("Run: JMH ").append(meta.get("jmhVersion")).append(", ").append(meta.get("vmName")).append(' ')
                .append(meta.get("vmVersion")).append(", ").append(fmt0(num(meta.get("forks")))).append(" fork(s), warm-up ")
                .append(fmt0(num(meta.get("warmupIterations")))).append(" × ").append(meta.get("warmupTime")).append(", measurement ")
                .append(fmt0(num(meta.get("measurementIterations")))).append(" × ").append(meta.get("measurementTime"))
                .append(", JVM options `").append(String.join(" ", strings(meta.get("jvmArgs")))).append("`.\n");
        b.append("Errors (±) are JMH's 99.9% confidence half-widths; a ratio's error combines both scores' relative errors.\n\n");

        if (!threadCounts.isEmpty()) {
            b.append("#### Pool overhead: throughput as a ratio to HikariCP (higher is better)\n\n");
            overheadTable(b, (r, base) -> ratioText(ratio(r, base)), true);
            b.append("\n#### Pool overhead: throughput, operations per microsecond\n\n");
            overheadTable(b, (r, base) -> scoreText(r.score, r.error), false);
            b.append("\n#### Pool overhead: allocation per operation (`gc.alloc.rate.norm`, bytes; the stub driver allocates nothing)\n\n");
            overheadTable(b, (r, base) -> Double.isNaN(r.alloc) ? "–" : fmt0(r.alloc), false);
            b.append('\n');
        }
        if (haveContention()) {
            contentionTable(b);
            b.append('\n');
        }
        if (!pgThreadCounts.isEmpty()) {
            postgresTables(b);
            b.append('\n');
        }
        targets(b);
        return b.toString();
    }

    void contentionTable(StringBuilder b) {
        b.append("#### Contention: ").append(contentionThreads()).append(" threads, 4 connections\n\n");
        b.append("| pool | throughput, ops/µs | × HikariCP | acquire mean, µs | p50 | p99 | p99.9 | fairness (cycle) mean / worst"
                + " | fairness (acquire) mean / worst | CPU time spread (cycle) mean / worst | B/op (cycle) |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Result baseCycle = contention("cycle", BASE);
        for (String p : POOLS) {
            Result c = contention("cycle", p);
            Result a = contention("acquire", p);
            if (c == null && a == null) {
                continue;
            }
            double[] q = ratio(c, baseCycle);
            b.append("| ").append(name(p)).append(" | ")
                    .append(c == null ? "–" : scoreText(c.score, c.error)).append(" | ")
                    .append(ratioText(q)).append(" | ")
                    .append(a == null ? "–" : Double.isNaN(a.error) ? fmt2(a.score) : fmt2(a.score) + " ± " + fmt2(a.error)).append(" | ")
                    .append(pct(a, "50.0")).append(" | ").append(pct(a, "99.0")).append(" | ").append(pct(a, "99.9")).append(" | ")
                    .append(fair("cycle", p)).append(" | ").append(fair("acquire", p)).append(" | ").append(cpuSpread("cycle", p)).append(" | ")
                    .append(c == null || Double.isNaN(c.alloc) ? "–" : fmt0(c.alloc)).append(" |\n");
        }
        b.append("\nFairness: the most-served thread's operations over the least-served thread's in one measurement"
                + " iteration (1.00 is even); mean and worst over the iterations. CPU time spread: the same ratio for the CPU"
                + " time the kernel gave each thread in the iteration, which bounds what any pool can even out by serving"
                + " alike; latencies below 1 µs are given to the nanosecond.\n");
    }

    /** (e): throughput per pool and thread count, its ratio to direct, and the verdict against 0.98. */
    void postgresTables(StringBuilder b) {
        String unit = byKey.values().stream().filter(r -> r.method.equals(PG_METHOD)).findFirst().map(r -> r.unit).orElse("ops/ms");
        b.append("#### (e) PostgreSQL: select one row by primary key, throughput and ratio to a direct connection per thread"
                + " (target ≥ ").append(fmt2(PG_TARGET)).append(" × direct)\n\n");
        b.append("| pool |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int t : pgThreadCounts) {
            String th = threadsLabel(t);
            b.append(' ').append(th).append(", ").append(unit).append(" | ").append(th).append(", × direct | ")
                    .append(th).append(", ≥ ").append(fmt2(PG_TARGET)).append("× |");
            rule.append("---|---|---|");
        }
        b.append('\n').append(rule).append('\n');
        for (String p : pgPoolsMeasured()) {
            b.append("| ").append(name(p)).append(" |");
            for (int t : pgThreadCounts) {
                Result r = get(PG_METHOD, t, p);
                double[] q = ratio(r, get(PG_METHOD, t, PG_BASE));
                b.append(' ').append(r == null ? "–" : scoreText(r.score, r.error)).append(" | ").append(ratioText(q)).append(" | ")
                        .append(p.equals(PG_BASE) ? "–" : verdict(q, PG_TARGET)).append(" |");
            }
            b.append('\n');
        }
        b.append("\nVerdict: the ratio against ").append(fmt2(PG_TARGET)).append("; \"within error\" when its 99.9% interval"
                + " also holds the other side of the line, so the run cannot tell (use `full`).\n");

        b.append("\n#### (e) PostgreSQL: allocation per operation (`gc.alloc.rate.norm`, bytes; pgjdbc's own included)\n\n");
        b.append("| pool |");
        rule = new StringBuilder("|---|");
        for (int t : pgThreadCounts) {
            b.append(' ').append(threadsLabel(t)).append(" |");
            rule.append("---|");
        }
        b.append('\n').append(rule).append('\n');
        for (String p : pgPoolsMeasured()) {
            b.append("| ").append(name(p)).append(" |");
            for (int t : pgThreadCounts) {
                Result r = get(PG_METHOD, t, p);
                b.append(' ').append(r == null || Double.isNaN(r.alloc) ? "–" : fmt0(r.alloc)).append(" |");
            }
            b.append('\n');
        }
    }

    /** The (e) set-ups this run measured, in the report's order. */
    private List<String> pgPoolsMeasured() {
        return PG_POOLS.stream()
                .filter(p -> byKey.values().stream().anyMatch(r -> r.pool.equals(p) && r.method.equals(PG_METHOD)))
                .toList();
    }

    private static String threadsLabel(int t) {
        return t + (t == 1 ? " thread" : " threads");
    }

    /**
     * "yes" or "no" by the ratio itself; "within error" when the 99.9% interval reaches across the
     * target, so that a reader does not take a coin toss for a result.
     */
    static String verdict(double[] q, double target) {
        if (q == null) {
            return "–";
        }
        boolean met = q[0] >= target;
        boolean undecided = !Double.isNaN(q[1]) && (met ? q[0] - q[1] < target : q[0] + q[1] >= target);
        return (met ? "yes" : "**no**") + (undecided ? " (within error)" : "");
    }

    interface Cell {
        String format(Result r, Result base);
    }

    void overheadTable(StringBuilder b, Cell cell, boolean bestPeerRow) {
        b.append("| pool |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String m : OVERHEAD.keySet()) {
            for (int t : threadCounts) {
                b.append(' ').append(SHORT.get(m)).append(' ').append(t).append(t == 1 ? " thread" : " threads").append(" |");
                rule.append("---|");
            }
        }
        b.append('\n').append(rule).append('\n');
        for (String p : POOLS) {
            if (byKey.values().stream().noneMatch(r -> r.pool.equals(p) && OVERHEAD.containsKey(r.method))) {
                continue;
            }
            b.append("| ").append(name(p)).append(" |");
            for (String m : OVERHEAD.keySet()) {
                for (int t : threadCounts) {
                    Result r = get(m, t, p);
                    b.append(' ').append(r == null ? "–" : cell.format(r, get(m, t, BASE))).append(" |");
                }
            }
            b.append('\n');
        }
        if (bestPeerRow) {
            b.append("| *Sluice ÷ best peer* |");
            for (String m : OVERHEAD.keySet()) {
                for (int t : threadCounts) {
                    Result best = bestPeer(m, t);
                    double[] q = ratio(get(m, t, "sluice"), best);
                    b.append(' ').append(q == null ? "–" : "*" + ratioText(q) + " (" + best.pool + ")*").append(" |");
                }
            }
            b.append('\n');
        }
    }

    void targets(StringBuilder b) {
        b.append("#### Targets\n\n| target | measured | met |\n|---|---|---|\n");
        for (String m : OVERHEAD.keySet()) {
            for (int t : threadCounts) {
                Result best = bestPeer(m, t);
                double[] q = ratio(get(m, t, "sluice"), best);
                if (q == null) {
                    continue;
                }
                b.append("| ").append(SHORT.get(m)).append(' ').append(t).append(" thr: throughput ≥ 1.25 × best peer | ")
                        .append(ratioText(q)).append(" × ").append(best.pool)
                        .append(" | ").append(mark(q[0] >= 1.25)).append(" |\n");
            }
        }
        for (String m : threadCounts.isEmpty() ? List.<String>of() : OVERHEAD.keySet()) {
            Result s = get(m, threadCounts.get(0), "sluice");
            Result least = null;
            for (String p : PEERS) {
                Result r = get(m, threadCounts.get(0), p);
                if (r != null && !Double.isNaN(r.alloc) && (least == null || r.alloc < least.alloc)) {
                    least = r;
                }
            }
            if (s != null && least != null && !Double.isNaN(s.alloc)) {
                b.append("| ").append(SHORT.get(m)).append(": allocation < every peer's | ").append(fmt0(s.alloc)).append(" B/op vs ")
                        .append(fmt0(least.alloc)).append(" B/op (").append(least.pool).append(") | ").append(mark(s.alloc < least.alloc)).append(" |\n");
            }
        }
        Result sc = contention("cycle", "sluice");
        Result sa = contention("acquire", "sluice");
        if (sc != null) {
            Result best = null;
            for (String p : PEERS) {
                Result r = contention("cycle", p);
                if (r != null && (best == null || r.score > best.score)) {
                    best = r;
                }
            }
            if (best != null) { // a run of Sluice alone (-p pool=sluice) has no peer to compare with
                double[] q = ratio(sc, best);
                b.append("| contention: throughput ≥ best peer's | ").append(ratioText(q))
                        .append(" × ").append(best.pool).append(" | ").append(mark(q[0] >= 1)).append(" |\n");
            }
        }
        if (sa != null) {
            Result bestTail = null;
            for (String p : PEERS) {
                Result r = contention("acquire", p);
                if (r != null && r.percentiles.containsKey("99.0") && (bestTail == null || r.percentiles.get("99.0") < bestTail.percentiles.get("99.0"))) {
                    bestTail = r;
                }
            }
            if (bestTail != null) {
                double s99 = sa.percentiles.get("99.0");
                double b99 = bestTail.percentiles.get("99.0");
                b.append("| contention: p99 acquire ≤ best peer's p99 | ").append(fmtLatency(s99)).append(" µs vs ").append(fmtLatency(b99))
                        .append(" µs (").append(bestTail.pool).append("), ").append(fmtRatio(s99 / b99)).append(" | ").append(mark(s99 <= b99)).append(" |\n");
            }
            Result h = contention("acquire", BASE);
            if (h != null) {
                b.append("| contention: mean acquire ≤ HikariCP's | ").append(fmt2(sa.score)).append(" µs vs ").append(fmt2(h.score))
                        .append(" µs, ").append(fmtRatio(sa.score / h.score)).append(" | ").append(mark(sa.score <= h.score)).append(" |\n");
            }
        }
        for (String m : List.of("cycle", "acquire")) {
            Fairness f = fairness.get(m + "/sluice");
            if (f != null) {
                b.append("| contention (").append(m).append("): fairness ≤ 1.5 | worst ").append(fmt2(f.worst)).append(", mean ")
                        .append(fmt2(f.mean));
                if (!Double.isNaN(f.cpuMean)) {
                    b.append(" (CPU time spread: worst ").append(fmt2(f.cpuWorst)).append(", mean ").append(fmt2(f.cpuMean)).append(')');
                }
                b.append(" | ").append(mark(f.worst <= 1.5)).append(" |\n");
            }
        }
        for (int t : pgThreadCounts) {
            double[] q = ratio(get(PG_METHOD, t, "sluice"), get(PG_METHOD, t, PG_BASE));
            if (q != null) {
                b.append("| (e) PostgreSQL ").append(t).append(" thr: throughput ≥ ").append(fmt2(PG_TARGET)).append(" × direct | ")
                        .append(ratioText(q)).append(" | ").append(verdict(q, PG_TARGET)).append(" |\n");
            }
        }
    }

    int contentionThreads() {
        Result r = contention("cycle", BASE);
        if (r == null) {
            r = contention("acquire", BASE);
        }
        return r == null ? 16 : r.threads;
    }

    String pct(Result r, String p) {
        return r == null || !r.percentiles.containsKey(p) ? "–" : fmtLatency(r.percentiles.get(p));
    }

    /** Sub-microsecond latencies need three decimals: the pools' p99s differ by tens of nanoseconds. */
    static String fmtLatency(double micros) {
        return micros < 1 ? String.format(Locale.ROOT, "%.3f", micros) : fmt1(micros);
    }

    String cpuSpread(String method, String pool) {
        Fairness f = fairness.get(method + "/" + pool);
        return f == null || Double.isNaN(f.cpuMean) ? "–" : fmt2(f.cpuMean) + " / " + fmt2(f.cpuWorst);
    }

    String fair(String method, String pool) {
        Fairness f = fairness.get(method + "/" + pool);
        return f == null ? "–" : fmt2(f.mean) + " / " + fmt2(f.worst);
    }

    static String name(String pool) {
        return pool.equals("sluice") ? "**sluice**" : pool.equals("nopool") ? "nopool (bound)"
                : pool.equals("direct") ? "direct (no pool)" : pool;
    }

    static String mark(boolean ok) {
        return ok ? "yes" : "**no**";
    }

    // ------------------------------------------------------------------ SVG

    String svg(Map<String, Object> meta) {
        if (threadCounts.isEmpty() && !haveContention() && !pgThreadCounts.isEmpty()) {
            return postgresSvg(meta);
        }
        List<String> groups = new ArrayList<>();
        List<double[][]> values = new ArrayList<>(); // per group: [pool] -> {ratio, error}
        for (String m : OVERHEAD.keySet()) {
            for (int t : threadCounts) {
                groups.add(SHORT.get(m) + " " + t + "t");
                double[][] v = new double[POOLS.size()][];
                for (int i = 0; i < POOLS.size(); i++) {
                    v[i] = ratio(get(m, t, POOLS.get(i)), get(m, t, BASE));
                }
                values.add(v);
            }
        }
        if (contention("cycle", BASE) != null) {
            groups.add("(d) " + contentionThreads() + "t/4c");
            double[][] v = new double[POOLS.size()][];
            for (int i = 0; i < POOLS.size(); i++) {
                v[i] = ratio(contention("cycle", POOLS.get(i)), contention("cycle", BASE));
            }
            values.add(v);
        }
        List<String> latGroups = List.of("mean", "p50", "p99", "p99.9");
        List<double[][]> latencies = new ArrayList<>();
        boolean haveLatency = contention("acquire", BASE) != null;
        if (haveLatency) {
            for (String g : latGroups) {
                double[][] v = new double[POOLS.size()][];
                for (int i = 0; i < POOLS.size(); i++) {
                    Result a = contention("acquire", POOLS.get(i));
                    if (a == null) {
                        continue;
                    }
                    v[i] = switch (g) {
                        case "mean" -> new double[] {a.score, Double.isNaN(a.error) ? 0 : a.error};
                        case "p50" -> pctPair(a, "50.0");
                        case "p99" -> pctPair(a, "99.0");
                        default -> pctPair(a, "99.9");
                    };
                }
                latencies.add(v);
            }
        }

        int barW = 11;
        int groupW = POOLS.size() * barW + 18;
        int left = 70;
        int width = Math.max(left + groups.size() * groupW + 20, 900);
        int panelH = 300;
        int top1 = 78;
        int top2 = top1 + panelH + 110;
        int height = haveLatency ? top2 + panelH + 60 : top1 + panelH + 60;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n", width, height, width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
        s.append(text(left, 22, "Sluice and peers over a do-nothing stub driver — throughput ÷ HikariCP (log scale; higher is better)", 15, "start", "bold"));
        s.append(text(left, 40, "(a) getConnection/close, (b) + Statement, (c) + PreparedStatement at 1/2/8 threads, pool of 16; "
                + "(d) 16 threads on 4 connections. Whiskers: 99.9% CI. " + meta.get("vmName") + " " + meta.get("vmVersion"), 11, "start", "normal"));
        legend(s, POOLS, left, 58);
        panel(s, POOLS, left, top1, groups.size() * groupW, panelH, groups, values, groupW, barW, 1.0, true,
                v -> v >= 1 ? fmtTick(v) + "×" : "1/" + fmtTick(1 / v) + "×");
        if (haveLatency) {
            s.append(text(left, top2 - 28, "(d) Contention: getConnection latency, µs (log scale; lower is better)", 15, "start", "bold"));
            s.append(text(left, top2 - 12, "SampleTime over 16 threads sharing 4 connections; whiskers on the mean: 99.9% CI", 11, "start", "normal"));
            panel(s, POOLS, left, top2, latGroups.size() * (groupW + 40), panelH, latGroups, latencies, groupW + 40, barW + 4, Double.NaN, false,
                    v -> fmtTick(v));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** (e) alone: each pool's throughput over direct's, per thread count, with the 0.98 line. */
    String postgresSvg(Map<String, Object> meta) {
        List<String> groups = new ArrayList<>();
        List<double[][]> values = new ArrayList<>();
        for (int t : pgThreadCounts) {
            groups.add(t + (t == 1 ? " thread" : " threads"));
            double[][] v = new double[PG_POOLS.size()][];
            for (int i = 0; i < PG_POOLS.size(); i++) {
                v[i] = ratio(get(PG_METHOD, t, PG_POOLS.get(i)), get(PG_METHOD, t, PG_BASE));
            }
            values.add(v);
        }
        int barW = 16;
        int groupW = PG_POOLS.size() * barW + 30;
        int left = 70;
        int width = Math.max(left + groups.size() * groupW + 20, 900);
        int panelH = 300;
        int top = 78;
        int height = top + panelH + 60;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n", width, height, width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height));
        s.append(text(left, 22, "(e) PostgreSQL on loopback: throughput ÷ a direct connection per thread", 15,
                "start", "bold"));
        s.append(text(left, 40, "Select one row by primary key, pool of " + PG_POOL_SIZE + ", higher is better; dashed: the target, " + fmt2(PG_TARGET)
                + "× direct; whiskers: 99.9% CI; JDK " + meta.get("vmVersion"), 11, "start", "normal"));
        legend(s, PG_POOLS, left, 58);
        linearPanel(s, PG_POOLS, left, top, groups.size() * groupW, panelH, groups, values, groupW, barW, PG_TARGET);
        s.append("</svg>\n");
        return s.toString();
    }

    /**
     * Grouped bars of ratios on a linear axis from 0: a 2% target is invisible on the log axis the
     * stub-driver chart needs for its 50× spread.
     */
    void linearPanel(StringBuilder s, List<String> pools, int x0, int y0, int w, int h, List<String> groups, List<double[][]> values,
            int groupW, int barW, double target) {
        double hi = 1;
        for (double[][] g : values) {
            for (double[] v : g) {
                if (v != null) {
                    hi = Math.max(hi, v[0] + (Double.isNaN(v[1]) ? 0 : v[1]));
                }
            }
        }
        double top = Math.ceil(hi * 10) / 10;
        java.util.function.DoubleUnaryOperator yOf = v -> y0 + h - v / top * h;
        for (int k = 0; k <= Math.round(top * 10); k++) {
            double v = k / 10.0;
            double y = yOf.applyAsDouble(v);
            boolean one = k == 10;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"/>\n",
                    x0, y, x0 + w, y, one ? "#333" : "#ddd", one ? "1.5" : "1"));
            s.append(text(x0 - 6, (int) Math.round(y + 4), fmt1(v) + "×", 11, "end", one ? "bold" : "normal"));
        }
        double yt = yOf.applyAsDouble(target);
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d95f02\" stroke-dasharray=\"5 3\"/>\n",
                x0, yt, x0 + w, yt));
        for (int g = 0; g < groups.size(); g++) {
            int gx = x0 + g * groupW + 15;
            double[][] vals = values.get(g);
            for (int i = 0; i < pools.size(); i++) {
                double[] v = vals[i];
                if (v == null || v[0] <= 0) {
                    continue;
                }
                double x = gx + i * barW;
                double yv = yOf.applyAsDouble(v[0]);
                String title = pools.get(i) + " " + groups.get(g) + ": " + fmtRatio(v[0]) + (Double.isNaN(v[1]) ? "" : " ± " + fmt2(v[1]));
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"%s><title>%s</title></rect>\n",
                        x, yv, barW - 1, y0 + h - yv, COLOR.get(pools.get(i)),
                        pools.get(i).equals("sluice") ? " stroke=\"#000\" stroke-width=\"0.8\"" : "", esc(title)));
                if (!Double.isNaN(v[1]) && v[1] > 0) {
                    double yl = yOf.applyAsDouble(Math.max(v[0] - v[1], 0));
                    double yh = yOf.applyAsDouble(v[0] + v[1]);
                    double cx = x + (barW - 1) / 2.0;
                    s.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\" stroke=\"#000\" stroke-width=\"1\"/>\n",
                            cx, yl, yh, cx - 2.5, yl, cx + 2.5, cx - 2.5, yh, cx + 2.5));
                }
            }
            s.append(text(gx + pools.size() * barW / 2, y0 + h + 18, groups.get(g), 12, "middle", "normal"));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", x0, y0, w, h));
    }

    static double[] pctPair(Result a, String p) {
        Double v = a.percentiles.get(p);
        return v == null ? null : new double[] {v, 0};
    }

    void legend(StringBuilder s, List<String> pools, int x, int y) {
        for (String p : pools) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x, y - 10, COLOR.get(p)));
            s.append(text(x + 16, y, p.equals("nopool") ? "nopool (bound)" : p, 12, "start", p.equals("sluice") ? "bold" : "normal"));
            x += p.equals("nopool") ? 110 : 75;
        }
    }

    /**
     * One panel of grouped bars on a log2 axis. With a finite baseline, bars grow from it (up for
     * faster than HikariCP, down for slower); otherwise from the bottom of the axis.
     */
    void panel(StringBuilder s, List<String> pools, int x0, int y0, int w, int h, List<String> groups, List<double[][]> values, int groupW,
            int barW, double baseline, boolean ratioAxis, DoubleFunction<String> tick) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (double[][] g : values) {
            for (double[] v : g) {
                if (v != null && v[0] > 0) {
                    double err = Double.isNaN(v[1]) ? 0 : v[1];
                    lo = Math.min(lo, Math.max(v[0] - err, v[0] / 2));
                    hi = Math.max(hi, v[0] + err);
                }
            }
        }
        if (hi == 0) {
            return;
        }
        if (ratioAxis) {
            lo = Math.min(lo, 1);
            hi = Math.max(hi, 1);
        }
        int e0 = (int) Math.floor(Math.log(lo) / Math.log(2));
        int e1 = (int) Math.ceil(Math.log(hi) / Math.log(2));
        if (e1 == e0) {
            e1++;
        }
        final int fe0 = e0;
        final int fe1 = e1;
        java.util.function.DoubleUnaryOperator yOf = v -> y0 + h - (Math.log(v) / Math.log(2) - fe0) / (fe1 - fe0) * h;
        int step = (e1 - e0) > 12 ? 2 : 1;
        for (int e = e0; e <= e1; e += step) {
            double v = Math.pow(2, e);
            double y = yOf.applyAsDouble(v);
            boolean one = ratioAxis && e == 0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"/>\n",
                    x0, y, x0 + w, y, one ? "#333" : "#ddd", one ? "1.5" : "1"));
            s.append(text(x0 - 6, (int) Math.round(y + 4), tick.apply(v), 11, "end", one ? "bold" : "normal"));
        }
        for (int g = 0; g < groups.size(); g++) {
            int gx = x0 + g * groupW + 9;
            double[][] vals = values.get(g);
            for (int i = 0; i < pools.size(); i++) {
                double[] v = vals[i];
                if (v == null || v[0] <= 0) {
                    continue;
                }
                double x = gx + i * barW;
                double yv = yOf.applyAsDouble(v[0]);
                double yb = Double.isNaN(baseline) ? y0 + h : yOf.applyAsDouble(baseline);
                double yTop = Math.min(yv, yb);
                double bh = Math.max(Math.abs(yb - yv), 1);
                String title = pools.get(i) + " " + groups.get(g) + ": " + fmt3(v[0]) + (v[1] > 0 && !Double.isNaN(v[1]) ? " ± " + fmt3(v[1]) : "");
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"%s><title>%s</title></rect>\n",
                        x, yTop, barW - 1, bh, COLOR.get(pools.get(i)), pools.get(i).equals("sluice") ? " stroke=\"#000\" stroke-width=\"0.8\"" : "", esc(title)));
                if (v[1] > 0 && !Double.isNaN(v[1])) {
                    double yl = yOf.applyAsDouble(Math.max(v[0] - v[1], Math.pow(2, e0)));
                    double yh = yOf.applyAsDouble(v[0] + v[1]);
                    double cx = x + (barW - 1) / 2.0;
                    s.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\" stroke=\"#000\" stroke-width=\"1\"/>\n",
                            cx, yl, yh, cx - 2.5, yl, cx + 2.5, cx - 2.5, yh, cx + 2.5));
                }
            }
            s.append(text(gx + pools.size() * barW / 2, y0 + h + 18, groups.get(g), 12, "middle", "normal"));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", x0, y0, w, h));
    }

    static String text(int x, int y, String t, int size, String anchor, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" text-anchor=\"%s\" font-weight=\"%s\">%s</text>\n",
                x, y, size, anchor, weight, esc(t));
    }

    static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String fmtTick(double v) {
        if (v >= 1 && v == Math.rint(v)) {
            return String.valueOf((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    // ------------------------------------------------------------------ input

    static Result toResult(Map<String, Object> r) {
        String benchmark = (String) r.get("benchmark");
        String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
        String pool = (String) map(r.get("params")).get("pool");
        Map<String, Object> pm = map(r.get("primaryMetric"));
        Map<String, Double> percentiles = new LinkedHashMap<>();
        Object ps = pm.get("scorePercentiles");
        if (ps != null) {
            for (Map.Entry<String, Object> e : map(ps).entrySet()) {
                percentiles.put(e.getKey(), num(e.getValue()));
            }
        }
        double alloc = Double.NaN;
        double allocError = Double.NaN;
        Object sec = r.get("secondaryMetrics");
        if (sec != null && map(sec).get("gc.alloc.rate.norm") != null) {
            Map<String, Object> a = map(map(sec).get("gc.alloc.rate.norm"));
            alloc = num(a.get("score"));
            allocError = num(a.get("scoreError"));
        }
        return new Result(method, (String) r.get("mode"), (int) num(r.get("threads")), pool, num(pm.get("score")),
                num(pm.get("scoreError")), (String) pm.get("scoreUnit"), percentiles, alloc, allocError);
    }

    static Map<String, Fairness> readFairness(Path csv) throws IOException {
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        Map<String, List<Double>> cpuRatios = new LinkedHashMap<>();
        if (Files.exists(csv)) {
            for (String line : Files.readAllLines(csv)) {
                String[] f = line.split(",", -1);
                if (f.length >= 6) {
                    String key = f[0] + "/" + f[1];
                    ratios.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(f[5]));
                    if (f.length >= 7 && !f[6].isBlank()) {
                        cpuRatios.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(f[6]));
                    }
                }
            }
        }
        Map<String, Fairness> out = new LinkedHashMap<>();
        ratios.forEach((k, v) -> {
            List<Double> cpu = cpuRatios.getOrDefault(k, List.of());
            out.put(k, new Fairness(mean(v), max(v), v.size(), mean(cpu), max(cpu)));
        });
        return out;
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(d -> d).average().orElse(Double.NaN);
    }

    static double max(List<Double> v) {
        return v.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                out.add(String.valueOf(x));
            }
        }
        return out;
    }

    static double num(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String str) {
            try {
                return Double.parseDouble(str); // JMH writes "NaN" as a string
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    static String fmtRatio(double v) {
        return fmt2(v) + "×";
    }

    static String fmt0(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String fmt1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt3(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.3f", v);
    }

    /** Just enough JSON for JMH's result files: objects, arrays, strings, numbers, literals. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object parse() {
            Object v = value();
            ws();
            if (i != s.length()) {
                throw error("trailing data");
            }
            return v;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"':
                    return string();
                default:
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw error("unexpected '" + c + "'");
                    }
                    return Double.parseDouble(s.substring(start, i));
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private IllegalStateException error(String what) {
            return new IllegalStateException("JSON: " + what + " at offset " + i);
        }
    }
}
