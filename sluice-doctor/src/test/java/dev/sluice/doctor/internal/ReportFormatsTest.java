package dev.sluice.doctor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.doctor.Finding;
import dev.sluice.doctor.Severity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportFormatsTest {
    static final Finding BUDGET = new Finding("DOC-BUDGET", Severity.ERROR, "120 > 97", Map.of("fleet", 120L), "lower it", Findings.LINK);
    static final Finding REACH = new Finding("DOC-REACH", Severity.INFO, "connected", Map.of("tls", false), "", Findings.LINK);

    @Test
    void jsonEscapesQuotesBackslashesAndControlCharacters() {
        assertThat(Json.write("a\"b\\c\nd\te\u0001f\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", 3L);
        m.put("ok", true);
        m.put("none", null);
        m.put("list", List.of("x", 1L));
        assertThat(Json.write(m)).isEqualTo("{\"n\":3,\"ok\":true,\"none\":null,\"list\":[\"x\",1]}");
    }

    @Test
    void jsonHasTheDocumentedShape() {
        String json = ReportFormats.json(List.of(BUDGET), Map.of("max_connections", 100L));

        assertThat(json).isEqualTo("{\"findings\":[{\"id\":\"DOC-BUDGET\",\"severity\":\"error\",\"message\":\"120 > 97\","
                + "\"values\":{\"fleet\":120},\"fix\":\"lower it\",\"link\":\"" + Findings.LINK + "\"}],\"server\":{\"max_connections\":100}}");
    }

    @Test
    void sarifHasOneResultPerFindingWithTheIdAsRuleId() {
        String sarif = ReportFormats.sarif("jdbc:postgresql://db/app", "0.1.0", List.of(BUDGET, REACH), Map.of());

        assertThat(sarif).startsWith("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[")
                .contains("\"name\":\"sluice doctor\"")
                .contains("\"ruleId\":\"DOC-BUDGET\",\"level\":\"error\"")
                .contains("\"ruleId\":\"DOC-REACH\",\"level\":\"note\"")
                .contains("\"rules\":[{\"id\":\"DOC-BUDGET\",\"helpUri\":\"" + Findings.LINK + "\"},{\"id\":\"DOC-REACH\"");
        assertThat(sarif.split("\"ruleId\"", -1)).hasSize(3);
    }

    @Test
    void textListsEachFindingWithItsValuesAndFixAndCountsThem() {
        String text = ReportFormats.text("jdbc:postgresql://db/app", List.of(BUDGET, REACH));

        assertThat(text).startsWith("sluice doctor: jdbc:postgresql://db/app\n\nerror   DOC-BUDGET    120 > 97\n")
                .contains("        values: fleet=120\n        fix:    lower it\n")
                .endsWith("1 error, 0 warnings, 1 info. Every rule is explained at " + Findings.LINK + "\n");
    }
}
