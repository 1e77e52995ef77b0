package dev.sluice.maven;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * {@code sluice:scan}: runs {@code sluice scan} over the project's sources in {@code verify},
 * writes the report (SARIF by default, for code scanning) and fails the build on findings at or
 * above {@code failOn}. Bound to {@code verify} so that a plain {@code mvn verify} gates on it,
 * the way spotbugs:check does, and after {@code compile} so that the compile class path it
 * resolves types with exists.
 */
@Mojo(name = "scan", defaultPhase = LifecyclePhase.VERIFY, requiresDependencyResolution = ResolutionScope.COMPILE, threadSafe = true)
public final class ScanMojo extends AbstractMojo {
    /** How many findings the failure message lists before it points at the report for the rest. */
    static final int LISTED_FINDINGS = 50;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** Directories or files to scan; the project's compile source roots when not set. */
    @Parameter
    private List<File> sourceRoots;

    /** Report formats: {@code sarif}, {@code json}, {@code text}; the first goes to {@code outputFile}, the others beside it. */
    @Parameter(property = "sluice.scan.formats", defaultValue = "sarif")
    private List<String> formats;

    /** Where the first format's report is written. */
    @Parameter(property = "sluice.scan.outputFile", defaultValue = "${project.build.directory}/sluice-scan.sarif")
    private File outputFile;

    /** An earlier json or sarif report: the findings it holds are accepted and not reported again. */
    @Parameter(property = "sluice.scan.baseline")
    private File baseline;

    /** The lowest severity that fails the build: {@code error}, {@code warning} or {@code never}. */
    @Parameter(property = "sluice.scan.failOn", defaultValue = "error")
    private String failOn;

    /** Packages (with their subpackages) where {@code DriverManager} is expected, e.g. a migration tool. */
    @Parameter
    private List<String> allowPackages;

    /** Skips the scan. */
    @Parameter(property = "sluice.scan.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("sluice scan skipped (sluice.scan.skip)");
            return;
        }
        Severity threshold = threshold(failOn);
        List<ReportFormat> reportFormats = reportFormats(formats);
        List<Path> roots = roots();
        if (roots.isEmpty()) {
            getLog().info("sluice scan: no source roots, nothing to scan");
            return;
        }
        Path base = project.getBasedir().toPath();
        ScanResult result;
        try {
            result = new Scanner(classpath(), allowPackages == null ? List.of() : allowPackages).scan(roots, base);
            if (baseline != null) {
                result = Baseline.read(baseline.toPath()).apply(result);
            }
        } catch (ScanException e) {
            throw new MojoExecutionException("sluice scan could not run: " + e.getMessage(), e);
        }
        for (ScanProblem problem : result.problems()) {
            if (problem.warning()) {
                getLog().warn("sluice scan: " + problem.describe());
            } else {
                getLog().debug("sluice scan: " + problem.describe());
            }
        }
        List<Path> written = write(result, reportFormats);
        getLog().info("sluice scan: " + result.findings().size() + (result.findings().size() == 1 ? " finding" : " findings") + " in " + result.filesParsed() + " files, "
                + result.lines() + " lines; report " + written.get(0));

        List<Finding> failing = new ArrayList<>();
        for (Finding f : result.findings()) {
            if (threshold != null && f.severity().atLeast(threshold)) {
                failing.add(f);
            } else {
                getLog().warn(describe(f));
            }
        }
        if (!failing.isEmpty()) {
            throw new MojoFailureException(failureMessage(failing, threshold, written.get(0)));
        }
    }

    private List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        if (sourceRoots != null && !sourceRoots.isEmpty()) {
            for (File root : sourceRoots) {
                roots.add(root.toPath());
            }
            return roots;
        }
        // Roots that a plugin registered but never created (generated sources that were not needed) are not errors.
        for (String root : project.getCompileSourceRoots()) {
            Path path = Path.of(root);
            if (Files.exists(path)) {
                roots.add(path);
            }
        }
        return roots;
    }

    /** The compile class path's jars: types from dependencies make a wrapper or a subinterface of Connection known. */
    private List<Path> classpath() throws MojoExecutionException {
        List<Path> entries = new ArrayList<>();
        try {
            for (String element : project.getCompileClasspathElements()) {
                Path path = Path.of(element);
                // Class directories are left out: the scanner reads sources, and the project's own are scanned anyway.
                if (Files.isRegularFile(path) && element.endsWith(".jar")) {
                    entries.add(path);
                }
            }
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("sluice scan: the compile class path is not resolved: " + e.getMessage(), e);
        }
        return entries;
    }

    private List<Path> write(ScanResult result, List<ReportFormat> reportFormats) throws MojoExecutionException {
        List<Path> written = new ArrayList<>();
        Path first = outputFile.toPath();
        for (ReportFormat format : reportFormats) {
            Path target = written.isEmpty() ? first : sibling(first, format);
            try {
                Path dir = target.toAbsolutePath().getParent();
                if (dir != null) {
                    Files.createDirectories(dir);
                }
                Files.writeString(target, format.render(result, version()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new MojoExecutionException("sluice scan: cannot write " + target + ": " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
            }
            written.add(target);
        }
        return written;
    }

    /** {@code sluice-scan.sarif} with format json is {@code sluice-scan.json}. */
    static Path sibling(Path first, ReportFormat format) {
        Path fileName = first.getFileName();
        String name = fileName == null ? "sluice-scan" : fileName.toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = format == ReportFormat.TEXT ? ".txt" : "." + format.name().toLowerCase(Locale.ROOT);
        return first.resolveSibling(stem + extension);
    }

    static List<ReportFormat> reportFormats(List<String> names) throws MojoExecutionException {
        List<ReportFormat> parsed = new ArrayList<>();
        for (String name : names == null || names.isEmpty() ? List.of("sarif") : names) {
            for (String part : name.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    ReportFormat format = ReportFormat.parse(part.trim());
                    if (!parsed.contains(format)) {
                        parsed.add(format);
                    }
                } catch (IllegalArgumentException e) {
                    throw new MojoExecutionException("sluice scan: formats: " + e.getMessage());
                }
            }
        }
        return parsed.isEmpty() ? List.of(ReportFormat.SARIF) : parsed;
    }

    /** The severity that fails the build, or null for {@code never}. */
    static Severity threshold(String failOn) throws MojoExecutionException {
        String value = failOn == null ? "error" : failOn.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "error" -> Severity.ERROR;
            case "warning" -> Severity.WARNING;
            case "never" -> null;
            default -> throw new MojoExecutionException(
                    "sluice scan: failOn: unknown value '" + failOn + "'; the values are error, warning, never");
        };
    }

    static String failureMessage(List<Finding> failing, Severity threshold, Path report) {
        StringBuilder sb = new StringBuilder("sluice scan: ").append(failing.size())
                .append(failing.size() == 1 ? " finding" : " findings").append(" at or above ").append(threshold.label()).append(":\n");
        for (int i = 0; i < Math.min(failing.size(), LISTED_FINDINGS); i++) {
            sb.append("  ").append(describe(failing.get(i))).append('\n');
        }
        if (failing.size() > LISTED_FINDINGS) {
            sb.append("  ... and ").append(failing.size() - LISTED_FINDINGS).append(" more\n");
        }
        return sb.append("Report: ").append(report)
                .append(". Fix them, accept them with <baseline>, or set -Dsluice.scan.failOn=never.").toString();
    }

    static String describe(Finding f) {
        return f.path() + ":" + f.line() + ":" + f.column() + ": " + f.severity().label() + ": " + f.rule().id() + " " + f.message();
    }

    /** The plugin's version, from the pom.properties Maven packs into every jar. */
    private static String version() {
        try (var in = ScanMojo.class.getResourceAsStream("/META-INF/maven/dev.sluice/sluice-maven-plugin/pom.properties")) {
            if (in != null) {
                java.util.Properties props = new java.util.Properties();
                props.load(in);
                return props.getProperty("version", "0.0.0-dev");
            }
        } catch (IOException e) {
            // A report without the exact version is still a report.
        }
        return "0.0.0-dev";
    }
}
