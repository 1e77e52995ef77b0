package dev.sluice.micrometer;

import dev.sluice.TenantStats;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The series a tenant data source's meters read: one per tagged tenant and one, {@value #OTHER},
 * for the rest summed. Built from one {@link TenantStats} snapshot, reused for {@code ttl} (so a
 * scrape costs one snapshot however many meters and tenants there are), and every meter read is
 * a map lookup.
 *
 * <p>Borrow counts are kept here, not read from the snapshot, because a series' tenants change:
 * each refresh adds every tenant's new borrows (since the previous refresh) to the series it is
 * in now. A tenant that loses its tag hands its count to {@value #OTHER} (whose rate shows that
 * as one step), and one that gains a tag starts from zero. So the tagged counters plus the
 * aggregate always add up to every tenant's borrows, and no counter ever goes back.
 *
 * <p>Which tenants are tagged is reviewed at most once per {@code reviewNanos} ({@link BusiestTenants});
 * {@code retag} is told of each tenant that gains or loses its tag, under this object's lock, so
 * meters are added and removed in the order the reviews happened.
 */
final class TenantSeries {
    static final String OTHER = "_other";
    private static final System.Logger LOG = System.getLogger(SluiceTenantMetrics.class.getName());

    /** What the meters of one series read; borrows is this series' counter. */
    record Values(double inUse, double idle, double waiting, double borrows) {
    }

    private record View(TenantStats stats, Map<String, Values> series, boolean live) {
    }

    private final Supplier<TenantStats> source;
    private final long reviewNanos;
    private final int cap;
    /** Told (tenant, true) when a tenant gains its tag, (tenant, false) when it loses it. */
    private final BiConsumer<String, Boolean> retag;
    private final ReusedSnapshot<View> view;

    // Guarded by this.
    private Set<String> tagged = new HashSet<>();
    private final Map<String, Long> lastBorrows = new HashMap<>();
    private final Map<String, Long> borrowsAtReview = new HashMap<>();
    private final Map<String, Long> seriesBorrows = new HashMap<>();
    private long reviewedAtNanos;
    private boolean reviewed;
    private boolean failureLogged;

    TenantSeries(Supplier<TenantStats> source, LongSupplier ticker, long ttlNanos, long reviewNanos, int cap,
            BiConsumer<String, Boolean> retag) {
        this.source = source;
        this.reviewNanos = reviewNanos;
        this.cap = cap;
        this.retag = retag;
        this.view = new ReusedSnapshot<>(new View(null, Map.of(), false), ticker, ttlNanos, this::take);
    }

    /** A gauge of the budget: {@code f} of the current snapshot, NaN if the data source cannot be read. */
    double budget(ToDoubleFunction<TenantStats> f) {
        View v = view.get();
        return v.live ? f.applyAsDouble(v.stats) : Double.NaN;
    }

    /** A counter of the budget: {@code f} of the latest snapshot the data source gave, 0 before the first. */
    double budgetTotal(ToDoubleFunction<TenantStats> f) {
        View v = view.get();
        return v.stats == null ? 0 : f.applyAsDouble(v.stats);
    }

    /** A gauge of one series; NaN if the series is not in the view (its tenant lost its tag a moment ago) or the source is gone. */
    double gauge(String series, ToDoubleFunction<Values> f) {
        View v = view.get();
        Values s = v.series.get(series);
        return v.live && s != null ? f.applyAsDouble(s) : Double.NaN;
    }

    /** A series' borrow counter: its latest value, kept when the source is gone. */
    double borrows(String series) {
        Values s = view.get().series.get(series);
        return s == null ? 0 : s.borrows;
    }

    /** Tenants with a tag of their own now. */
    synchronized Set<String> tagged() {
        return Set.copyOf(tagged);
    }

    /** Takes a snapshot now if the current one is older than the reuse time. */
    void refreshIfStale() {
        view.get();
    }

    /** Under the snapshot's lock; this object's lock orders it with {@link #tagged()} and the binder's registrations. */
    private synchronized View take(View previous, long now) {
        TenantStats stats;
        try {
            stats = source.get();
        } catch (RuntimeException e) {
            if (!failureLogged) {
                failureLogged = true;
                LOG.log(System.Logger.Level.WARNING, () -> "no tenant statistics for metrics (gauges report NaN until the data source"
                        + " can be read): " + e.getMessage());
            }
            stats = null;
        }
        if (stats == null) {
            return new View(previous.stats, previous.series, false);
        }
        countBorrows(stats.tenants());
        if (!reviewed || now - reviewedAtNanos >= reviewNanos) {
            review(stats.tenants());
            reviewed = true;
            reviewedAtNanos = now;
        }
        return new View(stats, series(stats.tenants()), true);
    }

    /** Adds each tenant's borrows since the previous refresh to the series it is in. */
    private void countBorrows(Map<String, TenantStats.Usage> tenants) {
        for (Map.Entry<String, TenantStats.Usage> e : tenants.entrySet()) {
            String tenant = e.getKey();
            long now = e.getValue().borrows();
            long last = lastBorrows.getOrDefault(tenant, 0L);
            if (now > last) {
                // Highest seen, not latest: a count that dips for a moment (a tenant pool being closed) is not counted twice.
                lastBorrows.put(tenant, now);
                seriesBorrows.merge(seriesOf(tenant), now - last, Long::sum);
            }
        }
    }

    private String seriesOf(String tenant) {
        return tagged.contains(tenant) ? tenant : OTHER;
    }

    private void review(Map<String, TenantStats.Usage> tenants) {
        Map<String, Long> scores = new HashMap<>();
        for (Map.Entry<String, TenantStats.Usage> e : tenants.entrySet()) {
            TenantStats.Usage u = e.getValue();
            long borrowed = lastBorrows.getOrDefault(e.getKey(), 0L) - borrowsAtReview.getOrDefault(e.getKey(), 0L);
            scores.put(e.getKey(), borrowed + u.inUse() + u.waiting());
        }
        borrowsAtReview.clear();
        borrowsAtReview.putAll(lastBorrows);
        Set<String> next = BusiestTenants.review(tagged, scores, cap, OTHER);
        Set<String> before = tagged;
        tagged = next;
        for (String t : before) {
            if (!next.contains(t)) {
                // Its count goes on in _other, so the series still add up to every borrow (_other's rate shows one step).
                Long counted = seriesBorrows.remove(t);
                if (counted != null) {
                    seriesBorrows.merge(OTHER, counted, Long::sum);
                }
                retag.accept(t, false);
            }
        }
        for (String t : next) {
            if (!before.contains(t)) {
                seriesBorrows.put(t, 0L);
                retag.accept(t, true);
            }
        }
    }

    /** The values of each tagged tenant and of the aggregate, from one snapshot. */
    private Map<String, Values> series(Map<String, TenantStats.Usage> tenants) {
        Map<String, Values> m = new HashMap<>();
        long inUse = 0;
        long idle = 0;
        long waiting = 0;
        for (Map.Entry<String, TenantStats.Usage> e : tenants.entrySet()) {
            TenantStats.Usage u = e.getValue();
            if (tagged.contains(e.getKey())) {
                m.put(e.getKey(), new Values(u.inUse(), u.idle(), u.waiting(), seriesBorrows.getOrDefault(e.getKey(), 0L)));
            } else {
                inUse += u.inUse();
                idle += u.idle();
                waiting += u.waiting();
            }
        }
        for (String t : tagged) {
            m.putIfAbsent(t, new Values(0, 0, 0, seriesBorrows.getOrDefault(t, 0L))); // tagged, then gone from the snapshot
        }
        m.put(OTHER, new Values(inUse, idle, waiting, seriesBorrows.getOrDefault(OTHER, 0L)));
        return m;
    }
}
