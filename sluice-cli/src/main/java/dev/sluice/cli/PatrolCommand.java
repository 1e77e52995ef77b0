package dev.sluice.cli;

import dev.sluice.PoolHealth.Status;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code sluice patrol}: watches the Sluice pools of a running JVM, the post-release patrol of a
 * deploy script as one command. Attaches by pid (or connects to a JMX URL), prints a row per pool
 * at every reading, and with {@code --fail-on} exits 1 the first time a pool reaches that status.
 * Without a pid it lists the local JVMs that have pools.
 */
@Command(name = "patrol",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceCli.Version.class,
        sortOptions = false,
        header = "Watches the Sluice pools of a running JVM and stops when one turns unhealthy.",
        description = {
            "Attaches to a JVM on this machine by PID (or connects to --jmx URL), finds every Sluice pool in it"
                    + " (pools register their MXBean with registerMbeans=true) and prints, at every reading, one row"
                    + " per pool: its health status (the pool's own rule, judged over its last minute), connections"
                    + " open, in use and idle, callers waiting, acquire timeouts since the pool started and the p99"
                    + " acquire time. The reasons are printed when a pool enters a status other than HEALTHY.",
            "",
            "Without PID and --jmx, lists the local JVMs that have Sluice pools.",
            "",
            "Exit codes: 0 no pool reached a --fail-on status, 1 one did (named on stderr, with why),"
                    + " 2 the patrol could not run (no such process, attach refused, no Sluice pool, a bad JMX URL,"
                    + " a JVM that exits or does not answer within 15 s) or a bad option.",
            ""},
        footer = {"", "In a deploy script, after the release: sluice patrol \"$APP_PID\" --fail-on saturated --duration 10m"})
final class PatrolCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int COULD_NOT_RUN = 2;
    private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    private static final Duration MAX_INTERVAL = Duration.ofHours(1);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PID", converter = ProcessId.class,
            description = "The JVM to patrol, on this machine and run by this user.")
    private Long pid;

    @Option(names = "--jmx", paramLabel = "URL",
            description = "Patrol the JVM behind this JMX agent instead, e.g. service:jmx:rmi:///jndi/rmi://127.0.0.1:9010/jmxrmi.")
    private String jmxUrl;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationText.Converter.class,
            description = "Time between readings: 500ms, 10s, 10m... Default: ${DEFAULT-VALUE}.")
    private Duration interval;

    @Option(names = "--fail-on", paramLabel = "STATUS", split = ",", converter = FailOn.Converter.class,
            description = "Exit 1 the first time a pool reaches this status: busy (BUSY or worse), saturated"
                    + " (SATURATED or DOWN), down, oversized, or unhealthy (anything but HEALTHY). Comma-separated"
                    + " for several. Without it the patrol only watches.")
    private List<FailOn> failOn = List.of();

    @Option(names = {"-n", "--count"}, paramLabel = "N",
            description = "Stop after N readings. Default: no limit (Ctrl-C stops).")
    private Integer count;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Stop after this long, with a last reading at the end. Default: no limit.")
    private Duration duration;

    @Option(names = {"-v", "--verbose"}, description = "After a failure's line, print its stack trace.")
    private boolean verbose;

    @Override
    public Integer call() throws InterruptedException {
        validateOptions();
        PrintWriter out = spec.commandLine().getOut();
        try {
            if (pid == null && jmxUrl == null) {
                return listPooledJvms(out);
            }
            try (JmxTarget target = pid != null ? JmxTarget.attach(pid) : JmxTarget.connect(jmxUrl)) {
                return patrol(target, out);
            }
        } catch (CannotPatrol e) {
            return couldNotRun(e);
        }
    }

    private int patrol(JmxTarget target, PrintWriter out) throws CannotPatrol, InterruptedException {
        Set<Status> stopAt = FailOn.statuses(failOn);
        PoolPatrol patrol = new PoolPatrol(target, interval, count, duration, stopAt, out);
        out.println("sluice patrol: " + target.description() + ", a reading every " + DurationText.format(interval)
                + limits() + (stopAt.isEmpty() ? "" : ", failing on " + names(stopAt)));
        out.flush();
        Optional<PoolReading> failed = patrol.run();
        if (failed.isPresent()) {
            PoolReading r = failed.get();
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": pool " + r.name() + " in " + target.description() + " is " + r.status()
                    + " (--fail-on " + failOn.stream().map(Enum::name).collect(Collectors.joining(",")) + "): "
                    + String.join("; ", r.reasons()));
            err.flush();
            return FAILED;
        }
        out.println("sluice patrol: " + patrol.readings() + " reading" + (patrol.readings() == 1 ? "" : "s")
                + (stopAt.isEmpty() ? ", done" : ", no pool reached " + names(stopAt)));
        out.flush();
        return 0;
    }

    /** Lists the local JVMs with pools, like jps; with none, says how to get one and exits 2. */
    private int listPooledJvms(PrintWriter out) throws CannotPatrol, InterruptedException {
        List<PooledJvms.Entry> found = PooledJvms.among(LocalJvms.list());
        if (found.isEmpty()) {
            throw new CannotPatrol("no JVM of this user on this machine has a Sluice pool MXBean (pools register one"
                    + " with registerMbeans=true); usage: sluice patrol PID | --jmx URL [--fail-on STATUS]");
        }
        out.print(PooledJvms.table(found));
        out.println("Patrol one with: sluice patrol PID [--fail-on saturated] [--duration 10m]");
        out.flush();
        return 0;
    }

    private void validateOptions() {
        if (pid != null && jmxUrl != null) {
            throw new ParameterException(spec.commandLine(), "give a PID or --jmx URL, not both");
        }
        if (pid == null && jmxUrl == null && (!failOn.isEmpty() || count != null || duration != null)) {
            // A deploy script whose pid variable came out empty must fail, not list JVMs and exit 0.
            throw new ParameterException(spec.commandLine(), "a PID or --jmx URL is required with --fail-on, --count"
                    + " or --duration (run 'sluice patrol' alone to list the local JVMs with pools)");
        }
        if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw invalid("--interval", DurationText.format(interval) + " must be between 100ms and 1h");
        }
        if (count != null && count < 1) {
            throw invalid("--count", count + " must be at least 1");
        }
        if (duration != null && (duration.isZero() || duration.isNegative())) {
            throw invalid("--duration", DurationText.format(duration) + " must be more than 0");
        }
    }

    private String limits() {
        List<String> limits = new ArrayList<>();
        if (count != null) {
            limits.add(count + " reading" + (count == 1 ? "" : "s"));
        }
        if (duration != null) {
            limits.add(DurationText.format(duration));
        }
        return limits.isEmpty() ? "" : ", for " + String.join(" or ", limits);
    }

    private static String names(Set<Status> statuses) {
        return statuses.stream().map(Status::name).collect(Collectors.joining(" or "));
    }

    private int couldNotRun(CannotPatrol e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + e.getMessage());
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return COULD_NOT_RUN;
    }

    /** A pid as the user typed it; picocli's own message would call it "not a long". */
    static final class ProcessId implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                long pid = Long.parseLong(value.strip());
                if (pid > 0) {
                    return pid;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
            throw new TypeConversionException("'" + value + "' is not a process id (a positive number, as ps and jps show it)");
        }
    }

    private ParameterException invalid(String option, String problem) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + problem);
    }
}
