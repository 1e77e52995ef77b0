package dev.sluice.testkit;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A set of ChaosDriver faults. Every component may be {@code null}: "not set here", so a runtime
 * layer ({@link Chaos}) can be laid over the URL's baseline with {@link #over(Faults)}. The
 * effective accessors ({@code connectDelayNanos()} and so on) apply the defaults.
 */
record Faults(
        Duration connectDelay,
        Boolean hangConnect,
        Double failConnect,
        String failConnectState,
        Duration executeDelay,
        Boolean hangExecute,
        Double failExecute,
        String failExecuteState,
        Chaos.IsValid isValid) {

    static final Faults NONE = new Faults(null, null, null, null, null, null, null, null, null);
    /** Every fault explicitly off: laid over any baseline, it disables it. */
    static final Faults HEALTHY = new Faults(Duration.ZERO, false, 0.0, null, Duration.ZERO, false, 0.0, null, Chaos.IsValid.OK);

    static final String DEFAULT_CONNECT_STATE = "08001";
    static final String DEFAULT_EXECUTE_STATE = "08006";
    /** A hang, as returned by the delay accessors. */
    static final long HANG = -1;

    private static final Pattern SQL_STATE = Pattern.compile("[0-9A-Z]{5}");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m)?");

    /** These faults where set, {@code base}'s elsewhere. */
    Faults over(Faults base) {
        return new Faults(
                pick(connectDelay, base.connectDelay),
                pick(hangConnect, base.hangConnect),
                pick(failConnect, base.failConnect),
                pick(failConnectState, base.failConnectState),
                pick(executeDelay, base.executeDelay),
                pick(hangExecute, base.hangExecute),
                pick(failExecute, base.failExecute),
                pick(failExecuteState, base.failExecuteState),
                pick(isValid, base.isValid));
    }

    private static <T> T pick(T over, T base) {
        return over != null ? over : base;
    }

    /** {@link #HANG}, or the connect delay in nanoseconds (0: none). */
    long connectDelayNanos() {
        return Boolean.TRUE.equals(hangConnect) ? HANG : connectDelay == null ? 0 : connectDelay.toNanos();
    }

    /** {@link #HANG}, or the execute delay in nanoseconds (0: none). */
    long executeDelayNanos() {
        return Boolean.TRUE.equals(hangExecute) ? HANG : executeDelay == null ? 0 : executeDelay.toNanos();
    }

    /** {@link #HANG} while {@code isValid} hangs, else 0. */
    long isValidDelayNanos() {
        return isValidMode() == Chaos.IsValid.HANG ? HANG : 0;
    }

    Chaos.IsValid isValidMode() {
        return isValid == null ? Chaos.IsValid.OK : isValid;
    }

    /** The SQLState of an injected connect failure now, or null for none this time. */
    String rollConnectFailure() {
        return roll(failConnect) ? (failConnectState == null ? DEFAULT_CONNECT_STATE : failConnectState) : null;
    }

    /** The SQLState of an injected execute failure now, or null for none this time. */
    String rollExecuteFailure() {
        return roll(failExecute) ? (failExecuteState == null ? DEFAULT_EXECUTE_STATE : failExecuteState) : null;
    }

    private static boolean roll(Double probability) {
        if (probability == null || probability <= 0) {
            return false;
        }
        return probability >= 1 || ThreadLocalRandom.current().nextDouble() < probability;
    }

    // ------------------------------------------------------------------------------------------
    // Parsing and checking

    /** Applies one {@code key=value} URL parameter, returning the new faults; {@code name} is not handled here. */
    Faults with(String key, String value) {
        switch (key) {
            case "connectDelay":
                return new Faults(duration(key, value), hangConnect, failConnect, failConnectState,
                        executeDelay, hangExecute, failExecute, failExecuteState, isValid);
            case "hangConnect":
                return new Faults(connectDelay, bool(key, value), failConnect, failConnectState,
                        executeDelay, hangExecute, failExecute, failExecuteState, isValid);
            case "failConnect":
                return new Faults(connectDelay, hangConnect, probability(key, value), failConnectState,
                        executeDelay, hangExecute, failExecute, failExecuteState, isValid);
            case "failConnectState":
                return new Faults(connectDelay, hangConnect, failConnect, sqlState(key, value),
                        executeDelay, hangExecute, failExecute, failExecuteState, isValid);
            case "executeDelay":
                return new Faults(connectDelay, hangConnect, failConnect, failConnectState,
                        duration(key, value), hangExecute, failExecute, failExecuteState, isValid);
            case "hangExecute":
                return new Faults(connectDelay, hangConnect, failConnect, failConnectState,
                        executeDelay, bool(key, value), failExecute, failExecuteState, isValid);
            case "failExecute":
                return new Faults(connectDelay, hangConnect, failConnect, failConnectState,
                        executeDelay, hangExecute, probability(key, value), failExecuteState, isValid);
            case "failExecuteState":
                return new Faults(connectDelay, hangConnect, failConnect, failConnectState,
                        executeDelay, hangExecute, failExecute, sqlState(key, value), isValid);
            case "isValid":
                return new Faults(connectDelay, hangConnect, failConnect, failConnectState,
                        executeDelay, hangExecute, failExecute, failExecuteState, isValidMode(key, value));
            default:
                throw new IllegalArgumentException("unknown ChaosDriver parameter '" + key + "'; known: name, connectDelay, "
                        + "hangConnect, failConnect, failConnectState, executeDelay, hangExecute, failExecute, "
                        + "failExecuteState, isValid");
        }
    }

    static Duration duration(String key, String value) {
        String v = value.trim();
        Duration d;
        var m = SHORT_DURATION.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "ms" : m.group(2);
            d = switch (unit) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofMillis(n);
            };
        } else {
            try {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(key + "=" + value + " is not a duration (e.g. 250ms, 2s, 1m, PT0.5S)", e);
            }
        }
        return checkDuration(key, d);
    }

    static Duration checkDuration(String key, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(key + "=" + d + " must be zero or positive");
        }
        return d;
    }

    static boolean bool(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.isEmpty()) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + "=" + value + " must be true or false");
    }

    static double probability(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        double p;
        if (v.equals("true")) {
            p = 1;
        } else if (v.equals("false")) {
            p = 0;
        } else {
            try {
                p = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + "=" + value + " must be a probability from 0 to 1 (or true/false)", e);
            }
        }
        return checkProbability(key, p);
    }

    static double checkProbability(String key, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(key + "=" + p + " must be a probability from 0 to 1");
        }
        return p;
    }

    static String sqlState(String key, String value) {
        String v = value == null ? null : value.trim().toUpperCase(Locale.ROOT);
        if (v == null || !SQL_STATE.matcher(v).matches()) {
            throw new IllegalArgumentException(key + "=" + value + " must be a SQLState: five digits or capital letters (e.g. 08001, 28P01)");
        }
        return v;
    }

    static Chaos.IsValid isValidMode(String key, String value) {
        try {
            return Chaos.IsValid.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + "=" + value + " must be ok, false or hang", e);
        }
    }
}
