package dev.sluice.micrometer;

import dev.sluice.PoolStats;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The one {@link PoolStats} snapshot that all of a pool's meters read during a scrape.
 *
 * <p>A scrape reads a few dozen meters one after another. A snapshot per meter would walk the
 * pool's connections and latency histograms dozens of times, and would put values from different
 * moments side by side (a timer's count from one snapshot and its total from the next). So a
 * snapshot is reused for {@code ttl}: one scrape costs one snapshot, and nothing at all is added
 * to the borrow path, because a snapshot only reads counters the pool keeps anyway.
 *
 * <p>The source gives {@code null} once the pool is gone (its data source was garbage-collected)
 * and may throw when the pool cannot give a snapshot (a lazily started pool whose start failed).
 * In both cases counters and timers keep their last totals, since a counter must never go back,
 * and gauges report NaN, Micrometer's value for "no longer known". A closed pool still gives
 * snapshots: its gauges fall to zero and its totals stay.
 */
final class PoolStatsCache {
    private static final System.Logger LOG = System.getLogger(SluiceMetrics.class.getName());

    private record Snapshot(PoolStats stats, boolean live) {
    }

    private final Supplier<PoolStats> source;
    private final SizingDecisionTally sizingDecisions = new SizingDecisionTally();
    private final ReusedSnapshot<Snapshot> snapshot;
    private boolean failureLogged; // guarded by the snapshot's lock (taken only while refreshing)

    PoolStatsCache(String poolName, Supplier<PoolStats> source, LongSupplier ticker, long ttlNanos) {
        this.source = source;
        // Totals read before the first successful snapshot are zero, not NaN: a counter has to start somewhere.
        this.snapshot = new ReusedSnapshot<>(new Snapshot(empty(poolName), false), ticker, ttlNanos, (previous, now) -> take(previous));
    }

    /** A gauge's value: {@code f} of the current snapshot, or NaN if the pool cannot be read. */
    double gauge(ToDoubleFunction<PoolStats> f) {
        Snapshot s = snapshot.get();
        return s.live ? f.applyAsDouble(s.stats) : Double.NaN;
    }

    /** A counter's or timer's value: {@code f} of the latest snapshot the pool gave. */
    double total(ToDoubleFunction<PoolStats> f) {
        return f.applyAsDouble(snapshot.get().stats);
    }

    SizingDecisionTally sizingDecisions() {
        snapshot.get();
        return sizingDecisions;
    }

    private Snapshot take(Snapshot previous) {
        try {
            PoolStats stats = source.get();
            if (stats == null) {
                return new Snapshot(previous.stats, false);
            }
            sizingDecisions.observe(stats.sizingDecisions());
            return new Snapshot(stats, true);
        } catch (RuntimeException e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, () -> previous.stats.poolName()
                        + ": no statistics for metrics (gauges report NaN until the pool can be read): " + e.getMessage());
            }
            return new Snapshot(previous.stats, false);
        }
    }

    private static PoolStats empty(String poolName) {
        return PoolStats.builder().poolName(poolName).build();
    }
}
