package dev.sluice.micrometer;

import static dev.sluice.micrometer.SluiceMeterNames.*;

import dev.sluice.BreakerState;
import dev.sluice.CloseReason;
import dev.sluice.LatencySummary;
import dev.sluice.PoolHealth;
import dev.sluice.PoolStats;
import dev.sluice.Sizing;
import dev.sluice.SizingDecision;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Binds a {@link SluiceDataSource}'s meters to a Micrometer registry: the OpenTelemetry
 * {@code db.client.connection.*} meters and Sluice's own {@code sluice.*} (names in
 * {@link SluiceMeterNames}), each tagged with the pool's name.
 *
 * <pre>{@code
 * SluiceMetrics.bind(dataSource, registry);
 * }</pre>
 *
 * <p><b>Nothing on the borrow path.</b> Every meter is a gauge, a function counter or a function
 * timer that reads {@link SluiceDataSource#stats()} when the registry asks, and the snapshot is
 * reused for 100 ms so that one scrape takes one snapshot however many meters it reads. The pool
 * keeps those counters and histograms whether or not a registry is bound; binding registers no
 * listener.
 *
 * <p><b>Timers</b> report count and total time (count times the mean of the pool's own latency
 * histogram). Their percentiles are the {@code sluice.connection.*.quantile} gauges, which come
 * from the same histograms and so describe the whole life of the pool, not a recent window.
 *
 * <p><b>Lifetime.</b> The registry keeps these meters' state alive; the data source is held
 * weakly, so binding does not keep a discarded pool in memory. Once the pool is closed its
 * gauges read zero and its totals stay; once it is garbage-collected its gauges read NaN.
 * Closing does not remove the meters: remove them from the registry if a pool of the same name
 * will be bound again.
 */
public final class SluiceMetrics implements MeterBinder {
    /** Long enough for one scrape to read every meter from one snapshot, short enough to never show stale values on a dashboard. */
    static final Duration SNAPSHOT_TTL = Duration.ofMillis(100);
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};

    private final Tags tags;
    private final PoolStatsCache cache;
    private final Supplier<PoolHealth.Status> health;
    private final int configuredMaximumPoolSize;
    private final int configuredMaxIdle;
    private final boolean sizingMeters;

    /**
     * Meters tagged with the pool's name only. A bean-style data source that has not started yet
     * starts here: its name and limits are read from the started pool's configuration.
     */
    public SluiceMetrics(SluiceDataSource dataSource) {
        this(dataSource, Tags.empty());
    }

    /**
     * Meters tagged with the pool's name and {@code extraTags} (an application or instance tag,
     * say). The pool-name tag always holds the pool's name, even if {@code extraTags} has one.
     */
    public SluiceMetrics(SluiceDataSource dataSource, Iterable<Tag> extraTags) {
        this(Objects.requireNonNull(dataSource, "dataSource").config(), weakly(dataSource, SluiceDataSource::stats),
                weakly(dataSource, ds -> ds.health().status()), extraTags,
                System::nanoTime, SNAPSHOT_TTL);
    }

    /** For tests: any source of snapshots, any clock, any reuse time; no health status (its gauges read NaN). */
    SluiceMetrics(SluiceConfig config, Supplier<PoolStats> source, Iterable<Tag> extraTags, LongSupplier ticker, Duration snapshotTtl) {
        this(config, source, () -> null, extraTags, ticker, snapshotTtl);
    }

    /** For tests: any source of snapshots and of health statuses, any clock, any reuse time. */
    SluiceMetrics(SluiceConfig config, Supplier<PoolStats> source, Supplier<PoolHealth.Status> health, Iterable<Tag> extraTags,
            LongSupplier ticker, Duration snapshotTtl) {
        this.health = Objects.requireNonNull(health, "health");
        String poolName = config.poolName();
        this.tags = Tags.of(Objects.requireNonNull(extraTags, "extraTags")).and(POOL_NAME, poolName);
        this.cache = new PoolStatsCache(poolName, source, ticker, snapshotTtl.toNanos());
        // Only numbers are kept from the configuration: it also holds the credentials.
        this.configuredMaximumPoolSize = config.maximumPoolSize();
        this.configuredMaxIdle = config.maxIdle();
        this.sizingMeters = config.sizing() != Sizing.FIXED;
    }

    /** Binds {@code dataSource}'s meters to {@code registry} and returns the binder. */
    public static SluiceMetrics bind(SluiceDataSource dataSource, MeterRegistry registry) {
        SluiceMetrics metrics = new SluiceMetrics(dataSource);
        metrics.bindTo(registry);
        return metrics;
    }

    /** {@code read} of the data source, or null once it is garbage-collected: binding must not keep a discarded pool in memory. */
    static <D, T> Supplier<T> weakly(D dataSource, Function<D, T> read) {
        WeakReference<D> ref = new WeakReference<>(dataSource);
        return () -> {
            D ds = ref.get();
            return ds == null ? null : read.apply(ds);
        };
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        bindOpenTelemetryMeters(registry);
        bindConnectionMeters(registry);
        bindBreakerMeters(registry);
        bindHealthMeters(registry);
        if (sizingMeters) {
            bindSizingMeters(registry);
        }
    }

    private void bindOpenTelemetryMeters(MeterRegistry registry) {
        gauge(registry, CONNECTION_COUNT, Tags.of(STATE, "idle"), "Connections idle in the pool now", PoolStats::idle);
        gauge(registry, CONNECTION_COUNT, Tags.of(STATE, "used"), "Connections borrowed from the pool now", PoolStats::inUse);
        gauge(registry, IDLE_MAX, Tags.empty(), "The most idle connections the pool keeps (maxIdle); more are closed on return", this::maxIdle);
        gauge(registry, IDLE_MIN, Tags.empty(), "The fewest idle connections the pool keeps ready (minimumIdle)", PoolStats::minimumIdle);
        gauge(registry, MAX, Tags.empty(), "The most connections the pool opens (maximumPoolSize, as it is now)", PoolStats::maximumPoolSize);
        gauge(registry, PENDING_REQUESTS, Tags.empty(), "getConnection calls waiting for a connection now", PoolStats::pending);
        counter(registry, TIMEOUTS, Tags.empty(), "getConnection calls that failed because their deadline passed", PoolStats::acquireTimeouts);
        timer(registry, CREATE_TIME, "Time to open a physical connection (successful connects)", PoolStats::createLatency);
        timer(registry, WAIT_TIME, "Time to obtain a connection from the pool, waiting and validation included", PoolStats::acquireLatency);
        // The pool times a sample of holds unless something needs every one: count the returns, not the samples.
        timer(registry, USE_TIME, "Time from borrowing a connection to returning it", PoolStats::holdLatency,
                s -> Math.max(0, s.acquired() - s.inUse()));
    }

    private void bindConnectionMeters(MeterRegistry registry) {
        counter(registry, CREATED, Tags.empty(), "Physical connections opened", PoolStats::created);
        counter(registry, CONNECT_FAILURES, Tags.empty(), "Connect attempts that failed", PoolStats::createFailures);
        gauge(registry, CREATING, Tags.empty(), "Connects in progress now", PoolStats::creating);
        counter(registry, WAITS, Tags.empty(), "getConnection calls that found no idle connection and had to wait", PoolStats::waitCount);
        for (CloseReason reason : CloseReason.values()) {
            counter(registry, CLOSED, Tags.of(REASON, lower(reason)), "Physical connections closed, by reason", s -> s.closed(reason));
        }
        counter(registry, LEAKS_SUSPECTED, Tags.empty(), "Borrows held longer than leakDetectionThreshold", PoolStats::leaksSuspected);
        counter(registry, ABANDONED, Tags.empty(), "Borrowed connections aborted and reclaimed after abandonTimeout", PoolStats::abandoned);
        counter(registry, VALIDATION_FAILURES, Tags.empty(), "Connection validations that failed, before hand-out or in keepalive",
                PoolStats::validationFailures);
        counter(registry, NESTED_ACQUISITIONS, Tags.empty(),
                "Waits by a thread that already held a connection of this pool (a deadlock risk under load)", PoolStats::nestedAcquisitions);
        quantiles(registry, WAIT_TIME_QUANTILE, "Time to obtain a connection", PoolStats::acquireLatency);
        quantiles(registry, USE_TIME_QUANTILE, "Time connections were held by borrowers", PoolStats::holdLatency);
        quantiles(registry, CREATE_TIME_QUANTILE, "Time a successful connect took", PoolStats::createLatency);
    }

    private void bindBreakerMeters(MeterRegistry registry) {
        for (BreakerState state : BreakerState.values()) {
            gauge(registry, BREAKER_STATE, Tags.of(BREAKER_STATE_TAG, lower(state)),
                    "1 for the circuit breaker's current state, 0 for the others", s -> s.breakerState() == state ? 1 : 0);
        }
        counter(registry, BREAKER_OPENS, Tags.empty(), "Times the circuit breaker opened", PoolStats::breakerOpens);
        counter(registry, BREAKER_REJECTIONS, Tags.empty(), "getConnection calls failed fast because the circuit breaker was open",
                PoolStats::breakerRejections);
    }

    private void bindSizingMeters(MeterRegistry registry) {
        gauge(registry, SIZING_TARGET, Tags.empty(), "The pool size chosen by the latest adaptive-sizing decision (NaN before the first)",
                SluiceMetrics::latestSizingTarget);
        for (SizingDecision.Action action : SizingDecision.Action.values()) {
            // The registry holds the function strongly and its first argument weakly: the lambda keeps the cache alive.
            FunctionCounter.builder(SIZING_DECISIONS, cache, c -> (double) c.sizingDecisions().count(action))
                    .tags(tags).tag(ACTION, lower(action))
                    .description("Adaptive-sizing decisions, by action (counted from the pool's log of the latest 50 at each scrape)")
                    .register(registry);
        }
    }

    /**
     * maxIdle as the pool applies it now. The snapshot lacks it, so the pool's rule is repeated
     * here: left at its default (maximumPoolSize) it follows the size; set, it is kept within the
     * current minimumIdle and maximumPoolSize.
     */
    private double maxIdle(PoolStats s) {
        int configured = configuredMaxIdle >= configuredMaximumPoolSize ? s.maximumPoolSize() : configuredMaxIdle;
        return Math.max(s.minimumIdle(), Math.min(configured, s.maximumPoolSize()));
    }

    /**
     * One 0/1 gauge per status, as for the breaker's state, rather than one gauge valued 0..4: the
     * statuses are not a scale (OVERSIZED is not worse than SATURATED), and an alert on
     * {@code sluice.pool.health{status="saturated"} == 1} reads as what it means. The rule is judged
     * from the pool's samples on each read: a sort of 60 numbers, no walk over the connections.
     */
    private void bindHealthMeters(MeterRegistry registry) {
        Supplier<PoolHealth.Status> h = health;
        for (PoolHealth.Status status : PoolHealth.Status.values()) {
            Gauge.builder(HEALTH, h, x -> healthGauge(x, status)).tags(tags).tag(HEALTH_STATUS_TAG, lower(status))
                    .description("1 for the pool's health status now (judged over the last minute), 0 for the others")
                    .strongReference(true).register(registry);
        }
    }

    private static double healthGauge(Supplier<PoolHealth.Status> health, PoolHealth.Status status) {
        PoolHealth.Status now;
        try {
            now = health.get();
        } catch (RuntimeException cannotRead) { // a lazily started pool whose start failed: as for the other gauges
            return Double.NaN;
        }
        return now == null ? Double.NaN : now == status ? 1 : 0;
    }

    private static double latestSizingTarget(PoolStats s) {
        List<SizingDecision> log = s.sizingDecisions();
        return log.isEmpty() ? Double.NaN : log.get(log.size() - 1).toSize();
    }

    private void gauge(MeterRegistry registry, String name, Tags extra, String description, ToDoubleFunction<PoolStats> f) {
        // Strong: a caller who binds and forgets the binder still gets live meters.
        Gauge.builder(name, cache, c -> c.gauge(f)).tags(tags).tags(extra).description(description).strongReference(true).register(registry);
    }

    private void counter(MeterRegistry registry, String name, Tags extra, String description, ToDoubleFunction<PoolStats> f) {
        PoolStatsCache c = cache;
        // FunctionCounter holds its object weakly and has no strongReference option; capturing c in the function keeps it alive.
        FunctionCounter.builder(name, c, x -> c.total(f)).tags(tags).tags(extra).description(description).register(registry);
    }

    private void timer(MeterRegistry registry, String name, String description, Function<PoolStats, LatencySummary> summary) {
        timer(registry, name, description, summary, s -> summary.apply(s).count());
    }

    /**
     * @param count how many observations the timer stands for: the summary's own count, or, where the
     *              pool times only a sample (hold times), the number of events, with the total estimated as
     *              that count times the sampled mean
     */
    private void timer(MeterRegistry registry, String name, String description, Function<PoolStats, LatencySummary> summary,
            ToLongFunction<PoolStats> count) {
        PoolStatsCache c = cache;
        FunctionTimer.builder(name, c,
                        x -> (long) c.total(s -> count.applyAsLong(s)),
                        // Mean times count: exact to within a nanosecond per observation where every one is timed.
                        x -> c.total(s -> (double) count.applyAsLong(s) * summary.apply(s).mean().toNanos()),
                        TimeUnit.NANOSECONDS)
                .tags(tags).description(description).register(registry);
    }

    private void quantiles(MeterRegistry registry, String name, String what, Function<PoolStats, LatencySummary> summary) {
        String description = what + ", by quantile, over every observation since the pool started (not a recent window)";
        for (double q : QUANTILES) {
            gauge(registry, name, Tags.of(QUANTILE, Double.toString(q)), description, s -> seconds(quantile(summary.apply(s), q)),
                    "seconds");
        }
        gauge(registry, name, Tags.of(QUANTILE, "max"), description, s -> seconds(summary.apply(s).max()), "seconds");
    }

    private void gauge(MeterRegistry registry, String name, Tags extra, String description, ToDoubleFunction<PoolStats> f, String unit) {
        Gauge.builder(name, cache, x -> x.gauge(f)).tags(tags).tags(extra).description(description).baseUnit(unit)
                .strongReference(true).register(registry);
    }

    private static Duration quantile(LatencySummary l, double q) {
        return q == 0.5 ? l.p50() : q == 0.9 ? l.p90() : l.p99();
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
