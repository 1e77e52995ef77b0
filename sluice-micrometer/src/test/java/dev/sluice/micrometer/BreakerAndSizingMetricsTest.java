package dev.sluice.micrometer;

import static dev.sluice.micrometer.Meters.awaitUntil;
import static dev.sluice.micrometer.Meters.value;
import static dev.sluice.micrometer.SluiceMeterNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.BreakerState;
import dev.sluice.FailureReason;
import dev.sluice.PoolStats;
import dev.sluice.Sizing;
import dev.sluice.SizingDecision;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The breaker and sizing meters of real pools: H2 over TCP to a port nobody listens on, and an adaptive in-memory pool. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BreakerAndSizingMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // free once closed: connects to it are refused
        }
    }

    @Test
    void aDatabaseThatRefusesConnectsOpensTheBreakerAndTheMetersSaySo() throws Exception {
        SluiceConfig config = SluiceConfig.builder().poolName("refused")
                .jdbcUrl("jdbc:h2:tcp://127.0.0.1:" + closedPort() + "/mem:none").username("sa").password("x")
                .maximumPoolSize(2).minimumIdle(1).initializationFailTimeout(Duration.ofMillis(-1)).build();
        try (SluiceDataSource ds = new SluiceDataSource(config)) {
            SluiceMetrics.bind(ds, registry);
            awaitUntil("the breaker opens", () -> value(registry, BREAKER_OPENS) >= 1);
            assertThat(value(registry, CONNECT_FAILURES)).as("breakerFailureThreshold=3").isGreaterThanOrEqualTo(3);
            assertThat(value(registry, CREATED)).isZero();
            assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "closed")).isZero();
            assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "disabled")).isZero();

            Throwable t = catchThrowable(ds::getConnection);
            assertThat(((SluiceFailure) t).reason()).isEqualTo(FailureReason.BREAKER_OPEN);
            awaitUntil("the rejection is counted", () -> value(registry, BREAKER_REJECTIONS) >= 1);
        }
    }

    @Test
    void exactlyOneBreakerStateReadsOneInAnySnapshot() throws Exception {
        SluiceConfig config = SluiceConfig.builder().poolName("one-state")
                .jdbcUrl("jdbc:h2:tcp://127.0.0.1:" + closedPort() + "/mem:none").username("sa")
                .maximumPoolSize(1).minimumIdle(1).initializationFailTimeout(Duration.ofMillis(-1)).build();
        try (SluiceDataSource ds = new SluiceDataSource(config)) {
            // A hand-driven clock: the four gauges are read from one snapshot, as in one scrape.
            AtomicLong clock = new AtomicLong();
            new SluiceMetrics(config, ds::stats, Tags.empty(), clock::get, Duration.ofMillis(100)).bindTo(registry);
            for (int i = 0; i < 50; i++) {
                double sum = 0;
                for (BreakerState s : BreakerState.values()) {
                    sum += value(registry, BREAKER_STATE, BREAKER_STATE_TAG, s.name().toLowerCase(java.util.Locale.ROOT));
                }
                assertThat(sum).isEqualTo(1);
                clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
                Thread.sleep(10); // let the breaker move between OPEN and HALF_OPEN while probing
            }
        }
    }

    @Test
    void anAdaptivePoolsDecisionsAreCountedAndItsTargetShown() throws Exception {
        SluiceConfig config = SluiceConfig.builder().poolName("adaptive")
                .jdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1").username("sa")
                .sizing(Sizing.ADAPTIVE).minimumIdle(1).maximumPoolSize(8).sizingInterval(Duration.ofMillis(100))
                .initializationFailTimeout(Duration.ofSeconds(10)).build();
        try (SluiceDataSource ds = new SluiceDataSource(config)) {
            SluiceMetrics.bind(ds, registry);
            for (int i = 0; i < 30; i++) {
                try (Connection c = ds.getConnection()) {
                    Thread.sleep(10);
                }
            }
            awaitUntil("two decisions counted", () -> decisionsCounted() >= 2);
            // The target is the latest decision's size: compare it with a snapshot taken after the gauge's.
            awaitUntil("the target is the latest decision's", () -> {
                double target = value(registry, SIZING_TARGET);
                List<SizingDecision> log = ds.stats().sizingDecisions();
                return !log.isEmpty() && target == log.get(log.size() - 1).toSize();
            });
            PoolStats s = ds.stats();
            if (s.sizingDecisions().size() < 50) { // the whole history is still in the log
                assertThat(decisionsCounted()).as("never more than the pool decided").isLessThanOrEqualTo(s.sizingDecisions().size());
            }
        }
    }

    private double decisionsCounted() {
        double n = 0;
        for (SizingDecision.Action a : SizingDecision.Action.values()) {
            n += value(registry, SIZING_DECISIONS, ACTION, a.name().toLowerCase(java.util.Locale.ROOT));
        }
        return n;
    }
}
