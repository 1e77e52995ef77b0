package dev.sluice.doctor.internal;

import java.time.Duration;

/**
 * Durations as the reports print them: the largest unit that keeps the value whole ({@code 45s},
 * {@code 2m}, {@code 8h}, {@code 1500ms}), so a value reads the way it was most likely written.
 */
public final class TimeText {
    private TimeText() {
    }

    public static String of(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** A pool knob where zero means "off". */
    public static String knob(Duration d) {
        return d.isZero() ? "0 (off)" : of(d);
    }

    /** A server setting where zero means "off"; null stays null. */
    static String setting(Duration d) {
        return d == null ? null : d.isZero() ? "0 (off)" : of(d);
    }
}
