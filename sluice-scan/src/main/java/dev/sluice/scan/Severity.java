package dev.sluice.scan;

import java.util.Locale;

/** How serious a finding is; {@code --fail-on} compares against it. */
public enum Severity {
    /** A resource leak or a deadlock: fails the build by default. */
    ERROR,
    /** Likely wrong, or wrong only on some paths. */
    WARNING,
    /** Worth knowing, harmless as written (SARIF level {@code note}). */
    NOTE;

    /** The lower-case name used in reports and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a finding of this severity reaches {@code threshold} (ERROR is the highest). */
    public boolean atLeast(Severity threshold) {
        return ordinal() <= threshold.ordinal();
    }
}
