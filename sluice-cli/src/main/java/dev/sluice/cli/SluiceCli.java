package dev.sluice.cli;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
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
        subcommands = {DemoCommand.class, HelpCommand.class},
        footer = {"", "Run 'sluice COMMAND --help' for a command's options."})
public final class SluiceCli implements Callable<Integer> {
    private final boolean interactive;

    @Spec
    private CommandSpec spec;

    private SluiceCli(boolean interactive) {
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        // Output is UTF-8 whatever the platform default, so the live view's bars and "µs" are
        // not turned into '?' under a C/POSIX locale; terminals today decode UTF-8.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        configureLogging();
        System.exit(execute(out, err, stdoutIsTerminal(), System.getenv("SLUICE_DEBUG") != null, args));
    }

    /**
     * Runs the command line and returns the exit code, without exiting: the entry point for
     * tests and for embedding.
     *
     * @param interactive whether {@code out} is a terminal, which allows the redrawn live view
     * @param debug       whether failures are followed by their stack trace
     */
    static int execute(PrintWriter out, PrintWriter err, boolean interactive, boolean debug, String... args) {
        ErrorReporter reporter = new ErrorReporter(debug);
        CommandLine cli = new CommandLine(new SluiceCli(interactive))
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

    /**
     * Until JDK 22 {@link System#console()} is null unless both stdin and stdout are terminals;
     * from JDK 22 it is non-null even when output is piped and {@code Console.isTerminal()} tells.
     * The jar targets 17 but may run on a newer JDK, so the method is looked up rather than called.
     */
    private static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null || "dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException beforeJdk22) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException unexpected) {
            return false;
        }
    }

    /** The version from the jar's manifest, written there by the build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SluiceCli.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (v == null ? "(development build)" : v)};
        }
    }
}
