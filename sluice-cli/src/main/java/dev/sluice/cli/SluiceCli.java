package dev.sluice.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code sluice} command. Each tool is a subcommand; run without one, it lists them.
 *
 * <p>Exit codes: 0 success, 1 run-time failure (the database, the pool), 2 usage error (a bad
 * option or value). Every failure is reported as one line; see {@link ErrorReporter}.
 */
@Command(name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceCli.Version.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "Tools for Sluice, the governed JDBC connection pool.",
        subcommands = {DemoCommand.class, DoctorCommand.class, ScanCommand.class, PatrolCommand.class, HelpCommand.class},
        footer = {"", SluiceCli.BUNDLED_DRIVERS, "", "Run 'sluice COMMAND --help' for a command's options."})
public final class SluiceCli implements Callable<Integer> {
    /** Said in every command's help that takes a URL: which databases work out of the box. */
    static final String BUNDLED_DRIVERS = "Bundled JDBC drivers: H2 (jdbc:h2:), PostgreSQL (jdbc:postgresql:) and MariaDB,"
            + " also for MySQL servers (jdbc:mariadb:). For any other database add its driver with --driver-jar PATH.";

    /**
     * The pool logs its start and close at INFO through System.Logger (JUL here); the demo shows
     * both itself, so only warnings get through. Held here because JUL keeps loggers weakly, and a
     * collected logger would forget its level.
     */
    private static final java.util.logging.Logger POOL_LOGGER = java.util.logging.Logger.getLogger("dev.sluice");

    private final boolean interactive;
    private final PasswordPrompt passwordPrompt;

    @Spec
    private CommandSpec spec;

    private SluiceCli(boolean interactive, PasswordPrompt passwordPrompt) {
        this.interactive = interactive;
        this.passwordPrompt = passwordPrompt;
    }

    /** Asks the user for a secret without echoing it. */
    @FunctionalInterface
    interface PasswordPrompt {
        /** The answer; null at end of input. */
        char[] read(String prompt);
    }

    public static void main(String[] args) {
        // Output is UTF-8 whatever the platform default, so the live view's bars and "µs" are
        // not turned into '?' under a C/POSIX locale; terminals today decode UTF-8.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        configureLogging();
        java.io.Console terminal = terminal();
        PasswordPrompt prompt = terminal == null ? null : text -> terminal.readPassword("%s", text);
        System.exit(execute(out, err, terminal != null, prompt, System.getenv("SLUICE_DEBUG") != null, args));
    }

    /**
     * Runs the command line and returns the exit code, without exiting: the entry point for
     * tests and for embedding.
     *
     * @param interactive    whether {@code out} is a terminal, which allows the redrawn live view
     * @param passwordPrompt how to ask for a password on the terminal; null when there is none to ask on
     * @param debug          whether failures are followed by their stack trace
     */
    static int execute(PrintWriter out, PrintWriter err, boolean interactive, PasswordPrompt passwordPrompt,
            boolean debug, String... args) {
        ErrorReporter reporter = new ErrorReporter(debug);
        CommandLine cli = new CommandLine(new SluiceCli(interactive, passwordPrompt))
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(reporter)
                .setExecutionExceptionHandler(reporter);
        int exit = cli.execute(args);
        out.flush();
        err.flush();
        return exit;
    }

    /** Logging set-up for a terminal tool; a property the user set on the command line wins. */
    private static void configureLogging() {
        // The pool logs through System.Logger (JUL here); JUL's default two-line records would break up the live view.
        setIfAbsent("java.util.logging.SimpleFormatter.format", "%4$s %3$s: %5$s%6$s%n");
        // Without SLF4J, MariaDB's driver prints each failure to the console itself, a second, unclassified
        // copy of what the CLI reports in one line.
        setIfAbsent("mariadb.logging.disable", "true");
        if (System.getProperty("java.util.logging.config.file") == null) {
            POOL_LOGGER.setLevel(java.util.logging.Level.WARNING);
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Without a subcommand there is nothing to do: show what there is, as a usage error. */
    @Override
    public Integer call() {
        CommandLine cmd = spec.commandLine();
        cmd.usage(cmd.getErr());
        return ExitCode.USAGE;
    }

    /** Whether standard output is a terminal, so commands may redraw in place. */
    boolean interactive() {
        return interactive;
    }

    /** How to ask for a password, or null when there is no terminal to ask on. */
    PasswordPrompt passwordPrompt() {
        return passwordPrompt;
    }

    /**
     * Until JDK 22 {@link System#console()} is null unless both stdin and stdout are terminals;
     * from JDK 22 it is non-null even when output is piped and {@code Console.isTerminal()} tells.
     * The jar targets 17 but may run on a newer JDK, so the method is looked up rather than called.
     *
     * @return the console when standard input and output are a terminal, else null
     */
    private static java.io.Console terminal() {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return null;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console) ? console : null;
        } catch (NoSuchMethodException beforeJdk22) {
            return console;
        } catch (ReflectiveOperationException | RuntimeException unexpected) {
            return null;
        }
    }

    /**
     * The version the build wrote into {@code version.txt}: a resource rather than the jar's
     * manifest, so it is also there when the classes run from a directory (tests, an IDE).
     */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            try (InputStream in = SluiceCli.class.getResourceAsStream("version.txt")) {
                String v = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                return new String[] {"sluice " + (v.isEmpty() || v.startsWith("$") ? "(development build)" : v),
                        "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"};
            }
        }
    }
}
