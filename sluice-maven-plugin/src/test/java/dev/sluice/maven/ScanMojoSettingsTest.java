package dev.sluice.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.scan.Finding;
import dev.sluice.scan.ReportFormat;
import dev.sluice.scan.Rule;
import dev.sluice.scan.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;

/** The goal's parameters as a pom spells them; the goal itself runs in the builds under src/it. */
class ScanMojoSettingsTest {
    @Test
    void failOnAcceptsTheThreeValuesInAnyCase() throws Exception {
        assertThat(ScanMojo.threshold("error")).isEqualTo(Severity.ERROR);
        assertThat(ScanMojo.threshold(" Warning ")).isEqualTo(Severity.WARNING);
        assertThat(ScanMojo.threshold("never")).isNull();
    }

    @Test
    void unknownFailOnNamesTheParameterAndTheValues() {
        assertThatThrownBy(() -> ScanMojo.threshold("critical"))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessage("sluice scan: failOn: unknown value 'critical'; the values are error, warning, never");
    }

    @Test
    void formatsMayBeAListOrCommaSeparatedAndRepeatNothing() throws Exception {
        assertThat(ScanMojo.reportFormats(List.of("sarif,json", "text", "json")))
                .containsExactly(ReportFormat.SARIF, ReportFormat.JSON, ReportFormat.TEXT);
        assertThat(ScanMojo.reportFormats(List.of())).containsExactly(ReportFormat.SARIF);
        assertThatThrownBy(() -> ScanMojo.reportFormats(List.of("xml")))
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageContaining("formats: unknown format 'xml'");
    }

    @Test
    void laterFormatsAreWrittenBesideTheFirstWithTheirOwnExtension() {
        Path first = Path.of("target", "sluice-scan.sarif");
        assertThat(ScanMojo.sibling(first, ReportFormat.JSON)).isEqualTo(Path.of("target", "sluice-scan.json"));
        assertThat(ScanMojo.sibling(first, ReportFormat.TEXT)).isEqualTo(Path.of("target", "sluice-scan.txt"));
    }

    @Test
    void failureMessageListsFindingsAndCapsTheList() {
        List<Finding> many = new ArrayList<>();
        for (int i = 1; i <= ScanMojo.LISTED_FINDINGS + 3; i++) {
            many.add(new Finding(Rule.SLC003, Severity.ERROR, "src/main/java/A.java", i, 5, "Connection 'c' leaks", "f" + i));
        }
        String message = ScanMojo.failureMessage(many, Severity.ERROR, Path.of("target/sluice-scan.sarif"));
        assertThat(message).startsWith("sluice scan: 53 findings at or above error:\n  src/main/java/A.java:1:5: error: ")
                .contains("  ... and 3 more\n")
                .endsWith("-Dsluice.scan.failOn=never.");
        assertThat(message.lines().filter(l -> l.startsWith("  src/")).count()).isEqualTo(ScanMojo.LISTED_FINDINGS);
    }
}
