package dev.sluice.doctor;

import java.util.Locale;

/** How much a {@link Finding} matters; {@code sluice doctor} exits 1 when any finding is an {@link #ERROR}. */
public enum Severity {
    /** The configuration cannot work as intended against this server: connections will be refused, dropped or deadlock. */
    ERROR,
    /** It works, but with a known risk or cost (no timeout to stop a runaway transaction, more connections than cores). */
    WARNING,
    /** What was measured or decided, for the record. */
    INFO;

    /** The lower-case name used in every output format: {@code error}, {@code warning}, {@code info}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
