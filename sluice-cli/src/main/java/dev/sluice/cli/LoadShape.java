package dev.sluice.cli;

import java.time.Duration;

/**
 * How many callers the demo runs at each moment: a steady load, then a burst of
 * {@code burstFactor} times as many for a quarter of the run, then the steady load again. The
 * burst is what makes the pool visible: callers outnumber connections, queue, and the wait
 * counters and acquire percentiles move, then settle once it passes.
 *
 * @param threads     callers during the steady phases
 * @param burstFactor callers during the burst, as a multiple of {@code threads}; 1 means no burst
 * @param duration    the whole run
 */
record LoadShape(int threads, int burstFactor, Duration duration) {
    /** The burst starts at 40% of the run and ends at 65%: 8 s to 13 s of the default 20 s. */
    private static final int BURST_START_PERCENT = 40;
    private static final int BURST_END_PERCENT = 65;

    enum Phase {
        STEADY("steady"), BURST("BURST"), AFTER_BURST("after burst");

        private final String label;

        Phase(String label) {
            this.label = label;
        }

        /** For people: the burst shouts. */
        String label() {
            return label;
        }

        /** For log lines and scripts: lower case, no spaces. */
        String key() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    Duration burstStart() {
        return duration.multipliedBy(BURST_START_PERCENT).dividedBy(100);
    }

    Duration burstEnd() {
        return duration.multipliedBy(BURST_END_PERCENT).dividedBy(100);
    }

    boolean hasBurst() {
        return burstFactor > 1;
    }

    /** The most callers ever active at once: how many worker threads to start. */
    int peakThreads() {
        return threads * burstFactor;
    }

    Phase phaseAt(Duration elapsed) {
        if (!hasBurst() || elapsed.compareTo(burstStart()) < 0) {
            return Phase.STEADY;
        }
        return elapsed.compareTo(burstEnd()) < 0 ? Phase.BURST : Phase.AFTER_BURST;
    }

    /** Callers active at {@code elapsed}; worker {@code i} runs while {@code i < activeThreadsAt(elapsed)}. */
    int activeThreadsAt(Duration elapsed) {
        return phaseAt(elapsed) == Phase.BURST ? peakThreads() : threads;
    }
}
