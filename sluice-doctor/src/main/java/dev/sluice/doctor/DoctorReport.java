package dev.sluice.doctor;

import dev.sluice.doctor.internal.ReportFormats;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a check found: the {@link #findings() findings}, errors first, and what was read from the
 * {@link #server() server}. Written out as {@link #toText() text}, {@link #toJson() JSON} or
 * {@link #toSarif() SARIF 2.1.0}.
 */
public final class DoctorReport {
    private final String target;
    private final String version;
    private final List<Finding> findings;
    private final Map<String, Object> server;

    DoctorReport(String target, String version, List<Finding> findings, Map<String, Object> server) {
        this.target = target;
        this.version = version;
        this.findings = List.copyOf(findings);
        this.server = Collections.unmodifiableMap(new LinkedHashMap<>(server));
    }

    /** Every finding: errors, then warnings, then info. */
    public List<Finding> findings() {
        return findings;
    }

    /** What was read from the server and measured while connecting, under the server's own setting names. */
    public Map<String, Object> server() {
        return server;
    }

    /** What was checked: the URL with its secrets hidden, the server, and the pool's size and instances. */
    public String target() {
        return target;
    }

    /** Whether any finding is an {@link Severity#ERROR}: the configuration cannot work as intended. */
    public boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
    }

    /** The findings of one rule, e.g. {@code "DOC-BUDGET"}. */
    public List<Finding> findings(String id) {
        return findings.stream().filter(f -> f.id().equals(id)).toList();
    }

    public String toText() {
        return ReportFormats.text(target, findings);
    }

    /**
     * {@code {"findings":[{"id":...,"severity":...,"message":...,"values":{...},"fix":...,"link":...}],"server":{...}}},
     * on one line.
     */
    public String toJson() {
        return ReportFormats.json(findings, server);
    }

    /** A SARIF 2.1.0 log with one result per finding (ruleId = the finding's id), for code-scanning dashboards. */
    public String toSarif() {
        return ReportFormats.sarif(target, version, findings, server);
    }

    @Override
    public String toString() {
        return toText();
    }
}
