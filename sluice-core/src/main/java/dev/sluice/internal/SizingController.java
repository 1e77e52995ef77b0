package dev.sluice.internal;

import dev.sluice.SizingDecision;
import dev.sluice.SizingDecision.Action;
import java.time.Instant;
import java.util.Locale;

/**
 * Decides the pool's size from measured load, one window at a time (Little's law):
 *
 * <pre>target = ceil(arrival rate × (mean hold time + mean connect time) × headroom)</pre>
 *
 * bounded by [floor, ceiling]. The asymmetry is deliberate: when callers wait, the pool grows at
 * once (to at least the current size plus the waiters); it shrinks only after the target stayed
 * below the current size for {@code shrinkAfterWindows} windows in a row, and then by at most a
 * quarter of the distance per window, so a brief lull never thrashes connections. Growth is
 * frozen while the database itself is slow: when the mean hold time is above {@code freezeFactor}
 * times its healthy baseline, more connections would only add load to a saturated server.
 *
 * <p>Pure logic: the pool feeds it one {@link Window} of measurements per tick, so it is tested
 * with scripted windows and no clock at all.
 */
final class SizingController {
    /** Measurements over one window. */
    record Window(double seconds, long borrows, double meanHoldNanos, double meanConnectNanos, int waiting, long waitsInWindow) {
    }

    private final double headroom;
    private final double freezeFactor;
    private final int shrinkAfterWindows;
    private int floor;
    private int ceiling;
    private int size;
    private int lowWindows;
    /** Healthy mean hold time, an exponentially weighted average of windows that were not slow. */
    private double baselineHoldNanos = Double.NaN;

    SizingController(int floor, int ceiling, int initialSize, double headroom, double freezeFactor, int shrinkAfterWindows) {
        this.floor = floor;
        this.ceiling = ceiling;
        this.size = Math.max(floor, Math.min(ceiling, initialSize));
        this.headroom = headroom;
        this.freezeFactor = freezeFactor;
        this.shrinkAfterWindows = shrinkAfterWindows;
    }

    int size() {
        return size;
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
        int computed = (int) Math.ceil(rate * (w.meanHoldNanos() + w.meanConnectNanos()) / 1e9 * headroom);
        int bounded = Math.max(floor, Math.min(ceiling, computed));
        int from = size;

        boolean slow = w.borrows() > 0 && !Double.isNaN(baselineHoldNanos) && w.meanHoldNanos() > freezeFactor * baselineHoldNanos;
        if (w.borrows() > 0 && !slow) {
            baselineHoldNanos = Double.isNaN(baselineHoldNanos) ? w.meanHoldNanos() : 0.8 * baselineHoldNanos + 0.2 * w.meanHoldNanos();
        }

        Action action;
        String reason;
        int to = from;
        boolean pressure = w.waiting() > 0 || w.waitsInWindow() > 0;
        int wanted = pressure ? Math.max(bounded, Math.min(ceiling, from + Math.max(1, w.waiting()))) : bounded;
        if (wanted > from && slow) {
            action = Action.FREEZE;
            reason = String.format(Locale.ROOT, "growth frozen: mean hold %.2fms is %.1fx the healthy %.2fms;"
                    + " the database is slow, more connections would add load", holdMs, w.meanHoldNanos() / baselineHoldNanos,
                    baselineHoldNanos / 1e6);
            lowWindows = 0;
        } else if (wanted > from) {
            to = wanted;
            action = Action.GROW;
            reason = pressure ? w.waiting() + " waiting, " + w.waitsInWindow() + " waits in the window: grow at once"
                    : "load needs " + computed + " (bounded " + bounded + ")";
            lowWindows = 0;
        } else if (wanted < from) {
            lowWindows++;
            if (lowWindows >= shrinkAfterWindows) {
                to = from - Math.max(1, (from - wanted) / 4);
                action = Action.SHRINK;
                reason = "target " + wanted + " below size for " + lowWindows + " windows: shrink by a quarter of the gap";
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
}
