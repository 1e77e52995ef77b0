package dev.sluice.sim;

import dev.sluice.Sizing;
import dev.sluice.SluiceConfig;
import java.time.Duration;
import java.util.Locale;

/**
 * How one run's pool is sized: FIXED n (maximumPoolSize = minimumIdle = n, filled before the load
 * starts) or ADAPTIVE between a floor and a ceiling with the controller's knobs.
 *
 * @param headroom  sizingHeadroom (ADAPTIVE only)
 * @param interval  sizingInterval (ADAPTIVE only)
 */
public record PoolSetup(Sizing sizing, int minimumIdle, int maximumPoolSize, double headroom, Duration interval) {

    /** Every run's acquisition deadline: long enough to queue, short enough that an overload shows as timeouts. */
    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    /** SluiceConfig's defaults, named here so a label can say when a run departs from them. */
    static final double DEFAULT_HEADROOM = 1.5;
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    public static PoolSetup fixed(int size) {
        return new PoolSetup(Sizing.FIXED, size, size, Double.NaN, null);
    }

    public static PoolSetup adaptive(int floor, int ceiling, double headroom, Duration interval) {
        return new PoolSetup(Sizing.ADAPTIVE, floor, ceiling, headroom, interval);
    }

    public boolean isAdaptive() {
        return sizing != Sizing.FIXED;
    }

    /** "FIXED 8", "ADAPTIVE 2–32"; knobs off their defaults are named: "ADAPTIVE 2–32, sizingInterval=250ms". */
    public String label() {
        if (!isAdaptive()) {
            return sizing + " " + maximumPoolSize;
        }
        StringBuilder b = new StringBuilder(sizing + " " + minimumIdle + "–" + maximumPoolSize);
        if (headroom != DEFAULT_HEADROOM) {
            b.append(String.format(Locale.ROOT, ", sizingHeadroom=%.1f", headroom));
        }
        if (!interval.equals(DEFAULT_INTERVAL)) {
            b.append(", sizingInterval=").append(interval.toMillis()).append("ms");
        }
        return b.toString();
    }

    /** The knobs, for the report. */
    public String knobs() {
        if (!isAdaptive()) {
            return "maximumPoolSize=" + maximumPoolSize + ", minimumIdle=" + minimumIdle;
        }
        return String.format(Locale.ROOT, "sizing=%s, minimumIdle=%d, maximumPoolSize=%d, sizingHeadroom=%.1f, sizingInterval=%dms",
                sizing, minimumIdle, maximumPoolSize, headroom, interval.toMillis());
    }

    SluiceConfig.Builder configure(SluiceConfig.Builder b) {
        b.maximumPoolSize(maximumPoolSize).minimumIdle(minimumIdle).connectionTimeout(CONNECTION_TIMEOUT).sizing(sizing);
        if (isAdaptive()) {
            b.sizingHeadroom(headroom).sizingInterval(interval);
        }
        return b;
    }
}
