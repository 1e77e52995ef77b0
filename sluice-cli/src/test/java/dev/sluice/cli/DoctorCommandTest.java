package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice doctor}'s contract with a deploy script: the exit code (0 fine, 1 an error finding,
 * 2 the check could not run) and, when it could not run, one line naming the reason. The rules
 * themselves are tested in sluice-doctor, against the real servers.
 */
class DoctorCommandTest {

    @Test
    void aConfigurationWithoutErrorsExitsZeroWithTheReport() {
        CliRun run = CliRun.of("doctor", "--url", "jdbc:h2:mem:doctor-ok");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("sluice doctor: jdbc:h2:mem:doctor-ok (H2 ").contains("info    DOC-REACH     connected to H2")
                .contains("0 errors, 0 warnings, 1 info.");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void anErrorFindingExitsOne(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("pool.properties"), "maximumPoolSize=3\n");
        CliRun run = CliRun.of("doctor", "--url", "jdbc:h2:mem:doctor-deadlock", "--config", config.toString(),
                "--threads", "4", "--connections-per-thread", "2", "--format", "json");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).startsWith("{\"findings\":[{\"id\":\"DOC-SIZE\",\"severity\":\"error\",")
                .contains("\"values\":{\"threads\":4,\"connections_per_thread\":2,\"maximumPoolSize\":3,\"needed\":5}")
                .contains("\"server\":{\"product\":\"H2\"");
    }

    @Test
    void sarifHasOneResultPerFinding() {
        CliRun run = CliRun.of("doctor", "--url", "jdbc:h2:mem:doctor-sarif", "--format", "sarif");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\"")
                .contains("\"ruleId\":\"DOC-REACH\",\"level\":\"note\"");
    }

    @Test
    void anUnreachableServerExitsTwoWithOneLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CliRun run = CliRun.of("doctor", "--url", "jdbc:postgresql://127.0.0.1:" + port + "/app", "--user", "app", "--password=pw-secret");

        assertCouldNotRun(run, "sluice doctor: CONNECT_REFUSED (may succeed if retried): ");
        assertThat(run.err()).doesNotContain("pw-secret");
    }

    @Test
    void aWrongPasswordOnMariaDbExitsTwoWithOneLine() {
        requireMariaDb();
        CliRun run = CliRun.of("doctor", "--url", "jdbc:mariadb://127.0.0.1:3306/test", "--user", "root", "--password=certainly-wrong");

        assertCouldNotRun(run, "sluice doctor: AUTHENTICATION_FAILED (fix the configuration): ");
        assertThat(run.err()).doesNotContain("certainly-wrong");
    }

    @Test
    void aUrlWhoseDriverIsAbsentExitsTwoPointingAtDriverJar() {
        CliRun run = CliRun.of("doctor", "--url", "jdbc:oracle:thin:@//127.0.0.1:1521/app");

        assertCouldNotRun(run, "sluice doctor: INVALID_CONFIG (fix the configuration): no JDBC driver on the class path accepts");
        assertThat(run.err()).contains("--driver-jar PATH");
    }

    @Test
    void aPropertiesFileWithATypoOrAHikariOnlyKeyExitsTwoNamingTheKey(@TempDir Path dir) throws IOException {
        Path typo = Files.writeString(dir.resolve("typo.properties"), "maximumPoolsize=4\n");
        Path jndi = Files.writeString(dir.resolve("jndi.properties"), "dataSourceJNDI=java:comp/env/jdbc/app\n");

        assertCouldNotRun(CliRun.of("doctor", "--url", "jdbc:h2:mem:x", "--config", typo.toString()),
                "sluice doctor: INVALID_CONFIG (fix the configuration): " + typo + ": unknown property 'maximumPoolsize'; did you mean maximumPoolSize?");
        assertCouldNotRun(CliRun.of("doctor", "--url", "jdbc:h2:mem:x", "--config", jndi.toString()),
                "sluice doctor: INVALID_CONFIG (fix the configuration): " + jndi + ": dataSourceJNDI is not supported");
        assertCouldNotRun(CliRun.of("doctor", "--config", dir.resolve("missing.properties").toString()),
                "sluice doctor: --config " + dir.resolve("missing.properties") + ": no such file");
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = CliRun.of("doctor", "--url", "jdbc:oracle:thin:@//127.0.0.1:1521/app", "--verbose");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("sluice doctor: INVALID_CONFIG").contains("\tat ");
    }

    @Test
    void badOptionsAreUsageErrors() {
        for (String[] args : new String[][] {{"doctor"}, {"doctor", "--url", "jdbc:h2:mem:x", "--instances", "0"},
            {"doctor", "--url", "jdbc:h2:mem:x", "--threads", "3"}, {"doctor", "--url", "jdbc:h2:mem:x", "--format", "xml"}}) {
            CliRun run = CliRun.of(args);

            assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).startsWith("sluice doctor: ").endsWith("(see 'sluice doctor --help')\n");
        }
    }

    private static void assertCouldNotRun(CliRun run, String start) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith(start);
        assertThat(run.err().strip()).doesNotContain("\n").doesNotContain("\tat ").doesNotContain("Exception");
    }

    /** MariaDB at 127.0.0.1:3306: skipped with the reason when it is not there, a failure with CI=true. */
    private static void requireMariaDb() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 3306), 1000);
        } catch (IOException e) {
            String message = "MariaDB not reachable at 127.0.0.1:3306 (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " and CI=true: this test must run in CI");
            }
            Assumptions.abort(message + "; skipped (set CI=true to make this a failure)");
        }
    }
}
