package dev.sluice.sim;

import dev.sluice.SizingDecision.Action;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Issue 7's targets, read off one profile's runs.
 *
 * <p>The best fixed size is the fixed pool with the lowest p99 wait; when several are within
 * {@link #TIE_RELATIVE} or {@link #TIE_ABSOLUTE_MILLIS} of it (differences the runs cannot tell
 * apart), the smallest of them: the size an operator would pick in hindsight, and the strictest
 * yardstick for connection-seconds.
 */
final class TargetCheck {
    static final double TIE_RELATIVE = 0.10;
    static final double TIE_ABSOLUTE_MILLIS = 0.1;
    /** Spike: adaptive p99 at most this × the best fixed size's. */
    static final double SPIKE_P99_RATIO = 1.20;
    /** Spike: adaptive holds at least this fraction fewer connection-seconds than the best fixed size. */
    static final double SPIKE_SAVING = 0.30;

    private TargetCheck() {
    }

    static Optional<RunResult> adaptive(List<RunResult> runs) {
        return runs.stream().filter(r -> r.setup().isAdaptive()).findFirst();
    }

    static Optional<RunResult> bestFixed(List<RunResult> runs) {
        List<RunResult> fixed = runs.stream().filter(r -> !r.setup().isAdaptive()).toList();
        double lowest = fixed.stream().mapToDouble(RunResult::p99Millis).min().orElse(Double.NaN);
        return fixed.stream()
                .filter(r -> r.p99Millis() <= Math.max(lowest * (1 + TIE_RELATIVE), lowest + TIE_ABSOLUTE_MILLIS))
                .min(Comparator.comparingInt(r -> r.setup().maximumPoolSize()));
    }

    /** The spike target: p99 within 20% of the best fixed size's, with at least 30% fewer connection-seconds. */
    record Spike(RunResult adaptive, RunResult best, double p99Ratio, double saving) {
        boolean latencyMet() {
            return p99Ratio <= SPIKE_P99_RATIO;
        }

        boolean savingMet() {
            return saving >= SPIKE_SAVING;
        }
    }

    static Optional<Spike> spike(List<RunResult> runs) {
        Optional<RunResult> a = adaptive(runs);
        Optional<RunResult> b = bestFixed(runs);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        RunResult ad = a.get();
        RunResult best = b.get();
        return Optional.of(new Spike(ad, best, ad.p99Millis() / best.p99Millis(),
                1 - ad.connectionSeconds() / best.connectionSeconds()));
    }

    /**
     * The slowdown target: the controller's size never rose above its size when the slowdown began
     * while the database was slow, and the decisions then include a FREEZE that says why.
     *
     * @param sizeBefore  the controller's size when the slowdown began
     * @param maxDuring   the largest size it decided during the slowdown
     * @param openBefore  open connections when the slowdown began
     * @param maxOpenDuring the most open connections during the slowdown
     * @param freezes     FREEZE decisions during the slowdown
     * @param grows       GROW decisions during the slowdown
     * @param firstFreeze the first FREEZE decision's text, or null
     */
    record Slowdown(RunResult adaptive, int sizeBefore, int maxDuring, int openBefore, int maxOpenDuring, long freezes, long grows,
            String firstFreeze) {
        boolean didNotGrow() {
            return maxDuring <= sizeBefore;
        }

        boolean logSaysWhy() {
            return freezes > 0 && firstFreeze != null && firstFreeze.contains("database is slow");
        }
    }

    static Optional<Slowdown> slowdown(List<RunResult> runs) {
        Optional<RunResult> a = adaptive(runs);
        if (a.isEmpty() || !a.get().profile().hasEvent()) {
            return Optional.empty();
        }
        RunResult r = a.get();
        double from = r.profile().eventStart();
        double to = r.profile().eventEnd();
        List<RunResult.TimedDecision> during = r.decisionsBetween(from, to);
        long freezes = during.stream().filter(d -> d.decision().action() == Action.FREEZE).count();
        long grows = during.stream().filter(d -> d.decision().action() == Action.GROW).count();
        String first = during.stream().filter(d -> d.decision().action() == Action.FREEZE).findFirst()
                .map(d -> d.decision().toString()).orElse(null);
        int before = r.sizeBefore(from);
        int max = Math.max(before, r.maxDecidedSize(from, to));
        int at = r.trace().indexAt(from);
        int openBefore = at < 0 ? -1 : r.trace().open(at);
        return Optional.of(new Slowdown(r, before, max, openBefore, r.trace().maxOpen(from, to), freezes, grows, first));
    }
}
