package dev.sluice.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives pools through the load profiles and writes the report: for each backend and profile, the
 * pool as ADAPTIVE and as FIXED 4, 8, 16 and 32, each against a fresh database.
 *
 * <pre>
 * java -jar sluice-sim/target/sluice-sim.jar [--quick | --full] [--profile all|steady,diurnal,spike,slowdown]
 *     [--backend all|sim|postgres] [--out DIR] [--docs DIR] [--seconds N] [--pg-seconds N] [--pg-url URL]
 *     [--pools adaptive,4,8,16,32] [--floor N] [--ceiling N] [--headroom X] [--interval MS] [--command TEXT]
 * </pre>
 *
 * {@code --out} (default {@code target/sizing-results}) receives report.md, the charts, each run's
 * time series as CSV and each adaptive run's full decision log. {@code --docs DIR} also writes the
 * charts there as {@code sizing-<profile>.svg} and replaces the generated part of
 * {@code DIR/sizing.md} (between the {@value #BEGIN} and {@value #END} markers).
 */
public final class SizingSimulation {
    static final String BEGIN = "<!-- BEGIN GENERATED: sizing simulation -->";
    static final String END = "<!-- END GENERATED: sizing simulation -->";
    private static final Logger ROOT_LOGGER = Logger.getLogger("");
    /**
     * A run whose 100 ms sampler ran later than this (p99) measured the machine more than the pool:
     * it is repeated, up to {@code --retries} times, after a pause.
     */
    static final double DISTURBED_LAG_MILLIS = 20;
    private static final long RETRY_PAUSE_MILLIS = 3_000;

    private SizingSimulation() {
    }

    /** The parsed command line. */
    record Options(boolean quick, List<String> profiles, List<String> backends, Path out, Path docs, Duration simLength,
            Duration pgLength, String pgUrl, boolean adaptive, int[] sizes, int floor, int ceiling, double headroom, Duration interval, String command,
            int[] sweep, int retries, Duration retryBudget) {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sizing simulation: " + e.getMessage());
            System.err.println("usage: [--quick|--full] [--profile all|steady,diurnal,spike,slowdown] [--backend all|sim|postgres]"
                    + " [--out DIR] [--docs DIR] [--seconds N] [--pg-seconds N] [--pg-url URL] [--pools adaptive,4,8,16,32] [--floor N]"
                    + " [--ceiling N] [--headroom X] [--interval MS] [--command TEXT] [--sweep MS,MS] [--retries N] [--retry-budget S]");
            System.exit(2);
            return;
        }
        // The pools log every sizing decision at INFO; the simulator keeps them in its own log files.
        ROOT_LOGGER.setLevel(Level.WARNING);
        System.exit(run(o, System.out));
    }

    static Options parse(String[] args) {
        boolean quick = false;
        List<String> profiles = LoadProfile.NAMES;
        List<String> backends = List.of("sim", "postgres");
        Path out = Path.of("target", "sizing-results");
        Path docs = null;
        Integer seconds = null;
        Integer pgSeconds = null;
        String pgUrl = Backend.Postgres.DEFAULT_URL;
        int[] sizes = {4, 8, 16, 32};
        boolean adaptive = true;
        int[] sweep = {};
        int retries = 2;
        Duration retryBudget = null;
        int floor = 2;
        int ceiling = 32;
        double headroom = 1.5;
        Duration interval = Duration.ofSeconds(1);
        String command = "java -jar sluice-sim/target/sluice-sim.jar " + String.join(" ", args);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--full" -> quick = false;
                case "--profile" -> profiles = list(value(args, ++i, a), LoadProfile.NAMES);
                case "--backend" -> backends = list(value(args, ++i, a), List.of("sim", "postgres"));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--docs" -> docs = Path.of(value(args, ++i, a));
                case "--seconds" -> seconds = positive(value(args, ++i, a), a);
                case "--pg-seconds" -> pgSeconds = positive(value(args, ++i, a), a);
                case "--pg-url" -> pgUrl = value(args, ++i, a);
                case "--pools" -> {
                    String v = value(args, ++i, a);
                    adaptive = Arrays.stream(v.split(",")).anyMatch(x -> x.trim().equalsIgnoreCase("adaptive"));
                    sizes = Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.equalsIgnoreCase("adaptive"))
                            .mapToInt(x -> positive(x, a)).toArray();
                }
                case "--floor" -> floor = positive(value(args, ++i, a), a);
                case "--ceiling" -> ceiling = positive(value(args, ++i, a), a);
                case "--headroom" -> headroom = Double.parseDouble(value(args, ++i, a));
                case "--interval" -> interval = Duration.ofMillis(positive(value(args, ++i, a), a));
                case "--command" -> command = value(args, ++i, a);
                case "--retries" -> retries = Integer.parseInt(value(args, ++i, a));
                case "--retry-budget" -> retryBudget = Duration.ofSeconds(Integer.parseInt(value(args, ++i, a)));
                case "--sweep" -> sweep = Arrays.stream(value(args, ++i, a).split(",")).mapToInt(v -> positive(v.trim(), a)).toArray();
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        Duration sim = Duration.ofSeconds(seconds != null ? seconds : quick ? 10 : 30);
        Duration pg = Duration.ofSeconds(pgSeconds != null ? pgSeconds : quick ? 10 : 30);
        return new Options(quick, profiles, backends, out, docs, sim, pg, pgUrl, adaptive, sizes, floor, ceiling, headroom, interval, command, sweep, retries,
                retryBudget != null ? retryBudget : Duration.ofSeconds(quick ? 60 : 180));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String v, String option) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException(option + "=" + v + " must be at least 1");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + "=" + v + " must be a whole number", e);
        }
    }

    private static List<String> list(String v, List<String> all) {
        if (v.equalsIgnoreCase("all")) {
            return all;
        }
        List<String> picked = new ArrayList<>();
        for (String item : v.split(",")) {
            String name = item.trim().toLowerCase(Locale.ROOT);
            if (!all.contains(name)) {
                throw new IllegalArgumentException(name + " must be one of " + String.join(", ", all) + " or all");
            }
            picked.add(name);
        }
        return picked;
    }

    static int run(Options o, PrintStream console) throws IOException, SQLException, InterruptedException {
        Files.createDirectories(o.out());
        String loadBefore = loadAverage();
        ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);
        List<String> skipped = new ArrayList<>();
        AtomicInteger repeated = new AtomicInteger();
        AtomicLong budget = new AtomicLong(o.retryBudget().toMillis());
        Map<String, String> backendDescriptions = new LinkedHashMap<>();
        List<RunResult> results = new ArrayList<>();
        List<PoolSetup> setups = new ArrayList<>();
        if (o.adaptive()) {
            setups.add(PoolSetup.adaptive(o.floor(), o.ceiling(), o.headroom(), o.interval()));
        }
        for (int size : o.sizes()) {
            setups.add(PoolSetup.fixed(size));
        }
        // A throwaway run first: the JIT compiles the pool's and the simulator's hot paths here,
        // not in the first measured run.
        console.println("sizing simulation: warming up (6 s, not measured)");
        new Run(LoadProfile.named("steady", Duration.ofSeconds(6)), new Backend.Sim(), setups.get(0), 1).execute();
        for (String name : o.backends()) {
            Backend backend = name.equals("postgres") ? new Backend.Postgres(o.pgUrl(), "postgres", "") : Backend.named(name);
            String why = backend.unavailable();
            if (why != null) {
                console.println("sizing simulation: skipping " + name + ": " + why);
                skipped.add(name + ": " + why);
                continue;
            }
            backendDescriptions.put(name, backend.description());
            Duration length = name.equals("sim") ? o.simLength() : o.pgLength();
            for (String profileName : o.profiles()) {
                LoadProfile profile = LoadProfile.named(profileName, length);
                for (PoolSetup setup : setups) {
                    RunResult r = measure(profile, backend, setup, o, console, repeated, budget);
                    results.add(r);
                    String file = name + "-" + profileName + "-" + setup.label().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
                    Files.writeString(o.out().resolve(file + ".csv"), Report.traceCsv(r), StandardCharsets.UTF_8);
                    if (setup.isAdaptive()) {
                        Files.writeString(o.out().resolve(file + "-decisions.log"), Report.decisionLog(r), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        List<RunResult> sweepResults = new ArrayList<>();
        if (o.sweep().length > 0 && o.backends().contains("sim") && o.profiles().contains("spike")) {
            LoadProfile spike = LoadProfile.named("spike", o.simLength());
            for (int ms : o.sweep()) {
                PoolSetup setup = PoolSetup.adaptive(o.floor(), o.ceiling(), o.headroom(), Duration.ofMillis(ms));
                RunResult r = measure(spike, new Backend.Sim(), setup, o, console, repeated, budget);
                sweepResults.add(r);
                String file = "sweep-spike-" + ms + "ms";
                Files.writeString(o.out().resolve(file + ".csv"), Report.traceCsv(r), StandardCharsets.UTF_8);
                Files.writeString(o.out().resolve(file + "-decisions.log"), Report.decisionLog(r), StandardCharsets.UTF_8);
            }
        }
        if (results.isEmpty()) {
            console.println("sizing simulation: nothing ran");
            return 1;
        }
        Map<String, String> charts = charts(results, o, console);
        String machine = String.format(Locale.ROOT, "Machine: %d cores, JDK %s, %s; load average %s at the start, %s at the end%s."
                + " Pools: %s; FIXED n is maximumPoolSize = minimumIdle = n; every pool has connectionTimeout=%ds.",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("os.name"), loadBefore, loadAverage(),
                System.getenv("SIZING_COMMIT") == null ? "" : ", commit " + System.getenv("SIZING_COMMIT"),
                PoolSetup.adaptive(o.floor(), o.ceiling(), o.headroom(), o.interval()).knobs(), PoolSetup.CONNECTION_TIMEOUT.toSeconds());
        String mode = (o.quick() ? "quick" : "full") + ": stand-in runs of " + o.simLength().toSeconds() + " s, PostgreSQL runs of "
                + o.pgLength().toSeconds() + " s; " + repeated + " runs repeated because the machine disturbed them"
                + String.format(Locale.ROOT, " (sampler lag p99 over %.0f ms)", DISTURBED_LAG_MILLIS);
        Report.Context ctx = new Report.Context(o.command(), mode, started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                machine, skipped, backendDescriptions, charts);
        String report = Report.markdown(results, sweepResults, ctx);
        Files.writeString(o.out().resolve("report.md"), report, StandardCharsets.UTF_8);
        console.println("sizing simulation: wrote " + o.out().resolve("report.md"));
        if (o.docs() != null) {
            Path doc = o.docs().resolve("sizing.md");
            replaceGenerated(doc, report);
            console.println("sizing simulation: updated " + doc);
        }
        return 0;
    }

    /**
     * One run, repeated while the machine disturbed it, at most {@code retries} times and only while
     * the retry budget lasts; of the attempts, the least disturbed one counts.
     */
    private static RunResult measure(LoadProfile profile, Backend backend, PoolSetup setup, Options o, PrintStream console,
            AtomicInteger repeated, AtomicLong budgetMillis) throws SQLException, InterruptedException {
        RunResult best = null;
        for (int attempt = 0; ; attempt++) {
            RunResult r = new Run(profile, backend, setup, profile.name().hashCode()).execute();
            print(console, r);
            if (best == null || r.machineLagP99Millis() < best.machineLagP99Millis()) {
                best = r;
            }
            long cost = profile.length().toMillis() + RETRY_PAUSE_MILLIS;
            if (best.machineLagP99Millis() <= DISTURBED_LAG_MILLIS || attempt >= o.retries() || budgetMillis.get() < cost) {
                return best;
            }
            budgetMillis.addAndGet(-cost);
            repeated.incrementAndGet();
            console.printf(Locale.ROOT, "%-8s %-8s %-14s the machine was busy (sampler lag p99 %.0f ms > %.0f ms): running it again%n",
                    r.backend(), profile.name(), setup.label(), r.machineLagP99Millis(), DISTURBED_LAG_MILLIS);
            Thread.sleep(RETRY_PAUSE_MILLIS);
        }
    }

    private static void print(PrintStream console, RunResult r) {
        console.printf(Locale.ROOT, "%-8s %-8s %-14s p50 %8s ms  p99 %8s ms  timeouts %5d  mean size %5.1f  max %3d  conn-s %7.1f"
                + "  late %d  lag p99 %.1f ms  load %s%n", r.backend(), r.profile().name(), r.setup().label(), Report.ms(r.p50Millis()),
                Report.ms(r.p99Millis()), r.timeouts(), r.meanSize(), r.maxSize(), r.connectionSeconds(), r.lateArrivals(),
                r.machineLagP99Millis(), r.loadAverage());
    }

    /** One chart per profile, from the first backend that ran it (the stand-in when it ran). */
    private static Map<String, String> charts(List<RunResult> results, Options o, PrintStream console) throws IOException {
        Map<String, String> charts = new LinkedHashMap<>();
        Map<String, List<RunResult>> byProfile = new LinkedHashMap<>();
        String firstBackend = results.get(0).backend();
        for (RunResult r : results) {
            if (r.backend().equals(firstBackend)) {
                byProfile.computeIfAbsent(r.profile().name(), k -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<RunResult>> e : byProfile.entrySet()) {
            Optional<RunResult> adaptive = TargetCheck.adaptive(e.getValue());
            Optional<RunResult> best = TargetCheck.bestFixed(e.getValue());
            if (adaptive.isEmpty() || best.isEmpty()) {
                continue;
            }
            String file = "sizing-" + e.getKey() + ".svg";
            String svg = SvgChart.render(adaptive.get(), best.get(), e.getKey() + " (" + firstBackend + "): "
                    + adaptive.get().profile().description());
            Files.writeString(o.out().resolve(file), svg, StandardCharsets.UTF_8);
            if (o.docs() != null) {
                Files.createDirectories(o.docs());
                Files.writeString(o.docs().resolve(file), svg, StandardCharsets.UTF_8);
            }
            charts.put(firstBackend + "/" + e.getKey(), file);
        }
        console.println("sizing simulation: " + charts.size() + " charts");
        return charts;
    }

    /** Replaces what lies between the markers in {@code doc} with {@code generated}; the prose around it is kept. */
    static void replaceGenerated(Path doc, String generated) throws IOException {
        String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        String block = BEGIN + "\n" + generated.stripTrailing() + "\n" + END;
        String updated;
        if (b >= 0 && e > b) {
            updated = text.substring(0, b) + block + text.substring(e + END.length());
        } else {
            updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "\n" + block + "\n";
        }
        Path parent = doc.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(doc, updated, StandardCharsets.UTF_8);
    }

    /** The 1-minute load average, or "?". */
    static String loadAverage1() {
        String all = loadAverage();
        return all.equals("unknown") ? "?" : all.split(" ")[0];
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
