package dev.sluice.scan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Findings accepted earlier: a previous JSON or SARIF report of this tool. Findings whose
 * fingerprint it holds are left out, so a team can switch the scan on and fail only on new ones.
 */
public final class Baseline {
    private static final Pattern FINGERPRINT = Pattern.compile(
            "\"(?:fingerprint|" + Pattern.quote(ReportFormat.FINGERPRINT_KEY) + ")\"\\s*:\\s*\"([0-9a-f]{8,64})\"");

    private final Set<String> fingerprints;

    private Baseline(Set<String> fingerprints) {
        this.fingerprints = fingerprints;
    }

    /** Reads the fingerprints of a report written with {@code --format json} or {@code --format sarif}. */
    public static Baseline read(Path report) throws ScanException {
        String text;
        try {
            text = Files.readString(report, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScanException("cannot read baseline " + report + ": " + e.getClass().getSimpleName(), e);
        }
        Set<String> found = new HashSet<>();
        Matcher m = FINGERPRINT.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        if (found.isEmpty() && !text.contains("\"findings\"") && !text.contains("\"runs\"")) {
            throw new ScanException("baseline " + report + " is not a JSON or SARIF report of sluice scan");
        }
        return new Baseline(found);
    }

    /** The result without the findings the baseline accepted. */
    public ScanResult apply(ScanResult result) {
        List<Finding> fresh = new ArrayList<>();
        for (Finding f : result.findings()) {
            if (!fingerprints.contains(f.fingerprint())) {
                fresh.add(f);
            }
        }
        return new ScanResult(fresh, result.problems(), result.filesParsed(), result.lines());
    }
}
