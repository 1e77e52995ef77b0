package dev.sluice.sim;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A scripted workload: the arrival rate of borrows and the database's slowdown factor as functions
 * of time since the run started. The load is open-loop: arrivals follow the rate whatever the pool
 * and the database do, as requests to a service do, so a pool that is too small shows up as
 * queueing (wait, then timeouts) instead of as a politely lower request rate.
 *
 * <p>Each statement takes {@link #BASE_SERVICE} on a healthy database; the rates below are chosen
 * against the stand-in's 8 cores ({@link Backend.Sim#CORES}), i.e. a capacity of 400 statements per
 * second, so that every profile but the slowdown stays within it: steady needs 2 statements
 * running on average (25% of the cores), the diurnal peak 4, the spike 5 (62%); the slowdown
 * asks for 10 cores' worth (125%), so the database is saturated whatever the pool does.
 *
 * @param name        the profile's name on the command line and in the report
 * @param description one line for the report
 * @param length      how long arrivals run
 * @param eventStart  start of the profile's event (spike, slowdown) in seconds, or NaN if none
 * @param eventEnd    end of the event in seconds, or NaN
 */
public record LoadProfile(String name, String description, Duration length, Kind kind, double eventStart, double eventEnd) {

    /**
     * Healthy service time of one statement. Long enough that a busy 2-core machine's scheduling
     * delays (a few milliseconds per wake-up) stay small next to it: the runs measure the pool,
     * not the simulating machine.
     */
    public static final Duration BASE_SERVICE = Duration.ofMillis(20);

    /** The shapes. */
    public enum Kind {
        STEADY, DIURNAL, SPIKE, SLOWDOWN
    }

    static final double STEADY_RATE = 100;
    static final double DIURNAL_LOW = 10;
    static final double DIURNAL_HIGH = 200;
    static final double SPIKE_BASE = 25;
    static final double SPIKE_FACTOR = 10;
    static final double SPIKE_SECONDS = 5;
    static final double SLOWDOWN_RATE = 100;
    static final double SLOWDOWN_FACTOR = 5;

    public static final List<String> NAMES = List.of("steady", "diurnal", "spike", "slowdown");

    /** The profile called {@code name}, stretched to {@code length}. */
    public static LoadProfile named(String name, Duration length) {
        double s = length.toMillis() / 1000.0;
        switch (name.toLowerCase(Locale.ROOT)) {
            case "steady":
                return new LoadProfile("steady", fmt("%.0f borrows/s throughout", STEADY_RATE), length, Kind.STEADY,
                        Double.NaN, Double.NaN);
            case "diurnal":
                return new LoadProfile("diurnal", fmt("%.0f → %.0f → %.0f borrows/s (a day squeezed into the run)",
                        DIURNAL_LOW, DIURNAL_HIGH, DIURNAL_LOW), length, Kind.DIURNAL, Double.NaN, Double.NaN);
            case "spike": {
                double start = Math.max(0, s / 2 - SPIKE_SECONDS / 2);
                return new LoadProfile("spike", fmt("%.0f borrows/s, ×%.0f (%.0f/s) for %.0f s in the middle", SPIKE_BASE,
                        SPIKE_FACTOR, SPIKE_BASE * SPIKE_FACTOR, Math.min(SPIKE_SECONDS, s)), length, Kind.SPIKE, start,
                        Math.min(s, start + SPIKE_SECONDS));
            }
            case "slowdown":
                return new LoadProfile("slowdown", fmt("%.0f borrows/s; the database ×%.0f slower from %.0f%% to %.0f%% of the run",
                        SLOWDOWN_RATE, SLOWDOWN_FACTOR, 40.0, 65.0), length, Kind.SLOWDOWN, 0.40 * s, 0.65 * s);
            default:
                throw new IllegalArgumentException("profile=" + name + " must be one of " + String.join(", ", NAMES));
        }
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    public boolean hasEvent() {
        return !Double.isNaN(eventStart);
    }

    /** Borrows per second at {@code t} seconds into the run. */
    public double rate(double t) {
        double s = length.toMillis() / 1000.0;
        switch (kind) {
            case STEADY:
                return STEADY_RATE;
            case DIURNAL:
                return DIURNAL_LOW + (DIURNAL_HIGH - DIURNAL_LOW) * (1 - Math.cos(2 * Math.PI * t / s)) / 2;
            case SPIKE:
                return t >= eventStart && t < eventEnd ? SPIKE_BASE * SPIKE_FACTOR : SPIKE_BASE;
            case SLOWDOWN:
                return SLOWDOWN_RATE;
            default:
                throw new AssertionError(kind);
        }
    }

    /** The database's slowdown factor at {@code t} seconds into the run (1 = healthy). */
    public double slowdown(double t) {
        return kind == Kind.SLOWDOWN && t >= eventStart && t < eventEnd ? SLOWDOWN_FACTOR : 1.0;
    }

    /** Expected number of arrivals over the whole run (the rate's integral, in steps of 10 ms). */
    public double expectedArrivals() {
        double s = length.toMillis() / 1000.0;
        double sum = 0;
        for (double t = 0; t < s; t += 0.01) {
            sum += rate(t) * 0.01;
        }
        return sum;
    }
}
