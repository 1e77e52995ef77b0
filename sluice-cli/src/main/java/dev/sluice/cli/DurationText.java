package dev.sluice.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as people type and read them on a command line: {@code 500ms}, {@code 20s},
 * {@code 2m}, {@code 1h}, ISO-8601 {@code PT20S}. A bare number is refused rather than guessed:
 * "20" could mean seconds to one reader and milliseconds to the next.
 */
final class DurationText {
    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private DurationText() {
    }

    /** Parses {@code text}; the exception message is written to follow the option name. */
    static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw notADuration(text);
            }
        }
        Matcher m = AMOUNT_AND_UNIT.matcher(t);
        if (!m.matches()) {
            throw notADuration(text);
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException tooLong) {
            throw notADuration(text);
        }
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            case "m":
                return Duration.ofMinutes(amount);
            default:
                return Duration.ofHours(amount);
        }
    }

    /**
     * A short form for live views: {@code 0}, {@code <1µs}, {@code 850µs}, {@code 12.3ms},
     * {@code 1.25s}, {@code 20s}, {@code 3m05s}. The pool records a borrow served at once as
     * exactly zero (it reads the clock once on that path), so zero is shown as a plain 0, not as a
     * measured "0µs".
     */
    static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s"; // with a unit like every other figure, so a column never shows a bare number
        }
        if (nanos < 1_000) {
            return "<1µs";
        }
        if (nanos < 1_000_000) {
            return (nanos / 1_000) + "µs";
        }
        if (nanos < 1_000_000_000) {
            return decimal(nanos / 1e6, nanos < 10_000_000 ? 2 : 1) + "ms";
        }
        if (nanos < 60_000_000_000L) {
            return decimal(nanos / 1e9, 2) + "s";
        }
        return seconds(d);
    }

    /** Whole seconds, for elapsed-time columns: {@code 9s}, {@code 2m05s}. */
    static String seconds(Duration d) {
        long s = d.toSeconds();
        return s < 60 ? s + "s" : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }

    /** {@code value} with at most {@code places} decimals and no trailing zeros: 1.5, 12, 3.25. */
    private static String decimal(double value, int places) {
        String text = String.format(Locale.ROOT, "%." + places + "f", value);
        return text.contains(".") ? text.replaceAll("\\.?0+$", "") : text;
    }

    private static IllegalArgumentException notADuration(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; write it as 500ms, 20s, 2m, 1h or PT20S");
    }

    /** Lets picocli report a bad value as "Invalid value for option '--duration': ...". */
    static final class Converter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
