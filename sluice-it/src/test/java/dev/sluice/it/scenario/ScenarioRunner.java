package dev.sluice.it.scenario;

import dev.sluice.it.TestDatabase;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs the fault scenarios S1–S8 with the full durations against each database, for
 * Sluice and for HikariCP, and writes the figures as markdown: the tables of docs/reliability.md.
 * Outside the default test run (it takes 10–15 minutes); run it with {@code scenarios/run.sh}.
 *
 * <pre>
 * ScenarioRunner [--durations full|short] [--db h2,postgresql,mariadb] [--short-db mariadb]
 *                [--pools sluice,hikari] [--only S1,S4,...] [--out results.md] [--raw raw.txt]
 *                [--doc docs/reliability.md] [--command "scenarios/run.sh"]
 * </pre>
 *
 * {@code --short-db} runs the listed databases with the short (CI) durations, to bound the total
 * time; {@code --doc} replaces the part of the file between {@code <!-- scenarios:begin -->} and
 * {@code <!-- scenarios:end -->} with the new tables. Unreachable databases are skipped and said so.
 */
public final class ScenarioRunner {

    private static final String BEGIN = "<!-- scenarios:begin -->";
    private static final String END = "<!-- scenarios:end -->";

    /** One row of a table: the scenario, what is measured, the target, and the figure per pool. */
    private record Row(String scenario, String figure, String target, Map<PoolKind, String> values) {
    }

    private final Map<String, String> options;
    private final PrintStream log = System.out;
    private final StringBuilder raw = new StringBuilder();

    private ScenarioRunner(Map<String, String> options) {
        this.options = options;
    }

    /** Held so the setting sticks: the pools' WARNING logs (breaker open, connect failures) would bury the figures. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("dev.sluice");

    public static void main(String[] args) throws Exception {
        QUIET.setLevel(java.util.logging.Level.SEVERE);
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: ScenarioRunner [--durations full|short] [--db h2,postgresql,mariadb] [--short-db list]"
                        + " [--pools sluice,hikari] [--only S1,S2,...] [--out file.md] [--raw file.txt] [--doc docs/reliability.md]"
                        + " [--command text]");
                System.exit(2);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        new ScenarioRunner(o).run();
        System.exit(0); // hung driver threads (released, but daemon) must not keep the JVM
    }

    private List<String> list(String key, String dflt) {
        return Arrays.stream(options.getOrDefault(key, dflt).split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).toList();
    }

    private boolean selected(String scenario) {
        List<String> only = list("only", "");
        return only.isEmpty() || only.contains(scenario.toLowerCase(Locale.ROOT));
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        Durations full = "short".equals(options.get("durations")) ? Durations.SHORT : Durations.FULL;
        List<String> dbs = list("db", "h2,postgresql,mariadb");
        List<String> shortDbs = list("short-db", "");
        List<PoolKind> pools = list("pools", "sluice,hikari").stream().map(PoolKind::parse).toList();

        StringBuilder md = new StringBuilder();
        List<String> skipped = new ArrayList<>();
        Map<String, String> versions = new LinkedHashMap<>();
        Map<String, List<Row>> tables = new LinkedHashMap<>();
        Map<String, Durations> used = new LinkedHashMap<>();

        warmUp(pools);
        for (TestDatabase db : TestDatabase.all().toList()) {
            if (!dbs.contains(db.kind().name().toLowerCase(Locale.ROOT)) && !dbs.contains(db.toString().toLowerCase(Locale.ROOT))) {
                continue;
            }
            String problem = probe(db, versions);
            if (problem != null) {
                skipped.add(db + ": " + problem);
                log.println("[runner] " + db + " skipped: " + problem);
                continue;
            }
            Durations d = shortDbs.contains(db.kind().name().toLowerCase(Locale.ROOT)) ? Durations.SHORT : full;
            used.put(db.toString(), d);
            tables.put(db.toString(), runDatabase(db, pools, d));
        }

        md.append("_Generated by `").append(options.getOrDefault("command", "scenarios/run.sh")).append("` on ")
                .append(started.truncatedTo(ChronoUnit.SECONDS)).append(String.format(Locale.ROOT, " (%.1f min)",
                        Duration.between(started, Instant.now()).toSeconds() / 60.0))
                .append("; do not edit this block by hand._\n\n");
        md.append(machine(versions, pools, used)).append('\n');
        for (String s : skipped) {
            md.append("- **Skipped** ").append(s).append('\n');
        }
        if (!skipped.isEmpty()) {
            md.append('\n');
        }
        for (Map.Entry<String, List<Row>> t : tables.entrySet()) {
            Durations d = used.get(t.getKey());
            md.append("#### ").append(t.getKey()).append(" (").append(d.name()).append(" durations: outage ")
                    .append(d.outage().toSeconds()).append(" s, blackhole ").append(d.blackhole().toSeconds())
                    .append(" s, maxLifetime ").append(d.maxLifetime().toSeconds()).append(" s)\n\n");
            md.append(table(t.getValue(), pools)).append('\n');
        }

        String out = md.toString();
        log.println();
        log.println(out);
        if (options.containsKey("out")) {
            write(Path.of(options.get("out")), out);
        }
        if (options.containsKey("raw")) {
            write(Path.of(options.get("raw")), raw.toString());
        }
        if (options.containsKey("doc")) {
            Path doc = Path.of(options.get("doc"));
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            int b = text.indexOf(BEGIN);
            int e = text.indexOf(END);
            if (b < 0 || e < b) {
                throw new IllegalStateException(doc + " has no " + BEGIN + " ... " + END + " block to replace");
            }
            write(doc, text.substring(0, b + BEGIN.length()) + "\n" + out + text.substring(e));
            log.println("[runner] updated " + doc);
        }
    }

    private static void write(Path p, String s) throws IOException {
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        Files.writeString(p, s, StandardCharsets.UTF_8);
    }

    /** A few seconds of load on each pool kind before anything is measured, so the first scenario does not measure the JIT. */
    private void warmUp(List<PoolKind> pools) throws Exception {
        TestDatabase h2 = TestDatabase.all().filter(db -> db.kind() == TestDatabase.Kind.H2).findFirst().orElseThrow();
        try (Target t = Target.start(h2)) {
            for (PoolKind kind : pools) {
                try (ScenarioPool p = ScenarioPool.open(kind, t.settings("warm-up-" + kind.name().toLowerCase(Locale.ROOT)))) {
                    Load l = new Load("warm-up", p.dataSource(), 8, null, Duration.ZERO, Duration.ofMillis(1)).start();
                    Thread.sleep(3000);
                    l.stop(Duration.ofSeconds(5));
                }
            }
        }
    }

    /** Null if the database answers (and its version is noted); else why not. */
    private static String probe(TestDatabase db, Map<String, String> versions) {
        try (Connection c = db.direct(); Statement s = c.createStatement()) {
            String q = db.kind() == TestDatabase.Kind.H2 ? "select H2VERSION()" : "select version()";
            try (ResultSet r = s.executeQuery(q)) {
                r.next();
                String v = r.getString(1).split(" on ")[0]; // PostgreSQL: drop "on x86_64-pc-linux-gnu, compiled by ..."
                versions.put(db.toString(), v.length() > 80 ? v.substring(0, 80) : v);
            }
            versions.put(db + " driver", c.getMetaData().getDriverName() + " " + c.getMetaData().getDriverVersion());
            return null;
        } catch (SQLException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    // ------------------------------------------------------------------ one database

    private List<Row> runDatabase(TestDatabase db, List<PoolKind> pools, Durations d) throws Exception {
        Map<PoolKind, Map<String, Object>> results = new LinkedHashMap<>();
        try (Target t = Target.start(db)) {
            for (PoolKind kind : pools) {
                Map<String, Object> r = new LinkedHashMap<>();
                results.put(kind, r);
                Scenarios s = new Scenarios(kind, t, d);
                measure(db, kind, r, "S1", s::s1DownAtStart);
                measure(db, kind, r, "S1b", s::s1bBlackholeAtStart);
                measure(db, kind, r, "S2", s::s2s3OutageAndRecovery);
                measure(db, kind, r, "S4", () -> s.s4Blackhole(false));
                measure(db, kind, r, "S4s", () -> s.s4Blackhole(true));
                measure(db, kind, r, "S5", s::s5KilledWhileIdle);
                measure(db, kind, r, "S5h", s::s5hKilledRightAfterUse);
                measure(db, kind, r, "S6", s::s6ServerIdleTimeout);
                measure(db, kind, r, "S7", s::s7LifetimeStorm);
                measure(db, kind, r, "S8", s::s8SlowConnectBurst);
            }
        }
        return rows(results, d);
    }

    private void measure(TestDatabase db, PoolKind kind, Map<String, Object> into, String scenario, Callable<Object> body) {
        String selector = scenario.equals("S4s") ? "S4" : scenario;
        if (!selected(selector) && !(scenario.equals("S2") && selected("S3"))) {
            return;
        }
        long start = System.nanoTime();
        log.println("[runner] " + db + " " + kind.label() + " " + scenario + " ...");
        Object result;
        try {
            result = body.call();
        } catch (Throwable e) {
            result = new Failed(Scenarios.describe(e) + ": " + e.getMessage());
        }
        String line = db + " | " + kind.label() + " | " + scenario + " | " + (System.nanoTime() - start) / 1_000_000 + " ms | " + result;
        log.println("[runner] " + line);
        raw.append(line).append('\n');
        into.put(scenario, result);
    }

    /** A scenario that could not run to the end; its text stands in every cell of the scenario. */
    private record Failed(String why) {
    }

    // ------------------------------------------------------------------ rows

    private static String ms(long v) {
        return v + " ms";
    }

    private List<Row> rows(Map<PoolKind, Map<String, Object>> results, Durations d) {
        List<Row> rows = new ArrayList<>();
        row(rows, results, "S1", "S1", "constructor, database refusing connections (connectionTimeout 2 s, one attempt)",
                "fails within 2 s, classified", (Scenarios.ConstructorResult r) -> constructor(r));
        row(rows, results, "S1b", "S1b", "constructor, TCP accepted but never answered, driver default timeouts",
                "fails within 2 s [HikariCP: hangs]", (Scenarios.ConstructorResult r) -> constructor(r));
        row(rows, results, "S2", "S2", "failed getConnection while the breaker is open (8 threads, pool of 4, "
                + d.outage().toSeconds() + " s outage)", "p99 ≤ 10 ms [HikariCP: 5.0 s]",
                (Scenarios.OutageResult r) -> r.breakerOpens() == 0 ? "no breaker" : r.failedAcquireBreakerOpen().text());
        row(rows, results, "S2", "S2", "all failed getConnection calls started during the outage (connectionTimeout 5 s)", "",
                (Scenarios.OutageResult r) -> r.failedAcquire().text());
        row(rows, results, "S2", "S2", "requests completed / failed during the outage", "",
                (Scenarios.OutageResult r) -> r.completedDuringOutage() + " / " + r.failedDuringOutage());
        row(rows, results, "S2", "S3", "database back → first successful request", "≤ 150 ms [HikariCP: 141–197 ms]",
                (Scenarios.OutageResult r) -> r.firstSuccessMillis() == null ? "none within " + d.recovery().toSeconds() + " s"
                        : ms(r.firstSuccessMillis()));
        row(rows, results, "S2", "S3", "database back → 90% of the earlier throughput (100 ms windows; first second after the return, "
                + "% of the earlier rate per 100 ms)", "≤ 500 ms [HikariCP: 380–620 ms]",
                (Scenarios.OutageResult r) -> (r.ninetyPercentMillis() == null ? "not within " + d.recovery().toSeconds() + " s"
                        : ms(r.ninetyPercentMillis())) + " (" + String.format(Locale.ROOT, "%.0f", r.baselinePerSecond()) + "/s before; "
                        + r.recoverySeries() + ")");
        row(rows, results, "S4", "S4", "blackhole " + d.blackhole().toSeconds() + " s, driver defaults: getConnection past the 1 s deadline",
                "none", (Scenarios.BlackholeResult r) -> r.acquireLate() + " of " + r.requests() + " (slowest " + ms(r.worstAcquireMillis()) + ")");
        row(rows, results, "S4", "S4", "… requests (borrow + query) under a 1 s scoped Deadline that ended past it",
                "none [HikariCP: hung for the whole fault]", (Scenarios.BlackholeResult r) -> blackholeRequests(r));
        row(rows, results, "S4s", "S4", "blackhole, user-set socketTimeout 30 s: getConnection past the 1 s deadline", "none",
                (Scenarios.BlackholeResult r) -> r == null ? "n/a (no socket timeout in the driver)"
                        : r.acquireLate() + " of " + r.requests() + " (slowest " + ms(r.worstAcquireMillis()) + ")");
        row(rows, results, "S4s", "S4", "… requests under a 1 s scoped Deadline that ended past it", "none",
                (Scenarios.BlackholeResult r) -> r == null ? "n/a" : blackholeRequests(r));
        row(rows, results, "S5", "S5", "errors in 50 borrow-and-query calls after every idle backend was killed", "0 [HikariCP: 0]",
                (Scenarios.ErrorsResult r) -> errors(r));
        row(rows, results, "S5h", "S5h", "… backends killed right after use (inside the 500 ms validation bypass)", "≤ 1 [HikariCP: 4 of 4]",
                (Scenarios.ErrorsResult r) -> errors(r) + (r.lastUseToCallsMs() >= 0 ? " (calls began " + r.lastUseToCallsMs() + " ms after last use)" : ""));
        row(rows, results, "S6", "S6", "errors in 50 calls, server idle timeout 1 s, pool idle 2.5 s", "0 [HikariCP: 0]",
                (Scenarios.ErrorsResult r) -> errors(r));
        row(rows, results, "S7", "S7", "most of 8 connections retired within one second (maxLifetime " + d.maxLifetime().toSeconds()
                + " s, full load)", "≤ 2 [HikariCP: 3–4]", (Scenarios.LifetimeResult r) -> r.maxRetiredWithinOneSecond()
                + " (" + r.originalsRetired() + " retired between " + String.format(Locale.ROOT, "%.1f and %.1f s", r.firstRetirementSec(),
                        r.lastRetirementSec()) + (r.errors() > 0 ? "; " + r.errors() + " request errors" : "") + ")");
        row(rows, results, "S7", "S7", "fewest physical connections open while replacing (minimumIdle 8)", "≥ 8",
                (Scenarios.LifetimeResult r) -> Integer.toString(r.minOpen()));
        row(rows, results, "S8", "S8", "16 callers, 2 s connects, connectionTimeout 3 s: callers past the deadline", "none",
                (Scenarios.SlowConnectResult r) -> r.late() + " (slowest " + ms(r.worstMillis()) + ", " + r.served() + "/" + r.callers() + " served)");
        row(rows, results, "S8", "S8", "most connects at once", "≤ 2 (Sluice's maxConcurrentCreates)",
                (Scenarios.SlowConnectResult r) -> Integer.toString(r.maxConnectsInFlight()));
        return rows;
    }

    private static String constructor(Scenarios.ConstructorResult r) {
        if (r.hung()) {
            return "hung > " + r.millis() / 1000 + " s (released by resetting its sockets)";
        }
        if (r.started()) {
            return "started (" + ms(r.millis()) + ")";
        }
        return ms(r.millis()) + ", " + r.error();
    }

    private static String blackholeRequests(Scenarios.BlackholeResult r) {
        return r.requestsLate() + " (slowest " + ms(r.worstRequestMillis()) + ")" + (r.stuck() ? "; threads still stuck 10 s after the fault" : "");
    }

    private static String errors(Scenarios.ErrorsResult r) {
        if (r.skipped() != null) {
            return "n/a (" + r.skipped() + ")";
        }
        return r.errors() + (r.errors() > 0 && r.firstError() != null ? " (" + r.firstError().split(":")[0] + ")" : "");
    }

    @SuppressWarnings("unchecked")
    private static <T> void row(List<Row> rows, Map<PoolKind, Map<String, Object>> results, String key, String scenario, String figure,
            String target, Function<T, String> format) {
        Map<PoolKind, String> values = new LinkedHashMap<>();
        boolean any = false;
        for (Map.Entry<PoolKind, Map<String, Object>> e : results.entrySet()) {
            if (!e.getValue().containsKey(key)) {
                continue;
            }
            any = true;
            Object r = e.getValue().get(key);
            String v;
            if (r instanceof Failed f) {
                v = "failed to run: " + f.why();
            } else {
                try {
                    v = format.apply((T) r);
                } catch (RuntimeException ex) {
                    v = "?" + ex;
                }
            }
            values.put(e.getKey(), v);
        }
        if (any) {
            rows.add(new Row(scenario, figure, target, values));
        }
    }

    private static String table(List<Row> rows, List<PoolKind> pools) {
        StringBuilder sb = new StringBuilder("| | measured | target [HikariCP in the issue] |");
        for (PoolKind k : pools) {
            sb.append(' ').append(k.label()).append(" |");
        }
        sb.append("\n|---|---|---|");
        sb.append("---|".repeat(pools.size())).append('\n');
        for (Row r : rows) {
            sb.append("| ").append(r.scenario()).append(" | ").append(cell(r.figure())).append(" | ").append(cell(r.target())).append(" |");
            for (PoolKind k : pools) {
                sb.append(' ').append(cell(r.values().getOrDefault(k, "–"))).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private static String machine(Map<String, String> versions, List<PoolKind> pools, Map<String, Durations> used) {
        StringBuilder sb = new StringBuilder();
        sb.append("- Machine: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(memory()).append("; ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append("; JDK ").append(System.getProperty("java.runtime.version")).append('\n');
        sb.append("- Pools: ").append(pools.stream().map(PoolKind::label).collect(Collectors.joining(", "))).append('\n');
        for (Map.Entry<String, String> v : versions.entrySet()) {
            sb.append("- ").append(v.getKey()).append(": ").append(v.getValue()).append('\n');
        }
        return sb.toString();
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return Math.round(kb / 1024.0 / 1024.0) + " GiB RAM";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB heap";
    }
}
