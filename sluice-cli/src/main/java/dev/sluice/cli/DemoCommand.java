package dev.sluice.cli;

import dev.sluice.InvalidConfigException;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.TenantDataSource;
import dev.sluice.console.SluiceConsole;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sluice demo}: runs a realistic workload through a Sluice pool and shows the pool at work,
 * live, then a summary. With no options it needs nothing but a JDK: the database is an in-memory
 * H2 started in-process. With {@code --url} it runs against any database the bundled drivers
 * reach, in tables of its own ({@link DemoSchema}).
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceCli.Version.class,
        sortOptions = false,
        header = "Runs a realistic workload through a Sluice pool and shows the pool at work, live.",
        description = {
            "Runs a mixed workload (short reads, transfers holding a connection, a burst in the middle)"
                    + " through a Sluice pool and shows the pool live: connections in use and idle, waiters,"
                    + " acquire latency, connections created and closed, throughput and errors.",
            "",
            "Without --url the database is an embedded in-memory H2. With --url the demo creates its own"
                    + " tables (sluice_demo_accounts, sluice_demo_orders) if they are missing and touches nothing else.",
            "",
            "With --tenants N it runs a tenant workload on the embedded database instead: N schemas, one"
                    + " connection budget (--pool-size) for all of them, and the busiest tenants shown live.",
            "",
            SluiceCli.BUNDLED_DRIVERS,
            ""})
final class DemoCommand implements Callable<Integer> {
    private static final int MAX_THREADS = 500;
    private static final int MAX_BURST = 10;
    private static final int MAX_TENANTS = 10_000;
    /** How often the tenant budget's open count is sampled for its peak: far finer than the view's second. */
    private static final Duration PEAK_SAMPLING = Duration.ofMillis(5);
    private static final Duration MAX_DURATION = Duration.ofHours(24);
    /** A small floor of ready connections: the rest are opened on demand, so "created" moves when the load does. */
    private static final int MINIMUM_IDLE = 2;
    /** Short enough that connections opened for the burst are seen closing (IDLE_TIMEOUT) in a longer run. */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(5);
    /**
     * Far shorter than a production lifetime (30 min), so a default run shows the pool retiring
     * connections and opening replacements (closed MAX_LIFETIME) without callers noticing.
     */
    private static final Duration MAX_LIFETIME = Duration.ofSeconds(15);
    /** Must stay below MAX_LIFETIME; keepalive only matters for connections that sit idle. */
    private static final Duration KEEPALIVE = Duration.ofSeconds(10);
    private static final Duration DEFAULT_VALIDATION_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REFRESH = Duration.ofSeconds(1);
    /** With --console: long enough that the demo's own borrows never trip it, short enough to show a real leak. */
    private static final Duration CONSOLE_LEAK_THRESHOLD = Duration.ofSeconds(10);

    /** Pool knobs the demo sets from an option, so a rejected value is reported under the option's name. */
    private static final Map<String, String> OPTION_OF_KNOB = Map.of(
            "jdbcUrl", "--url",
            "maximumPoolSize", "--pool-size",
            "connectionTimeout", "--connection-timeout",
            "validationTimeout", "--connection-timeout");

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private SluiceCli cli;

    @Option(names = "--url", paramLabel = "JDBC-URL",
            description = "Database to run against, e.g. jdbc:postgresql://localhost/app. Default: embedded in-memory H2.")
    private String url;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Database user (with --url).")
    private String user;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", arity = "0..1", fallbackValue = PasswordOption.ASK,
            description = "Database password (with --url). Give the option without a value to be asked for it"
                    + " on the terminal.")
    private String password;

    @Option(names = "--driver-jar", paramLabel = "PATH",
            description = "A jar with a JDBC driver for a database the bundled drivers do not reach (and the jars it"
                    + " needs); repeat the option for each jar. A driver given this way is asked before the bundled ones.")
    private List<Path> driverJars = List.of();

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", defaultValue = "20s",
            converter = DurationText.Converter.class,
            description = "How long to run: 500ms, 20s, 2m... Default: ${DEFAULT-VALUE}.")
    private Duration duration;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", defaultValue = "8",
            description = "Concurrent callers in the steady phases. Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Option(names = "--pool-size", paramLabel = "N", defaultValue = "6",
            description = "The pool's maximumPoolSize. Default: ${DEFAULT-VALUE}: room for the steady load, not for the burst.")
    private int poolSize;

    @Option(names = "--burst", paramLabel = "FACTOR", defaultValue = "4",
            description = "Callers during the burst (from 40%% to 65%% of the run), as a multiple of --threads;"
                    + " 1 for no burst. Default: ${DEFAULT-VALUE}.")
    private int burst;

    @Option(names = "--connection-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationText.Converter.class,
            description = "Longest wait for a connection, and for a connect. Default: ${DEFAULT-VALUE}.")
    private Duration connectionTimeout;

    @Option(names = "--tenants", paramLabel = "N",
            description = "Run a tenant workload instead: N tenants (1-10000), a schema each in the embedded database,"
                    + " served by a TenantDataSource whose budget is --pool-size; tenants drawn Zipf-distributed"
                    + " (s=1.1), every borrow checks it reached its own tenant's schema.")
    private Integer tenants;

    @Option(names = "--plain", description = "One plain line per second, even on a terminal.")
    private boolean plain;

    @Option(names = {"-q", "--quiet"}, description = "No live view; only the summary.")
    private boolean quiet;

    @Option(names = "--console", description = "Also serve the live web console on 127.0.0.1 and print its URL and token"
            + " (once); leak detection is switched on so it can show the borrowers' stacks.")
    private boolean console;

    @Option(names = "--console-port", paramLabel = "PORT", defaultValue = "8079",
            description = "The console's port with --console, 0 for any free one (default: ${DEFAULT-VALUE}).")
    private int consolePort;

    @Override
    public Integer call() throws CommandFailure, InterruptedException {
        validateOptions();
        if (url == null) {
            EmbeddedDatabase h2;
            try {
                h2 = EmbeddedDatabase.start();
            } catch (SQLException e) {
                throw CommandFailure.of("could not start the embedded H2 database", e, EmbeddedDatabase.target());
            }
            try (h2) {
                return tenants == null ? run(EmbeddedDatabase.target()) : runTenants(EmbeddedDatabase.target());
            }
        }
        registerDriverJars();
        return run(ConnectionTarget.external(url, user, PasswordOption.resolve(password, cli, spec, user, url)));
    }

    private void registerDriverJars() {
        try {
            DriverJars.register(driverJars);
        } catch (IllegalArgumentException e) {
            throw invalid("--driver-jar", e.getMessage());
        }
    }

    private void validateOptions() {
        requireBetween("--threads", threads, 1, MAX_THREADS);
        requireBetween("--burst", burst, 1, MAX_BURST);
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw invalid("--duration", DurationText.format(duration) + " must be more than 0 and at most 24h");
        }
        if (tenants != null) {
            requireBetween("--tenants", tenants, 1, MAX_TENANTS);
            if (url != null) {
                throw invalid("--tenants", "runs on the embedded database only (it creates a schema per tenant); drop --url");
            }
        }
        if (url == null && (user != null || password != null || !driverJars.isEmpty())) {
            throw new ParameterException(spec.commandLine(),
                    "--user, --password and --driver-jar apply only with --url (the embedded database needs none)");
        }
    }

    private void requireBetween(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw invalid(option, value + " must be between " + min + " and " + max);
        }
    }

    private ParameterException invalid(String option, String problem) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + problem);
    }

    private int run(ConnectionTarget target) throws CommandFailure, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LoadShape shape = new LoadShape(threads, burst, duration);
        SluiceConfig config = poolConfig(target, "sluice-demo");
        SluiceDataSource pool;
        try {
            pool = new SluiceDataSource(config);
        } catch (SQLException e) {
            throw CommandFailure.of(null, e, target);
        }
        try (pool) {
            // Only now: a failure to start is one line on stderr, not a header with nothing under it.
            if (!quiet) {
                out.println(header(target, shape));
                out.flush();
            }
            SluiceConsole web = console ? startConsole(b -> b.register(pool), out) : null;
            try {
                return runWorkload(target, shape, pool, out);
            } finally {
                if (web != null) {
                    web.close();
                }
            }
        }
    }

    /** The console over the demo's pool; its token is printed here, once, and nowhere else. */
    private SluiceConsole startConsole(UnaryOperator<SluiceConsole.Builder> registration, PrintWriter out) {
        SluiceConsole web;
        try {
            web = registration.apply(SluiceConsole.builder().port(consolePort)).start();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw invalid("--console-port", e.getMessage());
        }
        out.println("console: " + web.url() + "  token: " + web.token() + "  (log in with it; shown only here)");
        out.flush();
        return web;
    }

    private int runWorkload(ConnectionTarget target, LoadShape shape, SluiceDataSource pool, PrintWriter out)
            throws CommandFailure, InterruptedException {
        DemoSchema schema;
        try {
            schema = DemoSchema.prepare(pool);
        } catch (SQLException e) {
            throw CommandFailure.of("could not prepare the demo tables", e, target);
        }
        WorkloadCounters counters = new WorkloadCounters();
        DemoWorkload workload = new DemoWorkload(shape, counters, new ShopRequest(pool, schema, counters));
        LiveView view = new LiveView(out, viewStyle(), shape);
        return drive(workload, counters, pool::close, new Reporter() {
            @Override
            public void frame(Duration elapsed) {
                view.update(elapsed, pool.stats(), counters.snapshot());
            }

            @Override
            public long summarize(Duration ran, boolean interrupted) {
                WorkloadCounters.Snapshot done = counters.snapshot();
                new DemoSummary(target, shape).print(out, ran, interrupted, pool.stats(), done);
                return done.operations();
            }
        });
    }

    /**
     * {@code --tenants N}: a schema per tenant in the embedded database, one TenantDataSource whose
     * budget is --pool-size, and workers borrowing for Zipf-drawn tenants, each borrow checked.
     */
    private int runTenants(ConnectionTarget target) throws CommandFailure, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        LoadShape shape = new LoadShape(threads, burst, duration);
        List<String> ids;
        try (Connection c = DriverManager.getConnection(target.jdbcUrl())) {
            ids = TenantSchemas.create(c, tenants);
        } catch (SQLException e) {
            throw CommandFailure.of("could not create the tenant schemas", e, target);
        }
        TenantDataSource budget;
        try {
            budget = TenantDataSource.builder()
                    .template(poolConfig(target, "sluice-demo-tenants"))
                    .globalMaximumPoolSize(poolSize)
                    .tenantMaximumPoolSize(TenantDemoSummary.tenantLimit(poolSize))
                    .build();
        } catch (SQLException e) {
            throw CommandFailure.of(null, e, target);
        }
        try (budget; PeakGauge peakOpen = new PeakGauge("sluice-demo-budget", () -> budget.stats().open(), PEAK_SAMPLING)) {
            if (!quiet) {
                out.println(tenantHeader(target, shape));
                out.flush();
            }
            SluiceConsole web = console ? startConsole(b -> b.registerTenants("sluice-demo-tenants", budget), out) : null;
            try {
                WorkloadCounters counters = new WorkloadCounters();
                TenantRequest request = new TenantRequest(budget, ids);
                TenantLiveView view = new TenantLiveView(out, viewStyle(), shape);
                DemoWorkload workload = new DemoWorkload(shape, counters, request);
                return drive(workload, counters, budget::close, new Reporter() {
                    @Override
                    public void frame(Duration elapsed) {
                        view.update(elapsed, budget.stats(), progress());
                    }

                    @Override
                    public long summarize(Duration ran, boolean interrupted) {
                        peakOpen.stop();
                        new TenantDemoSummary(target, shape, ids.size()).print(out, ran, interrupted, budget.stats(),
                                peakOpen.peak(), progress());
                        return request.checked();
                    }

                    private TenantLiveView.Progress progress() {
                        return new TenantLiveView.Progress(request.checked(), request.mixUps(), peakOpen.peak(),
                                counters.snapshot());
                    }
                });
            } finally {
                if (web != null) {
                    web.close();
                }
            }
        }
    }

    /** What differs between the shop's run and the tenants' run: the live frame and the summary. */
    private interface Reporter {
        void frame(Duration elapsed);

        /** Prints the summary once the workers are done and the pool is closed; returns the requests that succeeded. */
        long summarize(Duration ran, boolean interrupted);
    }

    /** Runs the workload for --duration (or until Ctrl-C), then closes the pool and has the summary printed. */
    private int drive(DemoWorkload workload, WorkloadCounters counters, Runnable closePool, Reporter reporter)
            throws InterruptedException {
        CountDownLatch summarized = new CountDownLatch(1);
        Thread interruptHook = stopOnInterrupt(workload, summarized);
        try {
            workload.start();
            boolean interrupted = !watch(workload, reporter);
            workload.stop();
            // Workers finish the request in hand; one stuck past the connect bound must not hang the exit.
            workload.join(connectionTimeout.plus(SHUTDOWN_TIMEOUT));
            Duration ran = workload.elapsed();
            closePool.run();
            long succeeded = reporter.summarize(ran, interrupted);
            if (succeeded == 0 && counters.snapshot().errorCount() > 0) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": no operation succeeded; the errors are in the summary above");
                err.flush();
                return ExitCode.SOFTWARE;
            }
            return ExitCode.OK;
        } finally {
            workload.stop();
            summarized.countDown();
            removeHook(interruptHook);
        }
    }

    /** Refreshes the view every second until the run ends (true) or is interrupted (false). */
    private boolean watch(DemoWorkload workload, Reporter reporter) throws InterruptedException {
        Duration nextFrame = REFRESH;
        for (;;) {
            Duration elapsed = workload.elapsed();
            if (elapsed.compareTo(duration) >= 0) {
                return true;
            }
            Duration frameAt = nextFrame.compareTo(duration) < 0 ? nextFrame : duration;
            if (workload.awaitStop(frameAt.minus(elapsed))) {
                return false;
            }
            reporter.frame(workload.elapsed());
            nextFrame = nextFrame.plus(REFRESH);
        }
    }

    /**
     * On Ctrl-C the JVM runs shutdown hooks and then halts. This hook stops the workload and holds
     * the halt (a few seconds at most) until the summary is printed: an interrupted demo still
     * reports what it saw.
     */
    private static Thread stopOnInterrupt(DemoWorkload workload, CountDownLatch summarized) {
        Thread hook = new Thread(() -> {
            workload.stop();
            try {
                summarized.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sluice-demo-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running (Ctrl-C): it is waiting for us, and we are done.
        }
    }

    private SluiceConfig poolConfig(ConnectionTarget target, String poolName) {
        try {
            return SluiceConfig.builder()
                    .poolName(poolName)
                    .jdbcUrl(target.jdbcUrl())
                    .username(target.user())
                    .password(target.password())
                    .maximumPoolSize(poolSize)
                    .minimumIdle(Math.min(MINIMUM_IDLE, poolSize))
                    .idleTimeout(IDLE_TIMEOUT)
                    .maxLifetime(MAX_LIFETIME)
                    .keepaliveTime(KEEPALIVE)
                    .connectionTimeout(connectionTimeout)
                    .validationTimeout(connectionTimeout.compareTo(DEFAULT_VALIDATION_TIMEOUT) < 0
                            ? connectionTimeout : DEFAULT_VALIDATION_TIMEOUT)
                    .shutdownTimeout(SHUTDOWN_TIMEOUT)
                    // So that 'sluice patrol PID' finds the pool from another terminal.
                    .registerMbeans(true)
                    .leakDetectionThreshold(console ? CONSOLE_LEAK_THRESHOLD : Duration.ZERO)
                    .build();
        } catch (InvalidConfigException rejected) {
            String message = target.redact(rejected.getMessage());
            String option = OPTION_OF_KNOB.get(rejected.knob());
            throw new ParameterException(spec.commandLine(), option == null
                    ? "the pool configuration is invalid: " + message
                    : "Invalid value for option '" + option + "': " + message);
        }
    }

    private LiveView.Style viewStyle() {
        if (quiet) {
            return LiveView.Style.OFF;
        }
        return plain || !cli.interactive() ? LiveView.Style.PLAIN : LiveView.Style.ANSI;
    }

    private String tenantHeader(ConnectionTarget target, LoadShape shape) {
        StringBuilder b = new StringBuilder("sluice demo --tenants on ").append(target.description());
        b.append(String.format(Locale.ROOT, "%n  %,d tenants, a schema each; budget of %d connections, %d per tenant;"
                + " %d threads for %s, tenants drawn Zipf (s=%s)", tenants, poolSize, TenantDemoSummary.tenantLimit(poolSize),
                threads, DurationText.format(duration), TenantRequest.ZIPF_S));
        if (shape.hasBurst()) {
            b.append(String.format(Locale.ROOT, "%n  burst of %d threads from %s to %s", shape.peakThreads(),
                    DurationText.format(shape.burstStart()), DurationText.format(shape.burstEnd())));
        }
        return b.toString();
    }

    private String header(ConnectionTarget target, LoadShape shape) {
        StringBuilder b = new StringBuilder("sluice demo on ").append(target.description());
        if (target.user() != null && url != null) {
            b.append(" as ").append(target.user());
        }
        b.append(String.format(Locale.ROOT, "%n  pool of %d, %d threads for %s", poolSize, threads, DurationText.format(duration)));
        if (shape.hasBurst()) {
            b.append(String.format(Locale.ROOT, ", burst of %d threads from %s to %s", shape.peakThreads(),
                    DurationText.format(shape.burstStart()), DurationText.format(shape.burstEnd())));
        }
        long pid = ProcessHandle.current().pid();
        b.append(String.format(Locale.ROOT, "%n  pid %d: watch its health from another terminal with 'sluice patrol %d'", pid, pid));
        return b.toString();
    }
}
