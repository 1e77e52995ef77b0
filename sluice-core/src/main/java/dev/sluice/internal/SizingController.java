package dev.sluice.internal;

import dev.sluice.SizingDecision;
import dev.sluice.SizingDecision.Action;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * Decides the pool's size from measured load, one window at a time (Little's law):
 *
 * <pre>busy = arrival rate × (mean hold time + connect time per borrow)
 * target = max(ceil(busy), min(ceil(max(busy × headroom, busy + 3 × sqrt(busy))), ceil(peak × headroom)))</pre>
 *
 * where the connect time per borrow is the time spent opening connections in the window divided
 * by its borrows: a connection being opened serves nobody, but a pool that opens one connection
 * per thousand borrows spends a thousandth of a connect per borrow, not a whole one; and where
 * {@code peak} is the most connections in use plus callers waiting seen over the last
 * {@code shrinkAfterWindows} windows (see {@link #target(double, double, int)}).
 *
 * bounded by [floor, ceiling]. The asymmetry is deliberate: when callers wait, the pool grows at
 * once, between windows ({@link #onDemand}: to every connection in use plus every waiter, with
 * the headroom margin); it
 * shrinks only after the target stayed below the current size for {@code shrinkAfterWindows}
 * windows in a row, and then by at most half the distance per window, so a brief lull
 * never thrashes connections. Growth is frozen while the database itself is slow: when the mean
 * hold time of a window is above {@code freezeFactor} times its healthy baseline, or, between
 * windows, when a quarter of the borrows in flight have already been held that long, more
 * connections would only add load to a saturated server.
 *
 * <p>Pure logic: the pool feeds it one {@link Window} of measurements per tick and the state of
 * its borrows when a caller is about to wait, so it is tested with scripted inputs and no clock.
 */
final class SizingController {
    /**
     * Measurements over one window.
     *
     * @param meanConnectNanos mean time of a connect, since the pool started (reported, not used)
     * @param connectNanos     time spent opening connections in the window
     * @param peakConcurrency  the most connections in use plus callers waiting seen in the window, or
     *                         {@link #PEAK_UNKNOWN}
     */
    record Window(double seconds, long borrows, double meanHoldNanos, double meanConnectNanos, double connectNanos, int waiting,
            long waitsInWindow, int peakConcurrency) {
        Window(double seconds, long borrows, double meanHoldNanos, double meanConnectNanos, double connectNanos, int waiting,
                long waitsInWindow) {
            this(seconds, borrows, meanHoldNanos, meanConnectNanos, connectNanos, waiting, waitsInWindow, PEAK_UNKNOWN);
        }
    }

    /** No peak was observed: the Poisson margin is not capped. */
    static final int PEAK_UNKNOWN = -1;

    private final double headroom;
    private final double freezeFactor;
    private final int shrinkAfterWindows;
    private int floor;
    private int ceiling;
    private int size;
    private int lowWindows;
    /** The peak concurrency of the last {@code shrinkAfterWindows} windows, a ring; PEAK_UNKNOWN where none was seen. */
    private final int[] recentPeaks;
    private int nextPeak;
    /** The last window was slow: growth stays frozen until a window is healthy again. */
    private boolean slow;
    /** One FREEZE per window is enough to say why waiters found no new connections. */
    private boolean freezeSaidInWindow;
    /** On-demand growth was frozen in this window because of the borrows in flight. */
    private boolean slowInFlight;
    /** A dry run never moves the size, so every waiter would advise the same growth: once per window. */
    private boolean adviceSaidInWindow;
    private double lastRate;
    private double lastConnectNanos;
    /** Healthy mean hold time, an exponentially weighted average of windows that were not slow. */
    private double baselineHoldNanos = Double.NaN;

    SizingController(int floor, int ceiling, int initialSize, double headroom, double freezeFactor, int shrinkAfterWindows) {
        this.floor = floor;
        this.ceiling = ceiling;
        this.size = Math.max(floor, Math.min(ceiling, initialSize));
        this.headroom = headroom;
        this.freezeFactor = freezeFactor;
        this.shrinkAfterWindows = shrinkAfterWindows;
        this.recentPeaks = new int[Math.max(1, shrinkAfterWindows)];
        Arrays.fill(recentPeaks, PEAK_UNKNOWN);
    }

    int size() {
        return size;
    }

    /**
     * The size for {@code busy} connections busy on average (Little's law). The pool needs room for
     * the peaks around that mean too: independent arrivals make the number busy vary like a Poisson
     * count, whose standard deviation is sqrt(busy), so the target is the larger of the headroom
     * margin and three standard deviations above the mean. A constant margin alone is too thin
     * for small pools (busy 2.5: 4 with headroom 1.5, where peaks reach 8) and the square root
     * alone too thin for large ones, where correlated bursts dominate.
     */
    static int target(double busy, double headroom) {
        return target(busy, headroom, PEAK_UNKNOWN);
    }

    /**
     * {@link #target(double, double)}, with the peak margin capped by what was seen. The square
     * root is the spread of <em>independent</em> arrivals; a load whose concurrency is bounded
     * (two threads borrowing back to back, a fixed-size worker pool) never spreads that far: two
     * such threads measure busy ≈ 2 and would be given 7 connections, of which they can use 2.
     * So the target is at most the peak concurrency observed (connections in use plus callers
     * waiting, over the last few windows) times the headroom: those two threads get 3. The cap
     * covers the headroom on the mean too, since the measured mean of such a load wobbles just
     * above 2 (borrows counted in one window, returned in the next) and 2.02 × 1.5 would give 4.
     * It never goes below the mean itself: samples can miss the peaks of an open load, and
     * then the waiters the pool is too small for raise the peak seen, and the cap with it.
     *
     * @param peak the most in use plus waiting seen recently, or {@link #PEAK_UNKNOWN}
     */
    static int target(double busy, double headroom, int peak) {
        if (busy <= 0) {
            return 0;
        }
        int uncapped = (int) Math.ceil(Math.max(busy * headroom, busy + 3 * Math.sqrt(busy)));
        if (peak == PEAK_UNKNOWN) {
            return uncapped;
        }
        return Math.max((int) Math.ceil(busy), Math.min(uncapped, (int) Math.ceil(peak * headroom)));
    }

    /** The most concurrency seen over the windows remembered, or PEAK_UNKNOWN if none reported one. */
    private int recentPeak(int windowPeak) {
        recentPeaks[nextPeak] = windowPeak;
        nextPeak = (nextPeak + 1) % recentPeaks.length;
        int peak = PEAK_UNKNOWN;
        for (int p : recentPeaks) {
            peak = Math.max(peak, p);
        }
        return peak;
    }

    void bounds(int newFloor, int newCeiling) {
        this.floor = newFloor;
        this.ceiling = Math.max(newFloor, newCeiling);
        this.size = Math.max(floor, Math.min(ceiling, size));
    }

    double baselineHoldNanos() {
        return baselineHoldNanos;
    }

    SizingDecision decide(Window w, boolean apply, Instant at) {
        double rate = w.seconds() > 0 ? w.borrows() / w.seconds() : 0;
        double holdMs = w.meanHoldNanos() / 1e6;
        double connectMs = w.meanConnectNanos() / 1e6;
        double connectPerBorrow = w.borrows() > 0 ? w.connectNanos() / w.borrows() : 0;
        int peak = recentPeak(w.peakConcurrency());
        int computed = target(rate * (w.meanHoldNanos() + connectPerBorrow) / 1e9, headroom, peak);
        int bounded = Math.max(floor, Math.min(ceiling, computed));
        int from = size;

        boolean holdsSlow = w.borrows() > 0 && !Double.isNaN(baselineHoldNanos) && w.meanHoldNanos() > freezeFactor * baselineHoldNanos;
        // Borrows still in flight can show a slowdown before any slow one has returned: the window's
        // mean then looks healthy, and its waiters must not be grown for either.
        boolean inFlightSlow = slowInFlight;
        slowInFlight = false;
        slow = holdsSlow || inFlightSlow;
        freezeSaidInWindow = false;
        adviceSaidInWindow = false;
        lastRate = rate;
        lastConnectNanos = w.meanConnectNanos();
        if (w.borrows() > 0 && !slow) {
            baselineHoldNanos = Double.isNaN(baselineHoldNanos) ? w.meanHoldNanos() : 0.8 * baselineHoldNanos + 0.2 * w.meanHoldNanos();
        }

        Action action;
        String reason;
        int to = from;
        // Waits were answered on demand as they happened; here they only stop a shrink, and a queue
        // still standing (growth was frozen, or the ceiling reached) is grown for once more.
        boolean pressure = w.waiting() > 0 || w.waitsInWindow() > 0;
        int wanted = pressure ? Math.max(bounded, Math.min(ceiling, from + w.waiting())) : bounded;
        if (wanted > from && slow) {
            action = Action.FREEZE;
            reason = holdsSlow
                    ? String.format(Locale.ROOT, "growth frozen: mean hold %.2fms is %.1fx the healthy %.2fms;"
                            + " the database is slow, more connections would add load", holdMs, w.meanHoldNanos() / baselineHoldNanos,
                            baselineHoldNanos / 1e6)
                    : String.format(Locale.ROOT, "growth frozen: borrows in flight were held over %.1fx the healthy %.2fms"
                            + " in this window; the database is slow, more connections would add load", freezeFactor, baselineHoldNanos / 1e6);
            lowWindows = 0;
            freezeSaidInWindow = true;
        } else if (wanted > from) {
            to = wanted;
            action = Action.GROW;
            reason = wanted > bounded ? w.waiting() + " still waiting: grow at once"
                    : "load needs " + computed + " (bounded " + bounded + (peak == PEAK_UNKNOWN ? "" : ", peak concurrency " + peak) + ")";
            lowWindows = 0;
        } else if (wanted < from) {
            lowWindows++;
            if (lowWindows >= shrinkAfterWindows) {
                to = from - Math.max(1, (from - wanted) / 2);
                action = Action.SHRINK;
                reason = "target " + wanted + " below size for " + lowWindows + " windows: shrink by half the gap";
            } else {
                action = Action.HOLD;
                reason = "target " + wanted + " below size " + from + " for " + lowWindows + "/" + shrinkAfterWindows
                        + " windows: waiting before shrinking";
            }
        } else {
            action = Action.HOLD;
            reason = "size fits the load";
            lowWindows = 0;
        }
        if (apply) {
            size = to;
        }
        return new SizingDecision(at, action, from, to, apply, rate, holdMs, connectMs, w.waiting(), computed, reason);
    }

    /**
     * A caller is about to wait: every connection is in use or being opened. Grows at once to
     * {@code (inUse + waiting) × headroom} (bounded by the ceiling), so each waiter has a connection coming,
     * unless the database is slow. A window cannot say so yet when a slowdown has just begun, so
     * the borrows in flight are looked at too: if a quarter of them have already been held for
     * {@code freezeFactor} times the healthy mean hold, the queue is the database's doing (a spike
     * of arrivals leaves borrows in flight young; a slow server makes them old).
     *
     * @param heldNanos how long each borrow in flight has been held so far (unordered, may be changed)
     * @return the decision, or null when there is nothing to decide (room left, or a freeze already said)
     */
    SizingDecision onDemand(int inUse, int waiting, long[] heldNanos, boolean apply, Instant at) {
        int from = size;
        if (inUse + waiting <= from) {
            return null;
        }
        // Demand has just outgrown the pool and is likely still rising (the start of a spike):
        // growing by the headroom margin, not to the bare demand, spares the next waiters the wait.
        int wanted = Math.min(ceiling, Math.max(inUse + waiting, (int) Math.ceil((inUse + waiting) * headroom)));
        if (wanted <= from) {
            return null; // at the ceiling
        }
        double baseline = baselineHoldNanos;
        String slowBecause = null;
        if (slow) {
            slowBecause = String.format(Locale.ROOT, "growth frozen: the last window was slow (holds over %.1fx the healthy %.2fms);"
                    + " the database is slow, more connections would add load", freezeFactor, baseline / 1e6);
        } else if (slowInFlight) {
            // A sample of two or three borrows in flight can look young again a moment after a
            // slow one returns; the slowdown seen earlier in this window still stands until the window ends.
            slowBecause = String.format(Locale.ROOT, "growth frozen: borrows in flight were held over %.1fx the healthy %.2fms"
                    + " earlier in this window; the database is slow, more connections would add load", freezeFactor, baseline / 1e6);
        } else if (!Double.isNaN(baseline) && heldNanos.length > 0) {
            Arrays.sort(heldNanos);
            long quarterOldest = heldNanos[heldNanos.length - Math.max(1, heldNanos.length / 4)];
            if (quarterOldest > freezeFactor * baseline) {
                slowInFlight = true;
                slowBecause = String.format(Locale.ROOT, "growth frozen: a quarter of the %d borrows in flight have been held"
                        + " %.2fms or more, %.1fx the healthy %.2fms; the database is slow, more connections would add load",
                        heldNanos.length, quarterOldest / 1e6, quarterOldest / baseline, baseline / 1e6);
            }
        }
        double holdMs = Double.isNaN(baseline) ? 0 : baseline / 1e6;
        if (slowBecause != null) {
            if (freezeSaidInWindow) {
                return null;
            }
            freezeSaidInWindow = true;
            return new SizingDecision(at, Action.FREEZE, from, from, apply, lastRate, holdMs, lastConnectNanos / 1e6, waiting,
                    inUse + waiting, slowBecause);
        }
        if (!apply) {
            if (adviceSaidInWindow) {
                return null;
            }
            adviceSaidInWindow = true;
        }
        lowWindows = 0;
        if (apply) {
            size = wanted;
        }
        return new SizingDecision(at, Action.GROW, from, wanted, apply, lastRate, holdMs, lastConnectNanos / 1e6, waiting,
                inUse + waiting, waiting + " waiting with " + inUse + " in use: grow on demand");
    }
}
