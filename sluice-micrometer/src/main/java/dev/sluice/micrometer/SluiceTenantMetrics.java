package dev.sluice.micrometer;

import static dev.sluice.micrometer.SluiceMeterNames.*;

import dev.sluice.TenantDataSource;
import dev.sluice.TenantStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Binds a {@link TenantDataSource}'s meters to a Micrometer registry: the budget, as one pool
 * under the OpenTelemetry names ({@code db.client.connection.count}, {@code .max},
 * {@code .pending_requests}) plus {@code sluice.budget.*}, and each tenant's share under
 * {@code sluice.tenant.*}, tagged {@code tenant=<id>}. Every meter carries the data source's
 * name as {@link SluiceMeterNames#POOL_NAME}. Names in {@link SluiceMeterNames}.
 *
 * <pre>{@code
 * SluiceTenantMetrics.bind(tenants, registry);                       // the 100 busiest tenants tagged
 * new SluiceTenantMetrics(tenants, Tags.of("app", "shop"), 20).bindTo(registry);
 * }</pre>
 *
 * <p><b>Cardinality cap.</b> Only the busiest {@code maxTaggedTenants} tenants get a tag of
 * their own; all the others are summed under {@code tenant="_other"}, so each meter has at most
 * {@code maxTaggedTenants + 1} series however many tenants there are. "Busiest" is borrows since
 * the last review plus connections in use and callers waiting now. The choice is reviewed at
 * most once a minute, and a tagged tenant loses its tag only to a tenant more than twice as busy,
 * so tags do not flap. A tenant that loses its tag has its meters removed from the registry; its
 * later activity counts in {@code _other}. A tenant whose id is {@code _other} is always counted
 * there. The tagged series plus {@code _other} add up to the budget's totals.
 *
 * <p><b>Cost.</b> Nothing on the borrow path: meters read {@link TenantDataSource#stats()} when
 * the registry asks, and one snapshot is reused for 100 ms, so a scrape costs one snapshot (a
 * walk over the tenants) however many tenants and meters there are; each meter then reads one
 * entry of a map.
 *
 * <p><b>Lifetime.</b> As {@link SluiceMetrics}: the data source is held weakly; once it is gone
 * its gauges read NaN and its counters keep their totals.
 */
public final class SluiceTenantMetrics implements MeterBinder {
    /** The default of {@code maxTaggedTenants}. */
    public static final int DEFAULT_MAX_TAGGED_TENANTS = 100;
    /** The most {@code maxTaggedTenants} may be. */
    public static final int MAX_TAGGED_TENANTS_LIMIT = 10_000;
    static final Duration REVIEW_INTERVAL = Duration.ofMinutes(1);

    private final Tags tags;
    private final TenantSeries series;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    /** Each tagged tenant's meters, per registry, to remove when it loses its tag. Guarded by series' lock (retag runs under it). */
    private final Map<String, List<Meter>> tenantMeters = new HashMap<>();

    /** The busiest {@value #DEFAULT_MAX_TAGGED_TENANTS} tenants tagged; meters tagged with the data source's name only. */
    public SluiceTenantMetrics(TenantDataSource dataSource) {
        this(dataSource, Tags.empty(), DEFAULT_MAX_TAGGED_TENANTS);
    }

    /**
     * @param extraTags        added to every meter (an application or instance tag, say)
     * @param maxTaggedTenants how many tenants get a {@code tenant} tag of their own, 0 to
     *                         {@value #MAX_TAGGED_TENANTS_LIMIT}; the rest are summed as {@code _other}
     * @throws IllegalArgumentException naming the knob, the value and the range
     */
    public SluiceTenantMetrics(TenantDataSource dataSource, Iterable<Tag> extraTags, int maxTaggedTenants) {
        this(Objects.requireNonNull(dataSource, "dataSource").name(), SluiceMetrics.weakly(dataSource, TenantDataSource::stats),
                extraTags, maxTaggedTenants,
                System::nanoTime, SluiceMetrics.SNAPSHOT_TTL, REVIEW_INTERVAL);
    }

    /** For tests: any source of snapshots, any clock, any reuse time and review interval. */
    SluiceTenantMetrics(String name, Supplier<TenantStats> source, Iterable<Tag> extraTags, int maxTaggedTenants, LongSupplier ticker,
            Duration snapshotTtl, Duration reviewInterval) {
        if (maxTaggedTenants < 0 || maxTaggedTenants > MAX_TAGGED_TENANTS_LIMIT) {
            throw new IllegalArgumentException("maxTaggedTenants=" + maxTaggedTenants + " must be between 0 and "
                    + MAX_TAGGED_TENANTS_LIMIT + " (tenants beyond it are summed under tenant=\"" + TenantSeries.OTHER + "\")");
        }
        this.tags = Tags.of(Objects.requireNonNull(extraTags, "extraTags")).and(POOL_NAME, name);
        this.series = new TenantSeries(source, ticker, snapshotTtl.toNanos(), reviewInterval.toNanos(), maxTaggedTenants, this::retag);
    }

    /** Binds {@code dataSource}'s meters to {@code registry}, the busiest {@value #DEFAULT_MAX_TAGGED_TENANTS} tenants tagged. */
    public static SluiceTenantMetrics bind(TenantDataSource dataSource, MeterRegistry registry) {
        SluiceTenantMetrics metrics = new SluiceTenantMetrics(dataSource);
        metrics.bindTo(registry);
        return metrics;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (series) {
            registries.add(registry);
            bindBudgetMeters(registry);
            bindTenantMeters(registry, TenantSeries.OTHER, Tags.of(TENANT, TenantSeries.OTHER));
            for (String t : series.tagged()) {
                tenantMeters.computeIfAbsent(t, k -> new ArrayList<>()).addAll(bindTenantMeters(registry, t, Tags.of(TENANT, t)));
            }
        }
        series.refreshIfStale(); // the first review: tenants already busy get their tags now, not at the first scrape
    }

    private void bindBudgetMeters(MeterRegistry registry) {
        budgetGauge(registry, MAX, Tags.empty(), "The budget: physical connections across all tenants (globalMaximumPoolSize)",
                TenantStats::globalMaximumPoolSize);
        budgetGauge(registry, BUDGET_OPEN, Tags.empty(), "Physical connections open across all tenants, connects under way included",
                TenantStats::open);
        budgetGauge(registry, CONNECTION_COUNT, Tags.of(STATE, "used"), "Connections borrowed now, over all tenants", TenantStats::inUse);
        budgetGauge(registry, CONNECTION_COUNT, Tags.of(STATE, "idle"), "Open connections not borrowed, over all tenants",
                TenantStats::idle);
        budgetGauge(registry, PENDING_REQUESTS, Tags.empty(), "getConnection calls waiting now, over all tenants", TenantStats::waiting);
        budgetGauge(registry, TENANTS_KNOWN, Tags.empty(), "Tenants the data source knows now", s -> s.tenants().size());
        TenantSeries s = series;
        Gauge.builder(TENANTS_TAGGED, s, x -> x.tagged().size()).tags(tags)
                .description("Tenants with a tenant tag of their own now; the others are summed as _other").strongReference(true)
                .register(registry);
        budgetCounter(registry, BUDGET_WAITS, Tags.empty(),
                "Times the budget was used up when a connection was wanted (DATABASE: a tenant pool refused a permit;"
                + " SCHEMA: no idle connection in the shared pool)", TenantStats::budgetWaits);
        budgetCounter(registry, BUDGET_EVICTIONS, Tags.of(EVICTION, "idle"), "Idle connections closed to make room for another tenant",
                TenantStats::idleEvictedForOthers);
        budgetCounter(registry, BUDGET_EVICTIONS, Tags.of(EVICTION, "on_return"),
                "Borrowed connections closed on return to make room for another tenant", TenantStats::evictedOnReturnForOthers);
    }

    private List<Meter> bindTenantMeters(MeterRegistry registry, String key, Tags tenant) {
        TenantSeries s = series;
        List<Meter> meters = new ArrayList<>(4);
        meters.add(tenantGauge(registry, TENANT_CONNECTION_COUNT, tenant.and(STATE, "used"), "Connections the tenant has borrowed now",
                key, TenantSeries.Values::inUse));
        meters.add(tenantGauge(registry, TENANT_CONNECTION_COUNT, tenant.and(STATE, "idle"),
                "Idle connections of the tenant's pool (DATABASE mode; 0 in SCHEMA mode, where idle connections are the budget's)",
                key, TenantSeries.Values::idle));
        meters.add(tenantGauge(registry, TENANT_PENDING_REQUESTS, tenant, "The tenant's getConnection calls waiting now", key,
                TenantSeries.Values::waiting));
        // FunctionCounter holds its object weakly: capturing s in the function keeps it alive.
        meters.add(FunctionCounter.builder(TENANT_BORROWS, s, x -> s.borrows(key)).tags(tags).tags(tenant)
                .description("Connections the tenant borrowed while it had this tag (_other: every untagged tenant's)").register(registry));
        return meters;
    }

    /** Under the series' lock, in review order: a tenant gained or lost its tag. */
    private void retag(String tenant, boolean tagged) {
        if (tagged) {
            List<Meter> meters = new ArrayList<>();
            for (MeterRegistry r : registries) {
                meters.addAll(bindTenantMeters(r, tenant, Tags.of(TENANT, tenant)));
            }
            tenantMeters.put(tenant, meters);
        } else {
            List<Meter> meters = tenantMeters.remove(tenant);
            if (meters != null) {
                for (Meter m : meters) {
                    for (MeterRegistry r : registries) {
                        r.remove(m);
                    }
                }
            }
        }
    }

    private Meter tenantGauge(MeterRegistry registry, String name, Tags tenant, String description, String key,
            ToDoubleFunction<TenantSeries.Values> f) {
        return Gauge.builder(name, series, s -> s.gauge(key, f)).tags(tags).tags(tenant).description(description).strongReference(true)
                .register(registry);
    }

    private void budgetGauge(MeterRegistry registry, String name, Tags extra, String description, ToDoubleFunction<TenantStats> f) {
        Gauge.builder(name, series, s -> s.budget(f)).tags(tags).tags(extra).description(description).strongReference(true)
                .register(registry);
    }

    private void budgetCounter(MeterRegistry registry, String name, Tags extra, String description, ToDoubleFunction<TenantStats> f) {
        TenantSeries s = series;
        FunctionCounter.builder(name, s, x -> s.budgetTotal(f)).tags(tags).tags(extra).description(description).register(registry);
    }
}
