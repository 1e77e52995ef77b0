package dev.sluice.internal;

import dev.sluice.CloseReason;
import dev.sluice.PoolStats;
import dev.sluice.SizingDecision;
import dev.sluice.SluiceFailure;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
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

    /** These counters with the pool's state at this moment: {@link Pool#stats()}. */
    PoolStats stats(Pool pool) {
        int open = 0;
        int inUse = 0;
        int idle = 0;
        for (PooledConnection e : pool.bag.snapshot()) {
            open++;
            int s = e.state();
            if (s == PooledConnection.IN_USE) {
                inUse++;
            } else if (s == PooledConnection.IDLE) {
                idle++;
            }
        }
        SQLException last = pool.supply.lastConnectFailure();
        CircuitBreaker breaker = pool.supply.breaker();
        long acquired = pool.bag.borrows();
        return PoolStats.builder().poolName(pool.name).maximumPoolSize(pool.maximumPoolSize).minimumIdle(pool.minimumIdle)
                .open(open).inUse(inUse).idle(idle).pending(pool.bag.waiting()).creating(pool.creating.get())
                .acquired(acquired).waitCount(waitCount.sum()).waitTime(Duration.ofNanos(waitNanos.sum()))
                .acquireTimeouts(acquireTimeouts.sum()).created(created.sum())
                .createFailures(createFailures.sum()).closed(closedTotal())
                .closedByReason(closedByReason()).validationFailures(validationFailures.sum())
                .leaksSuspected(leaksSuspected.sum()).abandoned(abandoned.sum())
                .nestedAcquisitions(nestedAcquisitions.sum())
                .acquireLatency(acquire.summary(acquired - acquire.count()))
                .holdLatency(hold.summary()).createLatency(create.summary())
                .lastConnectFailure(last == null ? null : SluiceFailure.reasonOf(last).orElse(null))
                .breakerState(breaker.state()).breakerOpens(breaker.opens()).breakerRejections(breakerRejections.sum())
                .sizingDecisions(sizingDecisions(pool)).build();
    }

    /** The adaptive controller's decisions and a fleet member's moves of its ceiling, oldest first. */
    private static List<SizingDecision> sizingDecisions(Pool pool) {
        List<SizingDecision> adaptive = pool.sizing == null ? List.of() : pool.sizing.decisions();
        if (pool.fleet == null) {
            return adaptive;
        }
        List<SizingDecision> all = new ArrayList<>(adaptive);
        all.addAll(pool.fleet.decisions());
        all.sort(Comparator.comparing(SizingDecision::at));
        return List.copyOf(all.subList(Math.max(0, all.size() - 50), all.size()));
    }
}
