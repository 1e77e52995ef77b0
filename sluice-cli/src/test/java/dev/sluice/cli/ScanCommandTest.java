package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
    private static final String LEAK = """
            import java.sql.*;
            import javax.sql.DataSource;
            class Dao {
                void run(DataSource ds) throws SQLException {
                    Connection c = ds.getConnection();
                    c.setReadOnly(true);
                }
            }
            """;
    private static final String CLEAN = """
            import java.sql.*;
            import javax.sql.DataSource;
            class Clean {
                void run(DataSource ds) throws SQLException {
                    try (Connection c = ds.getConnection()) {
                        c.setReadOnly(true);
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void anErrorFindingExitsOneAndNamesRuleFileAndLine() throws Exception {
        Files.writeString(dir.resolve("Dao.java"), LEAK);
        CliRun run = CliRun.of("scan", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("Dao.java:5:24: error: SLC003 Connection 'c' opened here is not closed on any path");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void failOnNeverAndCleanCodeExitZero() throws Exception {
        Files.writeString(dir.resolve("Dao.java"), LEAK);
        assertThat(CliRun.of("scan", "--fail-on", "never", dir.toString()).exitCode()).isZero();
        Path clean = Files.writeString(dir.resolve("Clean.java"), CLEAN);
        CliRun run = CliRun.of("scan", clean.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("0 findings");
    }

    @Test
    void sarifGoesToTheOutputFile() throws Exception {
        Files.writeString(dir.resolve("Dao.java"), LEAK);
        Path report = dir.resolve("scan.sarif");
        CliRun run = CliRun.of("scan", "--format", "sarif", "--output", report.toString(), dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(Files.readString(report)).contains("\"version\": \"2.1.0\"", "\"ruleId\": \"SLC003\"");
    }

    @Test
    void aMissingPathIsOneLineAndExitTwo() {
        CliRun run = CliRun.of("scan", dir.resolve("missing").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("sluice scan: no such file or directory: " + dir.resolve("missing"));
    }

    @Test
    void anUnparseableFileIsAWarningAndTheScanGoesOn() throws Exception {
        Files.writeString(dir.resolve("Broken.java"), "class Broken {\n  void m( {\n}\n");
        Files.writeString(dir.resolve("Dao.java"), LEAK);
        CliRun run = CliRun.of("scan", dir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("sluice scan: ").contains("Broken.java:2: warning: does not parse").doesNotContain("\tat ");
        assertThat(run.out()).contains("SLC003");
    }

    @Test
    void aBadFormatOrThresholdIsAUsageError() {
        CliRun format = CliRun.of("scan", "--format", "xml", dir.toString());
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("unknown format 'xml'; the formats are text, json, sarif").doesNotContain("\tat ");
        CliRun failOn = CliRun.of("scan", "--fail-on", "sometimes", dir.toString());
        assertThat(failOn.exitCode()).isEqualTo(2);
        assertThat(failOn.err()).contains("--fail-on: unknown value 'sometimes'");
    }
}
