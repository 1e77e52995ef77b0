package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.NestedAcquisition;
import dev.sluice.PoolHealth;
import dev.sluice.PoolHealth.Status;
import dev.sluice.SluiceConfig;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The health rule on a clock the test moves: each status reached and left again as the window
 * slides, and the reasons carrying the figures. The rule reads a stand-in for the pool's counters
 * here, so every figure is set exactly; the last test runs it on a real pool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HealthSamplerTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    /** Counters a test sets by hand, read by the sampler as it would read the pool's. */
    private static final class Counters implements HealthSampler.Source {
        volatile int inUse;
        volatile int maximum = 10;
        volatile int waiting;
        volatile long waitedNanos;
        volatile long timeouts;
        volatile boolean breakerOpen;

        @Override
        public int inUse() {
            return inUse;
        }

        @Override
        public int maximum() {
            return maximum;
        }

        @Override
        public int waiting() {
            return waiting;
        }

        @Override
        public long waitedNanos() {
            return waitedNanos;
        }

        @Override
        public long timeouts() {
            return timeouts;
        }

        @Override
        public boolean breakerOpen() {
            return breakerOpen;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final Counters counters = new Counters();
    private final HealthSampler sampler = new HealthSampler(counters, clock);

    private PoolHealth after(Duration d) {
        clock.advance(d);
        return sampler.judge();
    }

    @Test
    void aModeratelyUsedPoolIsHealthyOnceTheWindowFills() {
        counters.inUse = 5;
        sampler.start();
        PoolHealth partial = after(Duration.ofSeconds(20));
        assertThat(partial.status()).isEqualTo(Status.HEALTHY);
        assertThat(partial.covered()).isEqualTo(Duration.ofSeconds(20));
        assertThat(partial.reasons()).contains("window not filled yet: judged on 20 s of 60 s");

        PoolHealth full = after(Duration.ofSeconds(50));
        assertThat(full.status()).isEqualTo(Status.HEALTHY);
        assertThat(full.window()).isEqualTo(Duration.ofSeconds(60));
        assertThat(full.covered()).isEqualTo(Duration.ofSeconds(60));
        assertThat(full.p95Utilisation()).isEqualTo(0.5);
        assertThat(full.reasons()).noneMatch(r -> r.startsWith("window not filled"))
                .contains("p95 utilisation 0.50 (in use / maximumPoolSize 10) is below 0.75");
    }

    @Test
    void beforeTheFirstSampleThePoolAsItIsNowIsJudged() {
        counters.inUse = 9;
        sampler.start();
        PoolHealth h = sampler.judge();
        assertThat(h.status()).isEqualTo(Status.BUSY);
        assertThat(h.covered()).isZero();
        assertThat(h.p95Utilisation()).isEqualTo(0.9);
        assertThat(h.reasons()).contains("window not filled yet: judged on 0 s of 60 s");
    }

    @Test
    void highUtilisationIsBusyUntilItSlidesOutOfTheWindow() {
        counters.inUse = 5;
        sampler.start();
        after(Duration.ofSeconds(60));
        counters.inUse = 9; // 4 s of 60 at 0.9 is above the 95th percentile's 3
        PoolHealth busy = after(Duration.ofSeconds(4));
        assertThat(busy.status()).isEqualTo(Status.BUSY);
        assertThat(busy.p95Utilisation()).isEqualTo(0.9);
        assertThat(busy.reasons()).contains("p95 utilisation 0.90 (in use / maximumPoolSize 10) is at or above 0.75");

        counters.inUse = 5;
        assertThat(after(Duration.ofSeconds(56)).status()).isEqualTo(Status.BUSY);
        PoolHealth again = after(Duration.ofSeconds(2));
        assertThat(again.status()).isEqualTo(Status.HEALTHY);
        assertThat(again.p95Utilisation()).isEqualTo(0.5);
    }

    @Test
    void waitersInMoreThanOneSampleInTwentyAreBusy() {
        counters.inUse = 5;
        sampler.start();
        after(Duration.ofSeconds(10));
        counters.waiting = 1;
        after(Duration.ofSeconds(3));
        counters.waiting = 0;
        PoolHealth threeOfSixty = after(Duration.ofSeconds(47));
        assertThat(threeOfSixty.status()).isEqualTo(Status.HEALTHY);
        assertThat(threeOfSixty.waiterShare()).isEqualTo(0.05);

        counters.waiting = 1;
        PoolHealth fourOfSixty = after(SECOND);
        assertThat(fourOfSixty.status()).isEqualTo(Status.BUSY);
        assertThat(fourOfSixty.reasons()).contains("callers waiting in 7% of samples (healthy: at most 5%)");
    }

    @Test
    void anAcquireTimeoutIsSaturatedAtOnceAndForOneWindow() {
        counters.inUse = 5;
        sampler.start();
        after(Duration.ofSeconds(70));
        counters.timeouts = 1; // between two samples: counted before the next one is taken
        PoolHealth at = sampler.judge();
        assertThat(at.status()).isEqualTo(Status.SATURATED);
        assertThat(at.timeouts()).isEqualTo(1);
        assertThat(at.reasons()).contains("1 acquire timed out (saturated: any)");

        assertThat(after(Duration.ofSeconds(59)).status()).isEqualTo(Status.SATURATED);
        PoolHealth later = after(Duration.ofSeconds(2));
        assertThat(later.status()).isEqualTo(Status.HEALTHY);
        assertThat(later.timeouts()).isZero();
    }

    @Test
    void moreThanTenSecondsOfWaitingInTheWindowIsSaturated() {
        counters.inUse = 5;
        sampler.start();
        after(Duration.ofSeconds(60));
        counters.waitedNanos += TimeUnit.SECONDS.toNanos(6);
        after(Duration.ofSeconds(10));
        counters.waitedNanos += TimeUnit.SECONDS.toNanos(4);
        PoolHealth ten = after(SECOND);
        assertThat(ten.status()).isEqualTo(Status.HEALTHY);
        assertThat(ten.waited()).isEqualTo(Duration.ofSeconds(10));

        counters.waitedNanos += TimeUnit.MILLISECONDS.toNanos(500);
        PoolHealth more = after(SECOND);
        assertThat(more.status()).isEqualTo(Status.SATURATED);
        assertThat(more.reasons()).contains("callers waited 10.5 s in total (saturated: above 10 s)");

        // The first 6 s were sampled 61 s ago: they leave the window and the rest is 4.5 s.
        PoolHealth slid = after(Duration.ofSeconds(50));
        assertThat(slid.waited()).isEqualTo(Duration.ofMillis(4500));
        assertThat(slid.status()).isEqualTo(Status.HEALTHY);
    }

    @Test
    void anOpenBreakerIsDownWhateverTheLoad() {
        counters.inUse = 5;
        sampler.start();
        after(Duration.ofSeconds(5));
        counters.breakerOpen = true;
        counters.timeouts = 3;
        PoolHealth down = sampler.judge();
        assertThat(down.status()).isEqualTo(Status.DOWN);
        assertThat(down.reasons()).first().asString().contains("circuit breaker is open");

        counters.breakerOpen = false;
        assertThat(sampler.judge().status()).isEqualTo(Status.SATURATED);
    }

    @Test
    void aPoolFarLargerThanItsPeakIsOversized() {
        counters.maximum = 20;
        counters.inUse = 3;
        sampler.start();
        PoolHealth h = after(Duration.ofSeconds(60));
        assertThat(h.status()).isEqualTo(Status.OVERSIZED);
        assertThat(h.p95Utilisation()).isEqualTo(0.15);
        assertThat(h.reasons()).contains(
                "p95 utilisation 0.15 is below 0.2 and at most 3 in use needs maximumPoolSize 4, not 20");

        counters.inUse = 6; // 0.3 of 20: healthy, no longer oversized, once past the 95th percentile
        assertThat(after(Duration.ofSeconds(4)).status()).isEqualTo(Status.HEALTHY);
    }

    @Test
    void aSmallPoolThatNeedsAllItsConnectionsIsNotOversized() {
        counters.maximum = 4;
        counters.inUse = 0;
        sampler.start();
        after(Duration.ofSeconds(59));
        counters.inUse = 3; // one second at the peak: utilisation p95 is 0, but the peak needs 4
        PoolHealth h = after(SECOND);
        assertThat(h.p95Utilisation()).isZero();
        assertThat(h.status()).isEqualTo(Status.HEALTHY);
    }

    @Test
    void aStoppedSamplerTakesNoMoreSamples() {
        sampler.start();
        after(Duration.ofSeconds(5));
        sampler.stop();
        assertThat(after(Duration.ofSeconds(5)).covered()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void onARealPoolConnectionsHeldAtTheLimitAreBusy() throws Exception {
        StubDatabase db = StubDatabase.create();
        try (ClockedPool clocked = new ClockedPool(SluiceConfig.builder().jdbcUrl(db.url())
                .poolName("health-" + db.url().substring(10)).maximumPoolSize(4).minimumIdle(0)
                .nestedAcquisition(NestedAcquisition.ALLOW))) {
            Pool pool = clocked.pool;
            clocked.advance(Duration.ofSeconds(10));
            assertThat(pool.health().status()).isEqualTo(Status.OVERSIZED);

            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(pool.acquire());
            }
            clocked.advance(Duration.ofSeconds(10));
            PoolHealth busy = pool.health();
            assertThat(busy.status()).isEqualTo(Status.BUSY);
            assertThat(busy.reasons()).contains("p95 utilisation 1.00 (in use / maximumPoolSize 4) is at or above 0.75");
            for (Connection c : held) {
                c.close();
            }
            clocked.advance(Duration.ofSeconds(60));
            assertThat(pool.health().status()).isEqualTo(Status.OVERSIZED);
        }
    }
}
