package dev.sluice.scan;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** The report formats: text for people, JSON for scripts, SARIF 2.1.0 for code scanning. */
public enum ReportFormat {
    TEXT, JSON, SARIF;

    /** The SARIF key under {@code partialFingerprints}; {@link Baseline} reads it back. */
    static final String FINGERPRINT_KEY = "sluiceFingerprint/v1";

    /** The format named on the command line ({@code text}, {@code json}, {@code sarif}). */
    public static ReportFormat parse(String name) {
        for (ReportFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; the formats are text, json, sarif");
    }

    /** The whole report as one string. */
    public String render(ScanResult result, String version) {
        return switch (this) {
            case TEXT -> text(result);
            case JSON -> json(result, version);
            case SARIF -> sarif(result, version);
        };
    }

    private static String text(ScanResult result) {
        StringBuilder sb = new StringBuilder();
        int[] counts = new int[Severity.values().length];
        for (Finding f : result.findings()) {
            counts[f.severity().ordinal()]++;
            sb.append(f.path()).append(':').append(f.line()).append(':').append(f.column()).append(": ")
                    .append(f.severity().label()).append(": ").append(f.rule().id()).append(' ').append(f.message()).append('\n');
        }
        sb.append(result.findings().size()).append(result.findings().size() == 1 ? " finding" : " findings")
                .append(" (").append(counts[0]).append(" errors, ").append(counts[1]).append(" warnings, ")
                .append(counts[2]).append(" notes) in ").append(result.filesParsed()).append(" files, ")
                .append(result.lines()).append(" lines\n");
        return sb.toString();
    }

    private static String json(ScanResult result, String version) {
        StringBuilder sb = new StringBuilder("{\n  \"tool\": \"sluice scan\",\n  \"version\": ").append(Json.quote(version))
                .append(",\n  \"files\": ").append(result.filesParsed()).append(",\n  \"lines\": ").append(result.lines())
                .append(",\n  \"findings\": [");
        List<Finding> findings = result.findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"rule\": ").append(Json.quote(f.rule().id()))
                    .append(", \"severity\": ").append(Json.quote(f.severity().label()))
                    .append(", \"path\": ").append(Json.quote(f.path()))
                    .append(", \"line\": ").append(f.line()).append(", \"column\": ").append(f.column())
                    .append(", \"message\": ").append(Json.quote(f.message()))
                    .append(", \"fingerprint\": ").append(Json.quote(f.fingerprint())).append('}');
        }
        sb.append(findings.isEmpty() ? "],\n" : "\n  ],\n").append("  \"problems\": [");
        List<ScanProblem> problems = result.problems();
        for (int i = 0; i < problems.size(); i++) {
            ScanProblem p = problems.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"level\": ").append(Json.quote(p.warning() ? "warning" : "note"))
                    .append(", \"path\": ").append(Json.quote(p.path())).append(", \"line\": ").append(p.line())
                    .append(", \"message\": ").append(Json.quote(p.message())).append('}');
        }
        return sb.append(problems.isEmpty() ? "]\n}\n" : "\n  ]\n}\n").toString();
    }

    private static String sarif(ScanResult result, String version) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n")
                .append("      \"tool\": {\n        \"driver\": {\n          \"name\": \"sluice scan\",\n")
                .append("          \"informationUri\": \"https://github.com/sluice-dev/sluice\",\n")
                .append("          \"version\": ").append(Json.quote(version)).append(",\n          \"rules\": [");
        Rule[] rules = Rule.values();
        for (int i = 0; i < rules.length; i++) {
            Rule r = rules[i];
            sb.append(i == 0 ? "\n" : ",\n").append("            {\"id\": ").append(Json.quote(r.id()))
                    .append(", \"name\": ").append(Json.quote(camel(r.slug())))
                    .append(", \"shortDescription\": {\"text\": ").append(Json.quote(r.title())).append('}')
                    .append(", \"fullDescription\": {\"text\": ").append(Json.quote(r.help())).append('}')
                    .append(", \"help\": {\"text\": ").append(Json.quote(r.help())).append('}')
                    .append(", \"defaultConfiguration\": {\"level\": ").append(Json.quote(level(r.severity()))).append('}')
                    .append(", \"properties\": {\"tags\": [\"jdbc\", \"reliability\"]}}");
        }
        sb.append("\n          ]\n        }\n      },\n      \"columnKind\": \"utf16CodeUnits\",\n      \"results\": [");
        List<Finding> findings = result.findings();
        for (int i = 0; i < findings.size(); i++) {
            Finding f = findings.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("        {\"ruleId\": ").append(Json.quote(f.rule().id()))
                    .append(", \"ruleIndex\": ").append(f.rule().ordinal())
                    .append(", \"level\": ").append(Json.quote(level(f.severity())))
                    .append(", \"message\": {\"text\": ").append(Json.quote(f.message())).append('}')
                    .append(", \"locations\": [").append(location(f.path(), f.line(), f.column())).append(']')
                    .append(", \"partialFingerprints\": {").append(Json.quote(FINGERPRINT_KEY)).append(": ")
                    .append(Json.quote(f.fingerprint())).append("}}");
        }
        sb.append(findings.isEmpty() ? "],\n" : "\n      ],\n");
        sb.append("      \"invocations\": [\n        {\"executionSuccessful\": true, \"toolExecutionNotifications\": [");
        List<ScanProblem> problems = result.problems();
        for (int i = 0; i < problems.size(); i++) {
            ScanProblem p = problems.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("          {\"level\": ").append(Json.quote(p.warning() ? "warning" : "note"))
                    .append(", \"message\": {\"text\": ").append(Json.quote(p.message())).append('}')
                    .append(", \"locations\": [").append(location(p.path(), p.line(), 0)).append("]}");
        }
        sb.append(problems.isEmpty() ? "]}\n" : "\n        ]}\n").append("      ]\n    }\n  ]\n}\n");
        return sb.toString();
    }

    private static String location(String path, int line, int column) {
        StringBuilder sb = new StringBuilder("{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ")
                .append(Json.quote(uri(path))).append(", \"uriBaseId\": \"%SRCROOT%\"}");
        if (line > 0) {
            sb.append(", \"region\": {\"startLine\": ").append(line);
            if (column > 0) {
                sb.append(", \"startColumn\": ").append(column);
            }
            sb.append('}');
        }
        return sb.append("}}").toString();
    }

    /** A relative path as a URI reference: spaces and other reserved characters percent-encoded. */
    private static String uri(String path) {
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            return path.replace(" ", "%20");
        }
    }

    private static String level(Severity s) {
        return s == Severity.NOTE ? "note" : s.label();
    }

    private static String camel(String slug) {
        StringBuilder sb = new StringBuilder();
        for (String part : slug.split("-")) {
            sb.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return sb.toString();
    }
}
