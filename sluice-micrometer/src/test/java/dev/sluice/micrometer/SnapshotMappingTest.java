package dev.sluice.micrometer;

import static dev.sluice.micrometer.Meters.totalSeconds;
import static dev.sluice.micrometer.Meters.value;
import static dev.sluice.micrometer.SluiceMeterNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sluice.BreakerState;
import dev.sluice.CloseReason;
import dev.sluice.FailureReason;
import dev.sluice.LatencySummary;
import dev.sluice.PoolStats;
import dev.sluice.Sizing;
import dev.sluice.SizingDecision;
import dev.sluice.SizingDecision.Action;
import dev.sluice.SluiceConfig;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each field of a snapshot lands in its meter, the snapshot is shared by a scrape, and a pool
 * that cannot be read gives NaN gauges and kept totals. Scripted snapshots and a hand-driven
 * clock: the counters a real pool rarely moves (validation failures, abandons, sizing) get
 * exact values here.
 */
class SnapshotMappingTest {
    private static final Duration TTL = Duration.ofMillis(100);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private static LatencySummary latency(long count, long meanMicros, long p50, long p90, long p99, long max) {
        return new LatencySummary(count, Duration.ofNanos(meanMicros * 1000), Duration.ofNanos(p50 * 1000), Duration.ofNanos(p90 * 1000),
                Duration.ofNanos(p99 * 1000), Duration.ofNanos(max * 1000));
    }

    private static SizingDecision decision(long atSeconds, Action action, int to) {
        return new SizingDecision(Instant.ofEpochSecond(atSeconds), action, 4, to, true, 10, 1, 1, 0, to, "scripted");
    }

    private static PoolStats stats(BreakerState breaker, List<SizingDecision> decisions) {
        return PoolStats.builder().poolName("mapped").maximumPoolSize(12).minimumIdle(3).open(9).inUse(5).idle(4)
                .pending(2).creating(1).acquired(1000).waitCount(40).waitTime(Duration.ofMillis(90)).acquireTimeouts(7)
                .created(11).createFailures(6).closed(2)
                .closedByReason(Map.of(CloseReason.MAX_LIFETIME, 1L, CloseReason.BROKEN, 1L))
                .validationFailures(8).leaksSuspected(9).abandoned(10).nestedAcquisitions(13)
                .acquireLatency(latency(1000, 50, 20, 80, 400, 900))
                .holdLatency(latency(1000, 2000, 1500, 3000, 9000, 12000))
                .createLatency(latency(11, 3000, 2500, 4000, 8000, 8000))
                .lastConnectFailure(FailureReason.CONNECT_REFUSED).breakerState(breaker).breakerOpens(14)
                .breakerRejections(15).sizingDecisions(decisions).build();
    }

    private SluiceMetrics bind(SluiceConfig config, Supplier<PoolStats> source) {
        SluiceMetrics m = new SluiceMetrics(config, source, Tags.of("instance", "a"), now::get, TTL);
        m.bindTo(registry);
        return m;
    }

    private static SluiceConfig config(Sizing sizing) {
        return SluiceConfig.builder().poolName("mapped").jdbcUrl("jdbc:none").password("hunter2").maximumPoolSize(12).minimumIdle(3)
                .maxIdle(6).sizing(sizing).build();
    }

    @Test
    void everyFieldOfTheSnapshotLandsInItsMeter() {
        bind(config(Sizing.FIXED), () -> stats(BreakerState.HALF_OPEN, List.of()));

        assertThat(value(registry, CONNECTION_COUNT, STATE, "used")).isEqualTo(5);
        assertThat(value(registry, CONNECTION_COUNT, STATE, "idle")).isEqualTo(4);
        assertThat(value(registry, MAX)).isEqualTo(12);
        assertThat(value(registry, IDLE_MIN)).isEqualTo(3);
        assertThat(value(registry, IDLE_MAX)).as("configured maxIdle within the current bounds").isEqualTo(6);
        assertThat(value(registry, PENDING_REQUESTS)).isEqualTo(2);
        assertThat(value(registry, TIMEOUTS)).isEqualTo(7);
        assertThat(value(registry, WAIT_TIME)).isEqualTo(1000);
        assertThat(totalSeconds(registry, WAIT_TIME)).isCloseTo(1000 * 50e-6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(value(registry, USE_TIME)).as("returns: acquired less in use, not the sampled count").isEqualTo(995);
        assertThat(totalSeconds(registry, USE_TIME)).isCloseTo(995 * 2e-3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(value(registry, CREATE_TIME)).isEqualTo(11);
        assertThat(totalSeconds(registry, CREATE_TIME)).isCloseTo(0.033, org.assertj.core.data.Offset.offset(1e-9));

        assertThat(value(registry, CREATED)).isEqualTo(11);
        assertThat(value(registry, CONNECT_FAILURES)).isEqualTo(6);
        assertThat(value(registry, CREATING)).isEqualTo(1);
        assertThat(value(registry, WAITS)).isEqualTo(40);
        assertThat(value(registry, CLOSED, REASON, "max_lifetime")).isEqualTo(1);
        assertThat(value(registry, CLOSED, REASON, "broken")).isEqualTo(1);
        assertThat(value(registry, CLOSED, REASON, "evicted")).isZero();
        assertThat(value(registry, VALIDATION_FAILURES)).isEqualTo(8);
        assertThat(value(registry, LEAKS_SUSPECTED)).isEqualTo(9);
        assertThat(value(registry, ABANDONED)).isEqualTo(10);
        assertThat(value(registry, NESTED_ACQUISITIONS)).isEqualTo(13);
        assertThat(value(registry, BREAKER_OPENS)).isEqualTo(14);
        assertThat(value(registry, BREAKER_REJECTIONS)).isEqualTo(15);
        assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "half_open")).isEqualTo(1);
        assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "open")).isZero();
        assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "closed")).isZero();
        assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "disabled")).isZero();

        assertThat(value(registry, WAIT_TIME_QUANTILE, QUANTILE, "0.5")).isEqualTo(20e-6);
        assertThat(value(registry, WAIT_TIME_QUANTILE, QUANTILE, "0.9")).isEqualTo(80e-6);
        assertThat(value(registry, WAIT_TIME_QUANTILE, QUANTILE, "0.99")).isEqualTo(400e-6);
        assertThat(value(registry, WAIT_TIME_QUANTILE, QUANTILE, "max")).isEqualTo(900e-6);
        assertThat(value(registry, USE_TIME_QUANTILE, QUANTILE, "0.99")).isEqualTo(9e-3);
        assertThat(value(registry, CREATE_TIME_QUANTILE, QUANTILE, "max")).isEqualTo(8e-3);
        assertThat(Meters.one(registry, WAIT_TIME_QUANTILE, QUANTILE, "max").getId().getBaseUnit()).isEqualTo("seconds");

        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag("instance")).isEqualTo("a"));
        assertThat(registry.find(SIZING_TARGET).meters()).as("sizing FIXED").isEmpty();
    }

    @Test
    void maxIdleFollowsTheSizeWhenLeftAtItsDefaultAndStaysWithinTheBoundsOtherwise() {
        AtomicReference<PoolStats> current = new AtomicReference<>(stats(BreakerState.CLOSED, List.of()));
        SluiceConfig byDefault = SluiceConfig.builder().poolName("a").jdbcUrl("jdbc:none").maximumPoolSize(12).minimumIdle(3).build();
        new SluiceMetrics(byDefault, current::get, Tags.of("which", "default"), now::get, Duration.ZERO).bindTo(registry);
        new SluiceMetrics(config(Sizing.FIXED), current::get, Tags.of("which", "six"), now::get, Duration.ZERO).bindTo(registry);
        assertThat(value(registry, IDLE_MAX, "which", "default")).isEqualTo(12);
        assertThat(value(registry, IDLE_MAX, "which", "six")).isEqualTo(6);

        PoolStats s = current.get();
        // resize(4, 2) then resize(20, 8): the default follows; 6 is capped at 4, then raised to minimumIdle 8.
        current.set(resized(s, 4, 2));
        assertThat(value(registry, IDLE_MAX, "which", "default")).isEqualTo(4);
        assertThat(value(registry, IDLE_MAX, "which", "six")).isEqualTo(4);
        current.set(resized(s, 20, 8));
        assertThat(value(registry, IDLE_MAX, "which", "default")).isEqualTo(20);
        assertThat(value(registry, IDLE_MAX, "which", "six")).isEqualTo(8);
    }

    private static PoolStats resized(PoolStats s, int max, int minIdle) {
        return s.toBuilder().maximumPoolSize(max).minimumIdle(minIdle).build();
    }

    @Test
    void oneScrapeTakesOneSnapshotAndTheNextScrapeAFreshOne() {
        AtomicInteger snapshots = new AtomicInteger();
        bind(config(Sizing.ADAPTIVE), () -> {
            snapshots.incrementAndGet();
            return stats(BreakerState.CLOSED, List.of());
        });
        int meters = registry.getMeters().size();
        assertThat(meters).isGreaterThan(40);

        registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()));
        assertThat(snapshots).as("one scrape of %d meters", meters).hasValue(1);
        now.addAndGet(TTL.toNanos() - 1);
        registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()));
        assertThat(snapshots).as("within the reuse time").hasValue(1);
        now.addAndGet(1);
        registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()));
        assertThat(snapshots).as("reuse time over").hasValue(2);
    }

    @Test
    void sizingDecisionsAreCountedByActionAcrossSnapshotsOfTheSlidingLog() {
        AtomicReference<PoolStats> current = new AtomicReference<>(stats(BreakerState.CLOSED, List.of()));
        bind(config(Sizing.ADAPTIVE), current::get);
        assertThat(value(registry, SIZING_TARGET)).as("before the first decision").isNaN();
        assertThat(value(registry, SIZING_DECISIONS, ACTION, "grow")).isZero();

        List<SizingDecision> log = new ArrayList<>(List.of(decision(1, Action.GROW, 6), decision(2, Action.HOLD, 6)));
        current.set(stats(BreakerState.CLOSED, List.copyOf(log)));
        now.addAndGet(TTL.toNanos());
        assertThat(value(registry, SIZING_TARGET)).isEqualTo(6);
        assertThat(value(registry, SIZING_DECISIONS, ACTION, "grow")).isEqualTo(1);
        assertThat(value(registry, SIZING_DECISIONS, ACTION, "hold")).isEqualTo(1);

        // The log slides: the oldest entries drop out while new ones arrive; only the new ones count.
        for (int at = 3; at <= 60; at++) {
            log.add(decision(at, at == 60 ? Action.SHRINK : Action.HOLD, at == 60 ? 5 : 6));
        }
        current.set(stats(BreakerState.CLOSED, List.copyOf(log.subList(log.size() - 50, log.size()))));
        now.addAndGet(TTL.toNanos());
        assertThat(value(registry, SIZING_TARGET)).isEqualTo(5);
        assertThat(value(registry, SIZING_DECISIONS, ACTION, "grow")).isEqualTo(1);
        assertThat(value(registry, SIZING_DECISIONS, ACTION, "shrink")).isEqualTo(1);
        assertThat(value(registry, SIZING_DECISIONS, ACTION, "hold"))
                .as("1 + the 49 new holds still in the log (8 fell out unseen)").isEqualTo(1 + 49);
        assertThat(value(registry, SIZING_DECISIONS, ACTION, "freeze")).isZero();

        now.addAndGet(TTL.toNanos());
        assertThat(value(registry, SIZING_DECISIONS, ACTION, "hold")).as("the same log again adds nothing").isEqualTo(50);
    }

    @Test
    void aPoolThatCannotBeReadGivesNanGaugesAndKeepsItsTotals() {
        AtomicReference<Supplier<PoolStats>> source = new AtomicReference<>(() -> {
            throw new IllegalStateException("pool failed to start");
        });
        bind(config(Sizing.FIXED), () -> source.get().get());
        assertThatCode(() -> registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()))).doesNotThrowAnyException();
        assertThat(value(registry, CONNECTION_COUNT, STATE, "idle")).isNaN();
        assertThat(value(registry, TIMEOUTS)).as("a counter starts at zero").isZero();

        source.set(() -> stats(BreakerState.CLOSED, List.of()));
        now.addAndGet(TTL.toNanos());
        assertThat(value(registry, CONNECTION_COUNT, STATE, "idle")).isEqualTo(4);
        assertThat(value(registry, TIMEOUTS)).isEqualTo(7);

        source.set(() -> null); // the data source was garbage-collected
        now.addAndGet(TTL.toNanos());
        assertThat(value(registry, CONNECTION_COUNT, STATE, "idle")).isNaN();
        assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "closed")).isNaN();
        assertThat(value(registry, TIMEOUTS)).as("a counter never goes back").isEqualTo(7);
        assertThat(value(registry, WAIT_TIME)).isEqualTo(1000);
    }

    @Test
    void thePoolNameTagCannotBeOverriddenByExtraTags() {
        new SluiceMetrics(config(Sizing.FIXED), () -> stats(BreakerState.CLOSED, List.of()), Tags.of(POOL_NAME, "other"), now::get, TTL)
                .bindTo(registry);
        assertThat(registry.getMeters()).allSatisfy(m -> assertThat(m.getId().getTag(POOL_NAME)).isEqualTo("mapped"));
    }
}
