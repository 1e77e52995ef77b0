package dev.sluice.scan;

import java.util.List;

/**
 * What a scan found.
 *
 * @param findings    every finding, by file and line
 * @param problems    files skipped or not parsed
 * @param filesParsed how many Java files were analysed
 * @param lines       how many lines they have
 */
public record ScanResult(List<Finding> findings, List<ScanProblem> problems, int filesParsed, long lines) {
    public ScanResult {
        findings = List.copyOf(findings);
        problems = List.copyOf(problems);
    }
}
