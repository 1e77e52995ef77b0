package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetirementBudgetTest {
    private long now;

    @Test
    void aQuarterOfThePoolPerSecondAtMost() {
        RetirementBudget budget = new RetirementBudget(() -> now);
        budget.closed(budget.acquire(8));
        budget.closed(budget.acquire(8));
        assertThat(budget.tryAcquire(8)).as("2 of 8 within one second").isFalse();
        now += TimeUnit.MILLISECONDS.toNanos(999);
        assertThat(budget.tryAcquire(8)).isFalse();
        now += TimeUnit.MILLISECONDS.toNanos(1);
        assertThat(budget.tryAcquire(8)).isTrue();
    }

    @Test
    void aRetirementCountsUntilItsCloseAndAtLeastOneSecondNotASecondMore() {
        RetirementBudget budget = new RetirementBudget(() -> now);
        long[] first = budget.acquire(8);
        now += TimeUnit.MILLISECONDS.toNanos(10);
        long[] second = budget.acquire(8);
        now = TimeUnit.MILLISECONDS.toNanos(1500);
        assertThat(budget.acquire(8)).as("both still open beside their replacements").isNull();
        budget.closed(first);
        assertThat(budget.acquire(8)).as("closed, and a second after its start: the close budget spaces the closes")
                .isNotNull();
        budget.closed(second);
        now = TimeUnit.MILLISECONDS.toNanos(1600);
        long[] fourth = budget.acquire(8);
        assertThat(fourth).isNotNull();
        budget.closed(fourth);
        assertThat(budget.acquire(8)).as("closed at once, but started less than a second ago").isNull();
    }

    @Test
    void aCancelledRetirementNoLongerCounts() {
        RetirementBudget budget = new RetirementBudget(() -> now);
        long[] first = budget.acquire(8);
        assertThat(budget.tryAcquire(8)).isTrue();
        assertThat(budget.tryAcquire(8)).isFalse();
        budget.cancel(first);
        assertThat(budget.tryAcquire(8)).isTrue();
    }

    @Test
    void aSmallPoolMayStillRetireOnePerSecond() {
        RetirementBudget budget = new RetirementBudget(() -> now);
        assertThat(budget.tryAcquire(2)).isTrue();
        assertThat(budget.tryAcquire(2)).isFalse();
    }

    @Test
    void closesAreSpacedSoNoSecondHoldsMoreThanAQuarterOfThePool() {
        RetirementBudget budget = new RetirementBudget(() -> now);
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        now = 27_580 * ms;
        assertThat(budget.closeDelay(8)).isZero();
        now = 28_730 * ms; // 1.15 s later: the first has left the window
        assertThat(budget.closeDelay(8)).isZero();
        now = 28_860 * ms;
        assertThat(budget.closeDelay(8)).as("the second within a second of 28.73").isZero();
        now = 28_870 * ms;
        long delay = budget.closeDelay(8);
        assertThat(now + delay).as("a third waits until 28.73 has left the window, margin included")
                .isEqualTo(28_730 * ms + TimeUnit.MILLISECONDS.toNanos(1100) + 1);
        now = 28_880 * ms;
        long after = budget.closeDelay(8);
        assertThat(now + after).as("and a fourth until 28.86 has").isEqualTo(28_860 * ms + TimeUnit.MILLISECONDS.toNanos(1100) + 1);
    }
}
