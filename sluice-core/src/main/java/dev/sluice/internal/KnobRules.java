package dev.sluice.internal;

import dev.sluice.InvalidConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The ranges of the knobs that can change while a pool runs, and the one wording of their
 * errors. {@link dev.sluice.SluiceConfig.Builder} checks them at build and {@link RuntimeSettings}
 * at a runtime change, so a value is accepted or refused with the same message either way.
 * Public only so the API package can reach it; the package is not exported.
 */
public final class KnobRules {
    public static final int MAX_POOL_SIZE_LIMIT = 10_000;
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(50);
    public static final Duration MIN_VALIDATION_TIMEOUT = Duration.ofMillis(50);
    public static final Duration MIN_AGE_KNOB = Duration.ofSeconds(1);
    public static final Duration MIN_LEAK_THRESHOLD = Duration.ofMillis(100);

    private KnobRules() {
    }

    public static int maximumPoolSize(int v) {
        if (v < 1 || v > MAX_POOL_SIZE_LIMIT) {
            throw invalid("maximumPoolSize", String.valueOf(v), "maximumPoolSize=" + v + " must be between 1 and " + MAX_POOL_SIZE_LIMIT);
        }
        return v;
    }

    /** The range a minimumIdle can have before maximumPoolSize is known. */
    public static int minimumIdle(int v) {
        if (v < 0 || v > MAX_POOL_SIZE_LIMIT) {
            throw invalid("minimumIdle", String.valueOf(v), "minimumIdle=" + v + " must be between 0 and maximumPoolSize");
        }
        return v;
    }

    /** The message of a minimumIdle above maximumPoolSize, at build and at resize. */
    public static String minimumIdleAboveMaximum(int minimumIdle, int maximumPoolSize) {
        return "minimumIdle=" + minimumIdle + " must be between 0 and maximumPoolSize=" + maximumPoolSize;
    }

    public static Duration atLeast(String knob, Duration v, Duration min) {
        Objects.requireNonNull(v, knob);
        if (v.compareTo(min) < 0) {
            throw invalid(knob, fmt(v), knob + "=" + fmt(v) + " must be at least " + fmt(min));
        }
        return v;
    }

    /** {@code v} no less than {@code min} (named as {@link #atLeast} names it) and no more than {@code max}. */
    public static Duration between(String knob, Duration v, Duration min, Duration max) {
        atLeast(knob, v, min);
        if (v.compareTo(max) > 0) {
            throw invalid(knob, fmt(v), knob + "=" + fmt(v) + " must be between " + fmt(min) + " and " + fmt(max));
        }
        return v;
    }

    public static Duration zeroOrAtLeast(String knob, Duration v, Duration min) {
        Objects.requireNonNull(v, knob);
        if (!v.isZero() && v.compareTo(min) < 0) {
            throw invalid(knob, fmt(v), knob + "=" + fmt(v) + " must be 0 (off) or at least " + fmt(min));
        }
        return v;
    }

    /** How every configuration message shows a duration: {@code 0}, {@code 30s}, {@code 250ms}. */
    public static String fmt(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms = d.toMillis();
        if (ms % 1000 == 0 && ms != 0) {
            return (ms / 1000) + "s";
        }
        return ms + "ms";
    }

    static InvalidConfigException invalid(String knob, String shown, String message) {
        return new InvalidConfigException(List.of(new InvalidConfigException.Violation(knob, shown, message)));
    }
}
