package dev.sluice;

import static dev.sluice.internal.KnobRules.fmt;

import java.sql.Connection;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Knob values as text: read from a {@code Properties} value or a name, and written into the
 * {@link InvalidConfigException} of a value that is refused. Setters, the property binding and
 * the credentials provider loader all fail through here, so a refused password is never shown.
 */
final class KnobText {
    private KnobText() {
    }

    /** The exception for one bad value: a setter's, or a property's that cannot be parsed. */
    static InvalidConfigException invalid(String knob, Object value, String message) {
        return new InvalidConfigException(List.of(new InvalidConfigException.Violation(knob, shown(knob, value), message)));
    }

    static InvalidConfigException invalid(String knob, Object value, String message, Throwable cause) {
        return new InvalidConfigException(new InvalidConfigException.Violation(knob, shown(knob, value), message), cause);
    }

    private static String shown(String knob, Object value) {
        if (value == null) {
            return null;
        }
        if (knob.toLowerCase(Locale.ROOT).contains("password")) {
            return "<hidden>";
        }
        return value instanceof Duration d ? fmt(d) : String.valueOf(value);
    }

    static String quote(String v) {
        return v == null ? "null" : "'" + v + "'";
    }

    /** Parses a duration knob: plain numbers are milliseconds; {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code PT30S}. */
    static Duration parseDuration(String knob, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("-pt")) {
                return Duration.parse(text.trim());
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(t));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw invalid(knob, text, knob + "=" + quote(text)
                    + " must be a duration: milliseconds (30000) or 500ms, 30s, 5m, 1h, PT30S", e);
        }
    }

    /** The constant of {@code type} named {@code v}, ignoring case; the error lists every name. */
    static <E extends Enum<E>> E named(String knob, String v, Class<E> type) {
        StringJoiner names = new StringJoiner(", ");
        for (E e : type.getEnumConstants()) {
            if (v != null && e.name().equalsIgnoreCase(v.trim())) {
                return e;
            }
            names.add(e.name());
        }
        throw invalid(knob, v, knob + "=" + quote(v) + " must be one of " + names);
    }

    /**
     * The {@link Connection} isolation constant named {@code v} ({@code TRANSACTION_READ_COMMITTED},
     * {@code read committed}) or given as its number, which the caller checks as any other number.
     */
    static int isolationLevel(String v) {
        String n = v == null ? "" : v.trim().toUpperCase(Locale.ROOT).replace(' ', '_');
        if (n.startsWith("TRANSACTION_")) {
            n = n.substring("TRANSACTION_".length());
        }
        return switch (n) {
            case "NONE" -> Connection.TRANSACTION_NONE;
            case "READ_UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
            case "READ_COMMITTED" -> Connection.TRANSACTION_READ_COMMITTED;
            case "REPEATABLE_READ" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> {
                try {
                    yield Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    throw invalid("transactionIsolation", v, "transactionIsolation=" + quote(v)
                            + " must be one of TRANSACTION_NONE, TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED,"
                            + " TRANSACTION_REPEATABLE_READ, TRANSACTION_SERIALIZABLE", e);
                }
            }
        };
    }
}
