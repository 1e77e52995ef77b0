package dev.sluice.micrometer;

import dev.sluice.SizingDecision;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Running totals of sizing decisions by action, built from the pool's decision log.
 *
 * <p>{@link dev.sluice.PoolStats#sizingDecisions()} keeps only the latest 50 decisions, so a
 * counter cannot be read from one snapshot: each snapshot's log is compared with what was already
 * counted, and the decisions taken after the newest one counted are added. Two consequences,
 * both documented on the meter: decisions that fell out of the log between two snapshots (more
 * than 50 sizing intervals apart) are never counted, and the first snapshot counts the whole log
 * as it stands, so counts start from what the pool still remembers rather than from zero.
 */
final class SizingDecisionTally {
    private final AtomicLongArray counts = new AtomicLongArray(SizingDecision.Action.values().length);
    private Instant newestCounted; // guarded by this

    /** Counts the decisions in {@code log} (oldest first) that are newer than any counted so far. */
    synchronized void observe(List<SizingDecision> log) {
        Instant newest = newestCounted;
        for (SizingDecision d : log) {
            // Strictly after: the log is a sliding window, so the decision counted last is usually still in it.
            if (newest == null || d.at().isAfter(newest)) {
                counts.incrementAndGet(d.action().ordinal());
                newest = d.at();
            }
        }
        newestCounted = newest;
    }

    long count(SizingDecision.Action action) {
        return counts.get(action.ordinal());
    }
}
