package dev.sluice.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --classpath} with a real jar: a library's subinterface of {@code Connection} is a
 * connection only when the jar that declares it is on the class path, as it is when the Maven
 * plugin passes the compile class path.
 */
class ClasspathJarTest {
    private static final String APP = """
            package app;

            import lib.TracedConnection;

            public class Session {
                private TracedConnection current;

                public void attach(TracedConnection c) {
                    this.current = c;
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aConnectionSubtypeFromAJarIsAConnection() throws Exception {
        Path jar = libraryJar();
        Path sources = app();

        ScanResult without = new Scanner(List.of(), List.of()).scan(List.of(sources), dir);
        assertThat(without.findings()).as("lib.TracedConnection unknown without the jar").isEmpty();

        ScanResult with = new Scanner(List.of(jar), List.of()).scan(List.of(sources), dir);
        assertThat(with.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo(Rule.SLC009);
            assertThat(f.path()).isEqualTo("app-src/app/Session.java");
            assertThat(f.line()).isEqualTo(6);
        });
    }

    @Test
    void aMissingClasspathEntryStopsTheScanNamingIt() throws Exception {
        Path sources = app();
        Path missing = dir.resolve("no-such.jar");
        assertThatThrownBy(() -> new Scanner(List.of(missing), List.of()).scan(List.of(sources), dir))
                .isInstanceOf(ScanException.class)
                .hasMessage("class path entry does not exist: " + missing);
    }

    @Test
    void aFileThatIsNoJarStopsTheScanNamingIt() throws Exception {
        Path sources = app();
        Path notAJar = Files.writeString(dir.resolve("notes.jar"), "not a zip file");
        assertThatThrownBy(() -> new Scanner(List.of(notAJar), List.of()).scan(List.of(sources), dir))
                .isInstanceOf(ScanException.class)
                .hasMessageStartingWith("cannot read class path entry " + notAJar);
    }

    private Path app() throws IOException {
        Path file = dir.resolve("app-src/app/Session.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, APP, StandardCharsets.UTF_8);
        return dir.resolve("app-src");
    }

    /** Compiles lib.TracedConnection and packs it into a jar, as a dependency would arrive. */
    private Path libraryJar() throws IOException {
        Path src = dir.resolve("lib-src/lib/TracedConnection.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package lib;\npublic interface TracedConnection extends java.sql.Connection {\n  String traceId();\n}\n");
        Path classes = Files.createDirectories(dir.resolve("lib-classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("tests run on a JDK").isNotNull();
        int status = javac.run(null, null, null, "-d", classes.toString(), src.toString());
        assertThat(status).as("javac exit status").isZero();

        Path jar = dir.resolve("tracing-lib.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, (OutputStream) out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
