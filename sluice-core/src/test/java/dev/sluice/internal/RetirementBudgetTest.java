package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetirementBudgetTest {
    private long now;

    @Test
    void aQuarterOfThePoolPerSecondAtMost() {
        RetirementBudget budget = new RetirementBudget(() -> now);
        assertThat(budget.tryAcquire(8)).isTrue();
        assertThat(budget.tryAcquire(8)).isTrue();
        assertThat(budget.tryAcquire(8)).as("2 of 8 within one second").isFalse();
        now += TimeUnit.MILLISECONDS.toNanos(999);
        assertThat(budget.tryAcquire(8)).isFalse();
        now += TimeUnit.MILLISECONDS.toNanos(1);
        assertThat(budget.tryAcquire(8)).isTrue();
    }

    @Test
    void aSmallPoolMayStillRetireOnePerSecond() {
        RetirementBudget budget = new RetirementBudget(() -> now);
        assertThat(budget.tryAcquire(2)).isTrue();
        assertThat(budget.tryAcquire(2)).isFalse();
    }
}
