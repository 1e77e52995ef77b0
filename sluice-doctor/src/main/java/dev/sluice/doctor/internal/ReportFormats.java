package dev.sluice.doctor.internal;

import dev.sluice.doctor.Finding;
import dev.sluice.doctor.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The three ways a report is written: text for people, JSON for scripts, SARIF for code-scanning dashboards. */
public final class ReportFormats {
    private static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private ReportFormats() {
    }

    /**
     * A header line, then one block per finding (severity, id and message on the first line;
     * values, fix and link indented under it), then the count by severity.
     */
    public static String text(String target, List<Finding> findings) {
        StringBuilder s = new StringBuilder("sluice doctor: ").append(target).append('\n');
        for (Finding f : findings) {
            s.append('\n').append(String.format(Locale.ROOT, "%-8s%-14s", f.severity().label(), f.id())).append(f.message()).append('\n');
            if (!f.values().isEmpty()) {
                List<String> pairs = new ArrayList<>();
                f.values().forEach((k, v) -> pairs.add(k + "=" + v));
                s.append("        values: ").append(String.join(", ", pairs)).append('\n');
            }
            if (!f.fix().isEmpty()) {
                s.append("        fix:    ").append(f.fix()).append('\n');
            }
        }
        long errors = count(findings, Severity.ERROR);
        long warnings = count(findings, Severity.WARNING);
        long infos = count(findings, Severity.INFO);
        s.append('\n').append(plural(errors, "error")).append(", ").append(plural(warnings, "warning")).append(", ")
                .append(infos).append(" info. Every rule is explained at ").append(Findings.LINK).append('\n');
        return s.toString();
    }

    /** {@code {"findings":[{"id","severity","message","values","fix"}...],"server":{...}}}, plus each finding's link. */
    public static String json(List<Finding> findings, Map<String, Object> server) {
        List<Object> list = new ArrayList<>();
        for (Finding f : findings) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", f.id());
            m.put("severity", f.severity().label());
            m.put("message", f.message());
            m.put("values", f.values());
            m.put("fix", f.fix());
            m.put("link", f.link());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("findings", list);
        root.put("server", server);
        return Json.write(root);
    }

    /**
     * SARIF 2.1.0: one run of the tool "sluice doctor", one rule per id that occurs, one result per
     * finding with ruleId = the finding's id. The checked URL (secrets hidden) is the result's
     * logical location, as there is no source file to point at.
     */
    public static String sarif(String target, String version, List<Finding> findings, Map<String, Object> server) {
        Map<String, Map<String, Object>> rules = new LinkedHashMap<>();
        List<Object> results = new ArrayList<>();
        for (Finding f : findings) {
            rules.computeIfAbsent(f.id(), id -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", id);
                r.put("helpUri", f.link());
                return r;
            });
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", f.id());
            result.put("level", switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "note";
            });
            result.put("message", Map.of("text", f.fix().isEmpty() ? f.message() : f.message() + ". Fix: " + f.fix()));
            result.put("locations", List.of(Map.of("logicalLocations", List.of(Map.of("name", target, "kind", "resource")))));
            result.put("properties", Map.of("values", f.values()));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "sluice doctor");
        driver.put("version", version);
        driver.put("informationUri", Findings.LINK);
        driver.put("rules", new ArrayList<>(rules.values()));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        run.put("properties", Map.of("server", server));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", SARIF_SCHEMA);
        root.put("version", "2.1.0");
        root.put("runs", List.of(run));
        return Json.write(root);
    }

    private static long count(List<Finding> findings, Severity s) {
        return findings.stream().filter(f -> f.severity() == s).count();
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
