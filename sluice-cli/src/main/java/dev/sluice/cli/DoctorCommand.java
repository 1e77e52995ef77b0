package dev.sluice.cli;

import dev.sluice.InvalidConfigException;
import dev.sluice.SluiceConfig;
import dev.sluice.doctor.Doctor;
import dev.sluice.doctor.DoctorException;
import dev.sluice.doctor.DoctorReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sluice doctor}: checks a pool configuration against the server it will run on, with
 * {@link Doctor}, and prints the findings. Exit codes are what a deploy script needs: 0 nothing is
 * wrong, 1 a finding is an error, 2 the check could not run (or the command line was wrong).
 */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceCli.Version.class,
        sortOptions = false,
        header = "Checks a pool configuration against the database server it will run on.",
        description = {
            "Connects once, read-only, within 2 s, reads the server's connection limits, idle and statement timeouts"
                    + " and role, and checks the pool configuration against them: instances × maximumPoolSize against"
                    + " max_connections, maxLifetime and keepalive against wait_timeout, idle_session_timeout and the"
                    + " network's idle limit, missing timeouts, a replica where a primary is expected, and more.",
            "",
            "Exit codes: 0 no finding is an error, 1 at least one is, 2 the check could not run (unreachable,"
                    + " authentication, no driver, a bad properties file) or a bad option.",
            "",
            SluiceCli.BUNDLED_DRIVERS,
            ""},
        footer = {"", "Every rule is explained at https://github.com/sluice-dev/sluice#doctor"})
final class DoctorCommand implements Callable<Integer> {
    private static final int CHECK_FAILED = 2;

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private SluiceCli cli;

    @Option(names = "--url", paramLabel = "JDBC-URL",
            description = "Database to check, e.g. jdbc:postgresql://db/app. Default: jdbcUrl from --config.")
    private String url;

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Database user. Default: username from --config.")
    private String user;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD", arity = "0..1", fallbackValue = PasswordOption.ASK,
            description = "Database password. Give the option without a value to be asked for it on the terminal.")
    private String password;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The pool's properties file, with HikariCP or Sluice names (maximumPoolSize, maxLifetime, ...)."
                    + " Without it the pool's defaults are checked.")
    private Path configFile;

    @Option(names = "--instances", paramLabel = "N",
            description = "Application instances running this pool against the same database. Default: sizingInstances, else 1.")
    private Integer instances;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, json or sarif (SARIF 2.1.0, for code-scanning dashboards). Default: ${DEFAULT-VALUE}.")
    private Format format;

    @Option(names = "--network-idle-timeout", paramLabel = "DURATION", converter = DurationText.Converter.class,
            description = "Idle limit of a firewall, NAT or load balancer between the application and the database (e.g. 5m).")
    private Duration networkIdleTimeout;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads that may hold connections at once; with --connections-per-thread, checks the pool against deadlock.")
    private Integer threads;

    @Option(names = "--connections-per-thread", paramLabel = "N",
            description = "The most connections one thread holds at once (2 when code takes a second connection while holding one).")
    private Integer connectionsPerThread;

    @Option(names = "--driver-jar", paramLabel = "PATH",
            description = "A jar with a JDBC driver for a database the bundled drivers do not reach; repeat for each jar.")
    private List<Path> driverJars = List.of();

    @Option(names = {"-v", "--verbose"}, description = "After a failure's line, print its stack trace.")
    private boolean verbose;

    /** The output formats; lower-case on the command line. */
    enum Format { text, json, sarif }

    @Override
    public Integer call() {
        try {
            DriverJars.register(driverJars);
        } catch (IllegalArgumentException e) {
            throw invalid("--driver-jar", e.getMessage());
        }
        DoctorReport report;
        try {
            report = doctor().run();
        } catch (CheckCannotRun e) {
            return couldNotRun(e.getMessage(), e);
        } catch (DoctorException e) {
            String hint = e.getMessage().contains("no JDBC driver") ? " (or give its jar with --driver-jar PATH)" : "";
            return couldNotRun(e.getMessage() + hint, e);
        }
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> out.println(report.toJson());
            case sarif -> out.println(report.toSarif());
            default -> out.print(report.toText());
        }
        out.flush();
        return report.hasErrors() ? 1 : 0;
    }

    private Doctor doctor() {
        SluiceConfig config;
        try {
            config = config();
        } catch (InvalidConfigException e) {
            String problems = e.violations().stream().map(InvalidConfigException.Violation::message).collect(Collectors.joining("; "));
            throw new CheckCannotRun("INVALID_CONFIG (fix the configuration): " + (configFile == null ? "" : configFile + ": ")
                    + ConnectionTarget.external(url, null, password).redact(problems), e);
        }
        if ((threads == null) != (connectionsPerThread == null)) {
            throw new ParameterException(spec.commandLine(), "--threads and --connections-per-thread go together: the pool"
                    + " deadlocks below threads × (connections per thread − 1) + 1 connections");
        }
        Doctor.Builder b = Doctor.builder(config);
        try {
            if (instances != null) {
                b.instances(instances);
            }
            if (networkIdleTimeout != null) {
                b.networkIdleTimeout(networkIdleTimeout);
            }
            if (threads != null) {
                b.threads(threads);
            }
            if (connectionsPerThread != null) {
                b.connectionsPerThread(connectionsPerThread);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            // The builder names its own setters; the user typed options.
            String message = e.getMessage().replaceFirst("^connectionsPerThread=", "--connections-per-thread=")
                    .replaceFirst("^networkIdleTimeout=", "--network-idle-timeout=").replaceFirst("^(instances|threads)=", "--$1=");
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** The file's knobs, with the URL and credentials from the options where given. */
    private SluiceConfig config() {
        Properties p = new Properties();
        if (configFile != null) {
            try (Reader in = Files.newBufferedReader(configFile, StandardCharsets.UTF_8)) {
                p.load(in);
            } catch (NoSuchFileException e) {
                throw new CheckCannotRun("--config " + configFile + ": no such file", e);
            } catch (IOException | IllegalArgumentException e) {
                throw new CheckCannotRun("--config " + configFile + ": cannot be read: " + e.getMessage(), e);
            }
        }
        if (url != null) {
            p.setProperty("jdbcUrl", url);
        }
        if (p.getProperty("jdbcUrl") == null && p.getProperty("dataSourceClassName") == null) {
            throw new ParameterException(spec.commandLine(), "--url is required (or jdbcUrl in the --config file)");
        }
        if (user != null) {
            p.setProperty("username", user);
        }
        String pw = PasswordOption.resolve(password, cli, spec, p.getProperty("username"), p.getProperty("jdbcUrl", ""));
        if (pw != null) {
            p.setProperty("password", pw);
        }
        return SluiceConfig.fromProperties(p);
    }

    private int couldNotRun(String line, Exception e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + line);
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return CHECK_FAILED;
    }

    private ParameterException invalid(String option, String problem) {
        return new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + problem);
    }

    /** Raised before the check connects; reported by {@link #call()}'s caller as one line with exit code 2. */
    private static final class CheckCannotRun extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckCannotRun(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
