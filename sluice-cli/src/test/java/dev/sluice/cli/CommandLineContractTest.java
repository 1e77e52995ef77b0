package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every command owes its user whatever the workload: the version on request, the drivers it
 * can reach, passwords asked for only where someone can answer, and failures on one line.
 */
class CommandLineContractTest {

    @ParameterizedTest
    @ValueSource(strings = {"-V", "--version", "demo -V", "demo --version", "doctor -V", "patrol -V"})
    void everyCommandPrintsTheVersion(String args) {
        CliRun run = CliRun.of(args.split(" "));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("sluice 0.").contains("Java ");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "demo --help", "doctor --help"})
    void helpNamesTheBundledDriversAndHowToAddOthers(String args) {
        CliRun run = CliRun.of(args.split(" "));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("H2").contains("PostgreSQL").contains("MariaDB").contains("--driver-jar");
    }

    @Test
    void passwordWithoutValueAndNoTerminalIsAUsageErrorNotAPromptOnStdout() {
        CliRun run = CliRun.run(false, null, "demo", "--url", "jdbc:h2:mem:no-terminal", "--user", "sa", "--password",
                "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("sluice demo: --password without a value").contains("--password=");
        assertOneLine(run.err());
    }

    @Test
    void passwordWithoutValueIsAskedForOnTheTerminal() {
        List<String> asked = new ArrayList<>();
        CliRun run = CliRun.run(false, prompt -> {
            asked.add(prompt);
            return new char[0];
        }, "demo", "--url", "jdbc:h2:mem:asked", "--user", "sa", "--password", "--duration", "1s", "--quiet");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(asked).containsExactly("Password for sa at jdbc:h2:mem:asked: ");
    }

    @Test
    void connectionFailureIsOneLineNamingTheReasonOnceWithNothingOnStdout() {
        CliRun run = CliRun.of("demo", "--url", "jdbc:postgresql://127.0.0.1:1/x", "--user", "u",
                "--connection-timeout", "500ms", "--duration", "1s");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).as("no header before a pool that never started").isEmpty();
        assertThat(run.err()).startsWith("sluice demo: CONNECT_REFUSED (may succeed if retried): ");
        assertThat(occurrences("CONNECT_REFUSED", run.err())).isEqualTo(1);
        assertOneLine(run.err());
    }

    @Test
    void wrongPasswordIsOneLineNamingTheReasonOnce() throws Exception {
        String url = "jdbc:h2:mem:wrong-password;DB_CLOSE_DELAY=-1";
        try (Connection owner = DriverManager.getConnection(url, "sa", "right")) {
            CliRun run = CliRun.of("demo", "--url", url, "--user", "sa", "--password", "wrong",
                    "--connection-timeout", "500ms", "--duration", "1s");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("sluice demo: AUTHENTICATION_FAILED (fix the configuration): ");
            assertThat(occurrences("AUTHENTICATION_FAILED", run.err())).isEqualTo(1);
            assertOneLine(run.err());
            owner.createStatement().execute("SHUTDOWN");
        }
    }

    @Test
    void driverJarBringsADriverTheCliDoesNotBundle(@TempDir Path dir) throws IOException {
        String url = "jdbc:sluicetest:brought";
        CliRun without = CliRun.of("demo", "--url", url, "--user", "sa", "--duration", "1s", "--quiet");
        assertThat(without.err()).startsWith("sluice demo: INVALID_CONFIG");

        Path jar = driverJar(dir);
        CliRun with = CliRun.of("demo", "--driver-jar", jar.toString(), "--url", url, "--user", "sa",
                "--duration", "1s", "--threads", "1", "--quiet");

        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.out()).contains("Summary:").contains("on " + url);
    }

    @Test
    void driverJarThatIsMissingOrHasNoDriverIsAUsageError(@TempDir Path dir) throws IOException {
        Path empty = dir.resolve("empty.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new JarEntry("README"));
            out.closeEntry();
        }

        for (String jar : new String[] {dir.resolve("missing.jar").toString(), empty.toString()}) {
            CliRun run = CliRun.of("demo", "--driver-jar", jar, "--url", "jdbc:h2:mem:x", "--duration", "1s");

            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.err()).startsWith("sluice demo: Invalid value for option '--driver-jar': ").contains(jar);
            assertOneLine(run.err());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo --threads 1x", "demo --pool-size 99999999999", "demo --duration", "demo -x",
        "demo --url", "dmeo", "--bogus"})
    void malformedInputIsOneLineWithAUsageHint(String args) {
        CliRun run = CliRun.of(args.split(" "));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("sluice").containsPattern("\\(see 'sluice( demo)? --help'\\)");
        assertOneLine(run.err());
    }

    /**
     * A driver for {@code jdbc:sluicetest:NAME} in a jar of its own, outside the test class path,
     * as a user's driver would be. It opens an in-memory H2 database through the system class
     * loader, since its own loader sees only the JDK.
     */
    private static Path driverJar(Path dir) throws IOException {
        String source = """
                package brought;

                import java.sql.*;
                import java.util.Properties;
                import java.util.logging.Logger;

                public final class TestDriver implements Driver {
                    private static final String PREFIX = "jdbc:sluicetest:";

                    @Override public Connection connect(String url, Properties info) throws SQLException {
                        if (!acceptsURL(url)) {
                            return null;
                        }
                        try {
                            Driver h2 = (Driver) Class.forName("org.h2.Driver", true, ClassLoader.getSystemClassLoader())
                                    .getDeclaredConstructor().newInstance();
                            return h2.connect("jdbc:h2:mem:" + url.substring(PREFIX.length()), info);
                        } catch (ReflectiveOperationException e) {
                            throw new SQLException(e);
                        }
                    }
                    @Override public boolean acceptsURL(String url) { return url.startsWith(PREFIX); }
                    @Override public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
                        return new DriverPropertyInfo[0];
                    }
                    @Override public int getMajorVersion() { return 1; }
                    @Override public int getMinorVersion() { return 0; }
                    @Override public boolean jdbcCompliant() { return false; }
                    @Override public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                        throw new SQLFeatureNotSupportedException();
                    }
                }
                """;
        Path src = dir.resolve("src/brought/TestDriver.java");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), src.toString());
        assertThat(rc).as("compiling the test driver").isZero();

        Path jar = dir.resolve("test-driver.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "brought/TestDriver.class", Files.readAllBytes(classes.resolve("brought/TestDriver.class")));
            add(out, "META-INF/services/java.sql.Driver", "brought.TestDriver\n".getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void add(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }

    private static int occurrences(String word, String text) {
        Matcher m = Pattern.compile(Pattern.quote(word)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static void assertOneLine(String err) {
        assertThat(err.strip()).doesNotContain("\n").doesNotContain("\tat ").doesNotContain("Exception");
    }
}
