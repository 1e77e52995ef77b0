package dev.sluice.cli;

import dev.sluice.scan.Baseline;
import dev.sluice.scan.Finding;
import dev.sluice.scan.ReportFormat;
import dev.sluice.scan.ScanException;
import dev.sluice.scan.ScanProblem;
import dev.sluice.scan.ScanResult;
import dev.sluice.scan.Scanner;
import dev.sluice.scan.Severity;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sluice scan}: the static analyzer. Exit 0 when nothing at or above {@code --fail-on} was
 * found, 1 when something was, 2 when the scan could not run (a missing path, an unreadable
 * file, a bad option). Files that do not parse are reported and skipped; the scan goes on.
 */
@Command(name = "scan",
        mixinStandardHelpOptions = true,
        versionProvider = SluiceCli.Version.class,
        sortOptions = false,
        header = "Finds bypassed connection pools and unclosed JDBC resources in Java sources.",
        description = {
            "Rules: SLC001 DriverManager.getConnection, SLC002 a driver DataSource or Driver.connect without a pool,"
                    + " SLC003/SLC004/SLC005 a Connection/Statement/ResultSet not closed on every path,"
                    + " SLC006 a close only on the success path, SLC007 setAutoCommit(false) without commit and rollback,"
                    + " SLC008 a second connection from the same pool while one is held, SLC009 a Connection in a field.",
            "",
            "Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 the scan could not run.",
            ""})
final class ScanCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Java files or directories (every .java file below them).")
    private List<Path> paths = new ArrayList<>();

    @Option(names = "--format", paramLabel = "text|json|sarif", defaultValue = "text",
            description = "Report format (default: ${DEFAULT-VALUE}); sarif is what GitHub code scanning uploads.")
    private String format;

    @Option(names = "--output", paramLabel = "FILE", description = "Write the report here instead of standard output.")
    private Path output;

    @Option(names = "--classpath", paramLabel = "CP",
            description = "Jars and class directories (separated by '${sys:path.separator}') whose types help resolve the sources'.")
    private String classpath;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "A previous json or sarif report: the findings it holds are not reported again.")
    private Path baseline;

    @Option(names = "--fail-on", paramLabel = "error|warning|never", defaultValue = "error",
            description = "Lowest severity that makes the exit code 1 (default: ${DEFAULT-VALUE}).")
    private String failOn;

    @Option(names = "--allow-package", paramLabel = "PACKAGE",
            description = "A package (with its subpackages) where DriverManager is expected, e.g. a migration tool; repeatable.")
    private List<String> allowedPackages = new ArrayList<>();

    @Override
    public Integer call() {
        ReportFormat reportFormat;
        try {
            reportFormat = ReportFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        Severity threshold = threshold();
        PrintWriter err = spec.commandLine().getErr();
        String command = spec.qualifiedName();
        try {
            ScanResult result = new Scanner(classpathEntries(), allowedPackages).scan(paths, Path.of(""));
            if (baseline != null) {
                result = Baseline.read(baseline).apply(result);
            }
            for (ScanProblem problem : result.problems()) {
                err.println(command + ": " + problem.describe());
            }
            String report = reportFormat.render(result, version());
            if (output == null) {
                spec.commandLine().getOut().print(report);
                spec.commandLine().getOut().flush();
            } else {
                Files.writeString(output, report, StandardCharsets.UTF_8);
            }
            err.flush();
            boolean failed = threshold != null && result.findings().stream().map(Finding::severity).anyMatch(s -> s.atLeast(threshold));
            return failed ? 1 : 0;
        } catch (ScanException e) {
            err.println(command + ": " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException e) {
            err.println(command + ": cannot write " + output + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
            err.flush();
            return 2;
        }
    }

    /** The severity that fails the run, or null for {@code never}. */
    private Severity threshold() {
        switch (failOn.toLowerCase(Locale.ROOT)) {
            case "error":
                return Severity.ERROR;
            case "warning":
                return Severity.WARNING;
            case "never":
                return null;
            default:
                throw new ParameterException(spec.commandLine(),
                        "--fail-on: unknown value '" + failOn + "'; the values are error, warning, never");
        }
    }

    private List<Path> classpathEntries() {
        List<Path> entries = new ArrayList<>();
        if (classpath != null) {
            for (String entry : classpath.split(File.pathSeparator)) {
                if (!entry.isBlank()) {
                    entries.add(Path.of(entry));
                }
            }
        }
        return entries;
    }

    private static String version() {
        try {
            String line = new SluiceCli.Version().getVersion()[0];
            String v = line.startsWith("sluice ") ? line.substring("sluice ".length()) : line;
            return v.startsWith("(") ? "0.0.0-dev" : v;
        } catch (IOException e) {
            return "0.0.0-dev";
        }
    }
}
