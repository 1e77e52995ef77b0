package dev.sluice.scan;

import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.Processor;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.validator.postprocessors.Java17PostProcessor;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.symbolsolver.JavaSymbolSolver;
import com.github.javaparser.symbolsolver.resolution.typesolvers.CombinedTypeSolver;
import com.github.javaparser.symbolsolver.resolution.typesolvers.JarTypeSolver;
import com.github.javaparser.symbolsolver.resolution.typesolvers.JavaParserTypeSolver;
import com.github.javaparser.symbolsolver.resolution.typesolvers.ReflectionTypeSolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Scans Java sources for bypassed pools and unclosed JDBC resources.
 *
 * <pre>{@code
 * ScanResult result = new Scanner(List.of(), List.of()).scan(List.of(Path.of("src/main/java")), Path.of("."));
 * }</pre>
 *
 * <p>Files are parsed first, all of them, so that helper methods in one file are known when
 * another calls them; then every rule runs file by file. A file that does not parse is reported
 * and left out; the others are still scanned.
 */
public final class Scanner {
    /** Larger than any hand-written class; what is bigger is generated (parsers, protobuf) and not worth the time. */
    static final long MAX_FILE_BYTES = 2L * 1024 * 1024;

    /** JavaParser 3.28's processor that post-processes and validates a tree for the language level. */
    static final String VALIDATING_PROCESSOR = "com.github.javaparser.ParserConfiguration$2";

    private final List<Path> classpath;
    private final List<String> allowedPackages;

    /**
     * @param classpath       jars and class directories whose types the symbol solver may use
     * @param allowedPackages packages (and their subpackages) where DriverManager is allowed, e.g. a migration tool
     */
    public Scanner(List<Path> classpath, List<String> allowedPackages) {
        this.classpath = List.copyOf(classpath);
        this.allowedPackages = List.copyOf(allowedPackages);
    }

    /**
     * @param paths files and directories to scan (directories for every {@code .java} file below them)
     * @param base  the directory that reported paths are relative to
     * @throws ScanException when a path does not exist or cannot be read
     */
    public ScanResult scan(List<Path> paths, Path base) throws ScanException {
        Path root = base.toAbsolutePath().normalize();
        List<ScanProblem> problems = new ArrayList<>();
        Map<Path, String> sources = new LinkedHashMap<>();
        for (Path path : paths) {
            collect(path, root, sources, problems);
        }
        List<Path> files = new ArrayList<>(sources.keySet());
        List<SourceParser.Outcome> outcomes = new SourceParser(configuration(sources.keySet()), parserThreads())
                .parseAll(new ArrayList<>(sources.values()));
        Map<String, CompilationUnit> units = new LinkedHashMap<>();
        long lines = 0;
        for (int i = 0; i < files.size(); i++) {
            String shown = relative(files.get(i), root);
            SourceParser.Outcome outcome = outcomes.get(i);
            if (outcome.failure() != null) {
                problems.add(new ScanProblem(true, shown, 0, "does not parse (" + outcome.failure().getClass().getSimpleName() + "); skipped"));
                continue;
            }
            ParseResult<CompilationUnit> parsed = outcome.result();
            if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
                Problem first = parsed.getProblems().isEmpty() ? null : parsed.getProblems().get(0);
                int line = first == null ? 0 : first.getLocation().flatMap(l -> l.getBegin().getRange()).map(r -> r.begin.line).orElse(0);
                String why = first == null ? "unknown error" : first.getMessage().lines().findFirst().orElse("");
                problems.add(new ScanProblem(true, shown, line, "does not parse, skipped: " + why));
                continue;
            }
            units.put(shown, parsed.getResult().get());
            lines += sources.get(files.get(i)).lines().count();
        }
        SourceIndex index = SourceIndex.of(new ArrayList<>(units.values()));
        TypeOracle oracle = new TypeOracle(index);
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, CompilationUnit> unit : units.entrySet()) {
            findings.addAll(new FileAnalyzer(unit.getValue(), unit.getKey(), index, oracle, allowedPackages).run());
        }
        return new ScanResult(findings, problems, units.size(), lines);
    }

    /** One parser per core, at most four: past that the scan waits on reading and on the single-threaded rules. */
    private static int parserThreads() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    private ParserConfiguration configuration(Set<Path> files) throws ScanException {
        CombinedTypeSolver types = new CombinedTypeSolver(new ReflectionTypeSolver(true));
        for (Path entry : classpath) {
            if (Files.isDirectory(entry)) {
                types.add(new JavaParserTypeSolver(entry));
            } else if (Files.isRegularFile(entry)) {
                try {
                    types.add(new JarTypeSolver(entry));
                } catch (IOException | RuntimeException e) {
                    throw new ScanException("cannot read class path entry " + entry + ": " + e.getMessage(), e);
                }
            } else {
                throw new ScanException("class path entry does not exist: " + entry);
            }
        }
        for (Path sourceRoot : sourceRoots(files)) {
            types.add(new JavaParserTypeSolver(sourceRoot));
        }
        ParserConfiguration configuration = new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
                // No rule reads comments; attaching each to its node is work for nothing.
                .setAttributeComments(false)
                .setSymbolResolver(new JavaSymbolSolver(types));
        return withoutValidation(configuration);
    }

    /**
     * JavaParser checks every tree against the language level's rules after parsing. On 210,000
     * lines of library code that check was a quarter of the scan's CPU time, and it only repeats
     * what javac says about code that builds; the tree the rules need is the same without it.
     * The level's post-processing (which makes {@code var} a type of its own) is kept: it runs in
     * the same processor as the check, so that processor is replaced by one that only
     * post-processes. If a JavaParser upgrade moves it, nothing is replaced and the scan is as
     * before, only slower ({@code ScannerParsingTest} notices).
     */
    static ParserConfiguration withoutValidation(ParserConfiguration configuration) {
        List<Supplier<Processor>> processors = configuration.getProcessors();
        for (int i = 0; i < processors.size(); i++) {
            if (processors.get(i).get().getClass().getName().equals(VALIDATING_PROCESSOR)) {
                // A post-processor per parse, as JavaParser's own: scans may run in parallel builds.
                processors.set(i, () -> new Processor() {
                    private final Java17PostProcessor post = new Java17PostProcessor();

                    @Override
                    public void postProcess(ParseResult<? extends Node> result, ParserConfiguration config) {
                        post.postProcess(result, config);
                    }
                });
                break;
            }
        }
        return configuration;
    }

    /** The directories that hold the package trees of the files (src/main/java and the like). */
    private static Set<Path> sourceRoots(Set<Path> files) {
        Set<Path> roots = new LinkedHashSet<>();
        for (Path file : files) {
            Path dir = file.getParent();
            if (dir != null && dir.toString().contains("java")) {
                for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
                    Path name = candidate.getFileName();
                    if (name != null && name.toString().equals("java")) {
                        roots.add(candidate);
                        break;
                    }
                }
            }
        }
        return roots;
    }

    private static void collect(Path path, Path root, Map<Path, String> sources, List<ScanProblem> problems) throws ScanException {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new ScanException("no such file or directory: " + path);
        }
        if (Files.isDirectory(absolute)) {
            if (!Files.isReadable(absolute)) {
                throw new ScanException("cannot read directory: " + path);
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(absolute)) {
                files = walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted().toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new ScanException("cannot read directory " + path + ": " + e.getMessage(), e);
            }
            for (Path file : files) {
                read(file, root, sources, problems);
            }
        } else if (!absolute.toString().endsWith(".java")) {
            problems.add(new ScanProblem(false, relative(absolute, root), 0, "not a .java file, skipped"));
        } else {
            read(absolute, root, sources, problems);
        }
    }

    private static void read(Path file, Path root, Map<Path, String> sources, List<ScanProblem> problems) throws ScanException {
        String shown = relative(file, root);
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                problems.add(new ScanProblem(false, shown, 0, "skipped: " + size + " bytes, larger than any hand-written class (generated?)"));
                return;
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ScanException("cannot read " + shown + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                problems.add(new ScanProblem(false, shown, 0, "skipped: binary file"));
                return;
            }
        }
        sources.put(file, new String(bytes, StandardCharsets.UTF_8));
    }

    static String relative(Path file, Path root) {
        Path absolute = file.toAbsolutePath().normalize();
        Path shown = absolute.startsWith(root) ? root.relativize(absolute) : absolute;
        return shown.toString().replace('\\', '/');
    }
}
