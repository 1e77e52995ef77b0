package dev.sluice;

import java.time.Instant;

/**
 * One decision of the adaptive sizing controller, with the measurements it was based on.
 *
 * @param at             when it was taken (wall clock, for people; the controller itself runs on the monotonic clock)
 * @param action         GROW, SHRINK, HOLD or FREEZE
 * @param fromSize       the size before
 * @param toSize         the size decided
 * @param applied        false in ADVISORY mode
 * @param arrivalRate    borrows per second in the window
 * @param meanHoldMillis mean hold time per borrow in the window
 * @param meanConnectMillis mean time of a connect since the pool started (the target counts connect time per borrow: the time spent connecting in the window ÷ its borrows)
 * @param waiting        callers waiting at decision time
 * @param computedTarget the formula's target before bounds and hysteresis
 * @param reason         why, in words
 */
public record SizingDecision(Instant at, Action action, int fromSize, int toSize, boolean applied, double arrivalRate,
        double meanHoldMillis, double meanConnectMillis, int waiting, int computedTarget, String reason) {

    /** What the controller did. */
    public enum Action {
        GROW, SHRINK, HOLD, FREEZE
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%s %d->%d%s (rate=%.1f/s hold=%.2fms connect=%.2fms waiting=%d target=%d): %s",
                action, fromSize, toSize, applied ? "" : " [advisory]", arrivalRate, meanHoldMillis, meanConnectMillis, waiting,
                computedTarget, reason);
    }
}
