package dev.sluice.internal;

import dev.sluice.CloseReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The pool's counters and latency distributions; the source of {@link dev.sluice.PoolStats}. */
final class PoolMetrics {
    final LatencyHistogram acquire = new LatencyHistogram();
    final LatencyHistogram hold = new LatencyHistogram();
    final LatencyHistogram create = new LatencyHistogram();
    final LongAdder waitCount = new LongAdder();
    final LongAdder waitNanos = new LongAdder();
    final LongAdder acquireTimeouts = new LongAdder();
    final LongAdder created = new LongAdder();
    final LongAdder createFailures = new LongAdder();
    final LongAdder validationFailures = new LongAdder();
    final LongAdder leaksSuspected = new LongAdder();
    final LongAdder abandoned = new LongAdder();
    final LongAdder nestedAcquisitions = new LongAdder();
    final LongAdder breakerRejections = new LongAdder();
    private final LongAdder[] closed = new LongAdder[CloseReason.values().length];

    PoolMetrics() {
        for (int i = 0; i < closed.length; i++) {
            closed[i] = new LongAdder();
        }
    }

    void closed(CloseReason reason) {
        closed[reason.ordinal()].increment();
    }

    Map<CloseReason, Long> closedByReason() {
        Map<CloseReason, Long> m = new EnumMap<>(CloseReason.class);
        for (CloseReason r : CloseReason.values()) {
            long n = closed[r.ordinal()].sum();
            if (n > 0) {
                m.put(r, n);
            }
        }
        return m;
    }

    long closedTotal() {
        long n = 0;
        for (LongAdder a : closed) {
            n += a.sum();
        }
        return n;
    }
}
