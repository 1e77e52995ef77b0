package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.BreakerState;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The breaker's transitions on a fake clock: no sleeping, fully deterministic. */
class CircuitBreakerTest {
    private long now = 1_000_000_000L;
    private final long ms = TimeUnit.MILLISECONDS.toNanos(1);

    private CircuitBreaker breaker(int consecutive, int ratePercent) {
        return new CircuitBreaker(consecutive, ratePercent, 10_000 * ms, 20 * ms, 100 * ms, () -> now);
    }

    @Test
    void opensAfterTheConfiguredConsecutiveFailures() {
        CircuitBreaker b = breaker(3, 0);
        b.onFailure();
        b.onFailure();
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(b.onFailure().to()).isEqualTo(BreakerState.OPEN);
        assertThat(b.allowsConnect()).isFalse();
        assertThat(b.opens()).isEqualTo(1);
    }

    @Test
    void aSuccessResetsTheConsecutiveCount() {
        CircuitBreaker b = breaker(3, 0);
        b.onFailure();
        b.onFailure();
        b.onSuccess();
        b.onFailure();
        b.onFailure();
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void opensOnTheFailureRateOverTheWindow() {
        CircuitBreaker b = breaker(100, 50);
        for (int i = 0; i < 5; i++) {
            b.onSuccess();
            now += ms;
            b.onFailure();
            now += ms;
        }
        assertThat(b.state()).as("5 of 10 failed: 50%").isEqualTo(BreakerState.OPEN);
    }

    @Test
    void oldAttemptsLeaveTheWindow() {
        CircuitBreaker b = breaker(100, 50);
        for (int i = 0; i < 9; i++) {
            b.onFailure();
        }
        now += 11_000 * ms;
        for (int i = 0; i < 9; i++) {
            b.onSuccess();
        }
        b.onFailure();
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void probesAreSpacedWithGrowingButCappedDelays() {
        CircuitBreaker b = breaker(1, 0);
        b.onFailure();
        long first = b.nanosUntilProbe();
        assertThat(first).isBetween(15 * ms, 30 * ms);
        assertThat(b.tryStartProbe()).as("not due yet").isFalse();
        now += first;
        assertThat(b.tryStartProbe()).isTrue();
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(b.tryStartProbe()).as("one probe at a time").isFalse();
        for (int i = 0; i < 10; i++) {
            b.onFailure();
            long d = b.nanosUntilProbe();
            assertThat(d).isLessThanOrEqualTo(115 * ms);
            now += d;
            assertThat(b.tryStartProbe()).isTrue();
        }
        assertThat(b.onSuccess().to()).isEqualTo(BreakerState.CLOSED);
        assertThat(b.allowsConnect()).isTrue();
        assertThat(b.opens()).isEqualTo(1);
    }

    @Test
    void zeroThresholdDisablesTheBreaker() {
        CircuitBreaker b = breaker(0, 50);
        for (int i = 0; i < 50; i++) {
            b.onFailure();
        }
        assertThat(b.state()).isEqualTo(BreakerState.DISABLED);
        assertThat(b.allowsConnect()).isTrue();
    }
}
