package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SizingDecision;
import dev.sluice.SizingDecision.Action;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sizing controller on scripted windows: deterministic, no clock. */
class SizingControllerTest {
    private static final double MS = 1e6;

    private static SizingController controller(int floor, int ceiling, int initial) {
        return new SizingController(floor, ceiling, initial, 1.5, 3.0, 5);
    }

    private static SizingController.Window window(double rate, double holdMs, int waiting) {
        // Every borrow paid a 1 ms connect: a pool that opens a connection per borrow.
        return new SizingController.Window(1.0, (long) rate, holdMs * MS, 1 * MS, (long) rate * MS, waiting, waiting > 0 ? waiting : 0);
    }

    @Test
    void thePeakMarginIsCappedByThePeakConcurrencySeen() {
        // Two closed-loop threads: busy 2, never more than 2 at once. Uncapped, 2 + 3 sqrt 2 gives 7.
        assertThat(SizingController.target(2, 1.5)).isEqualTo(7);
        assertThat(SizingController.target(2, 1.5, 2)).isEqualTo(3);
        // A mean a little above the peak (window edges) is capped too: 2.02 x 1.5 would give 4.
        assertThat(SizingController.target(2.02, 1.5, 2)).isEqualTo(3);
        // Never below the mean itself, even when the samples missed the peaks.
        assertThat(SizingController.target(4, 1.5, 2)).isEqualTo(4);
        // Peaks that reach the Poisson margin leave it as it was.
        assertThat(SizingController.target(2, 1.5, 5)).isEqualTo(7);
        assertThat(SizingController.target(2, 1.5, SizingController.PEAK_UNKNOWN)).isEqualTo(7);
    }

    @Test
    void aPeakIsRememberedForAsManyWindowsAsAShrinkWaits() {
        SizingController c = new SizingController(2, 32, 2, 1.5, 2.0, 5);
        // 100/s x 20 ms: busy 2. A window that saw 5 at once keeps the margin for five windows.
        assertThat(c.decide(new SizingController.Window(1.0, 100, 20 * MS, MS, 0, 0, 0, 5), true, Instant.EPOCH).computedTarget())
                .isEqualTo(7);
        for (int i = 0; i < 4; i++) {
            assertThat(c.decide(new SizingController.Window(1.0, 100, 20 * MS, MS, 0, 0, 0, 2), true, Instant.EPOCH).computedTarget())
                    .isEqualTo(7);
        }
        assertThat(c.decide(new SizingController.Window(1.0, 100, 20 * MS, MS, 0, 0, 0, 2), true, Instant.EPOCH).computedTarget())
                .isEqualTo(3);
    }

    @Test
    void targetFollowsLittlesLaw() {
        SizingController c = controller(1, 200, 1);
        // 4000 borrows/s × (9 ms hold + 1 ms connect) = 40 busy; × 1.5 = 60 (above 40 + 3 × sqrt(40) = 59)
        SizingDecision d = c.decide(window(4000, 9, 0), true, Instant.EPOCH);
        assertThat(d.computedTarget()).isEqualTo(60);
        assertThat(d.action()).isEqualTo(Action.GROW);
        assertThat(c.size()).isEqualTo(60);
    }

    @Test
    void smallPoolsGetRoomForPeaksAroundTheMean() {
        // 2.5 busy: the headroom alone would give 4, but peaks of a Poisson count reach 2.5 + 3 × 1.58
        assertThat(SizingController.target(2.5, 1.5)).isEqualTo(8);
        assertThat(SizingController.target(0.5, 1.5)).isEqualTo(3);
        assertThat(SizingController.target(0, 1.5)).isZero();
        assertThat(SizingController.target(100, 1.5)).isEqualTo(150);
        assertThat(SizingController.target(100, 1.0)).isEqualTo(130);
    }

    @Test
    void growsAtOnceWhenCallersWaitEvenBeyondTheFormula() {
        SizingController c = controller(2, 50, 4);
        SizingDecision d = c.decide(window(100, 4, 10), true, Instant.EPOCH);
        assertThat(d.action()).isEqualTo(Action.GROW);
        assertThat(c.size()).isEqualTo(14);
    }

    @Test
    void staysWithinFloorAndCeiling() {
        SizingController c = controller(3, 8, 3);
        c.decide(window(100_000, 10, 50), true, Instant.EPOCH);
        assertThat(c.size()).isEqualTo(8);
        for (int i = 0; i < 50; i++) {
            c.decide(window(0, 0, 0), true, Instant.EPOCH);
        }
        assertThat(c.size()).isEqualTo(3);
    }

    @Test
    void shrinksOnlyAfterASustainedLullAndGradually() {
        SizingController c = controller(1, 40, 1);
        c.decide(window(2000, 10, 0), true, Instant.EPOCH); // 2000 × 11 ms × 1.5 = 33
        assertThat(c.size()).isEqualTo(37); // 22 + 3 × sqrt(22) = 36.07
        for (int i = 0; i < 4; i++) {
            assertThat(c.decide(window(100, 10, 0), true, Instant.EPOCH).action()).isEqualTo(Action.HOLD);
        }
        assertThat(c.size()).as("a short lull changes nothing").isEqualTo(37);
        SizingDecision d = c.decide(window(100, 10, 0), true, Instant.EPOCH);
        assertThat(d.action()).isEqualTo(Action.SHRINK);
        assertThat(c.size()).as("half the gap, not all of it").isEqualTo(37 - (37 - 5) / 2); // 1.1 busy: target 5
    }

    @Test
    void aBriefSpikeInTheMiddleOfALullResetsTheShrinkCountdown() {
        SizingController c = controller(1, 40, 20);
        for (int i = 0; i < 4; i++) {
            c.decide(window(10, 10, 0), true, Instant.EPOCH);
        }
        c.decide(window(920, 10, 0), true, Instant.EPOCH); // 920 × 11 ms = 10.1 busy, + 3 × sqrt(10.1) = 20: fits
        for (int i = 0; i < 4; i++) {
            assertThat(c.decide(window(10, 10, 0), true, Instant.EPOCH).action()).isEqualTo(Action.HOLD);
        }
        assertThat(c.size()).isEqualTo(20);
    }

    @Test
    void freezesGrowthWhenTheDatabaseSlowsDownAndSaysWhy() {
        SizingController c = controller(1, 100, 10);
        for (int i = 0; i < 10; i++) {
            c.decide(window(360, 10, 0), true, Instant.EPOCH); // 360 × 11 ms = 4 busy, + 3 × sqrt(4) = 10: fits
        }
        assertThat(c.size()).isEqualTo(10);
        SizingDecision d = c.decide(window(360, 50, 20), true, Instant.EPOCH); // hold 5x baseline, callers waiting
        assertThat(d.action()).isEqualTo(Action.FREEZE);
        assertThat(d.reason()).contains("database is slow").contains("5.0x");
        assertThat(c.size()).isEqualTo(10);
    }

    @Test
    void advisoryDecisionsAreNotApplied() {
        SizingController c = controller(1, 100, 2);
        SizingDecision d = c.decide(window(400, 9, 0), false, Instant.EPOCH);
        assertThat(d.toSize()).isEqualTo(10);
        assertThat(d.applied()).isFalse();
        assertThat(c.size()).isEqualTo(2);
        assertThat(d.toString()).contains("[advisory]");
    }

    /** A controller that has seen healthy windows of 10 ms holds, at size {@code size}. */
    private static SizingController healthy(int size) {
        SizingController c = controller(1, 40, size);
        for (int i = 0; i < 3; i++) {
            c.decide(window(10, 10, 0), true, Instant.EPOCH);
        }
        assertThat(c.baselineHoldNanos()).isEqualTo(10 * MS);
        return c;
    }

    private static long[] held(double... ms) {
        long[] a = new long[ms.length];
        for (int i = 0; i < ms.length; i++) {
            a[i] = (long) (ms[i] * MS);
        }
        return a;
    }

    @Test
    void growsOnDemandBetweenWindowsToEveryBorrowInFlightPlusEveryWaiter() {
        SizingController c = healthy(4);
        SizingDecision d = c.onDemand(4, 3, held(1, 4, 8, 9), true, Instant.EPOCH);
        assertThat(d.action()).isEqualTo(Action.GROW);
        assertThat(d.toSize()).as("(4 in use + 3 waiting) x headroom 1.5").isEqualTo(11);
        assertThat(d.reason()).contains("3 waiting with 4 in use");
        assertThat(c.size()).isEqualTo(11);
        assertThat(c.onDemand(5, 2, held(1, 2, 3, 4, 5), true, Instant.EPOCH)).as("room for them already").isNull();
    }

    @Test
    void onDemandGrowthStopsAtTheCeiling() {
        SizingController c = healthy(38);
        assertThat(c.onDemand(38, 10, new long[38], true, Instant.EPOCH).toSize()).isEqualTo(40);
        assertThat(c.onDemand(40, 10, new long[40], true, Instant.EPOCH)).isNull();
    }

    @Test
    void onDemandGrowthFreezesWhenAQuarterOfTheBorrowsInFlightAreOld() {
        SizingController c = controller(1, 40, 8);
        for (int i = 0; i < 3; i++) {
            c.decide(window(10, 10, 0), true, Instant.EPOCH);
        }
        // Two of eight (a quarter) held over 3x the healthy 10 ms: the database has slowed down.
        SizingDecision d = c.onDemand(8, 2, held(1, 2, 3, 4, 5, 6, 31, 45), true, Instant.EPOCH);
        assertThat(d.action()).isEqualTo(Action.FREEZE);
        assertThat(d.toSize()).isEqualTo(8);
        assertThat(d.reason()).contains("a quarter of the 8 borrows in flight").contains("31.00ms").contains("database is slow");
        assertThat(c.onDemand(8, 5, held(1, 2, 3, 4, 5, 6, 31, 45), true, Instant.EPOCH))
                .as("said once per window, not once per waiter").isNull();
        assertThat(c.size()).isEqualTo(8);
        assertThat(c.onDemand(4, 6, held(1, 2, 3, 4), true, Instant.EPOCH))
                .as("the borrows in flight look young again a moment later: the window's slowdown still stands").isNull();
        assertThat(c.size()).isEqualTo(8);
        // One old borrow (a long report query, say) does not stop growth for the rest. The window in
        // which the borrows in flight were slow counts as slow; the next healthy one clears it.
        c.decide(window(10, 10, 0), true, Instant.EPOCH);
        c.decide(window(10, 10, 0), true, Instant.EPOCH);
        assertThat(c.onDemand(8, 2, held(1, 2, 3, 4, 5, 6, 7, 400), true, Instant.EPOCH).action()).isEqualTo(Action.GROW);
    }

    @Test
    void aSlowWindowFreezesOnDemandGrowthUntilAHealthyOne() {
        SizingController c = healthy(10);
        assertThat(c.decide(window(50, 50, 0), true, Instant.EPOCH).action()).as("slow, but no growth wanted yet").isEqualTo(Action.HOLD);
        SizingDecision d = c.onDemand(10, 5, new long[10], true, Instant.EPOCH);
        assertThat(d.action()).isEqualTo(Action.FREEZE);
        assertThat(d.reason()).contains("last window was slow");
        assertThat(c.onDemand(10, 6, new long[10], true, Instant.EPOCH)).as("the window's freeze was said").isNull();
        assertThat(c.size()).isEqualTo(10);
        c.decide(window(50, 10, 0), true, Instant.EPOCH);
        assertThat(c.onDemand(10, 5, new long[10], true, Instant.EPOCH).action()).isEqualTo(Action.GROW);
    }

    @Test
    void advisoryOnDemandAdviceIsGivenOncePerWindow() {
        SizingController c = controller(1, 40, 4);
        SizingDecision d = c.onDemand(4, 2, new long[4], false, Instant.EPOCH);
        assertThat(d.action()).isEqualTo(Action.GROW);
        assertThat(d.applied()).isFalse();
        assertThat(c.size()).isEqualTo(4);
        assertThat(c.onDemand(4, 3, new long[4], false, Instant.EPOCH)).isNull();
        c.decide(window(10, 10, 0), false, Instant.EPOCH);
        assertThat(c.onDemand(4, 3, new long[4], false, Instant.EPOCH)).isNotNull();
    }

    @Test
    void connectTimeCountsPerBorrowNotPerConnect() {
        SizingController c = controller(1, 100, 1);
        // 250 borrows/s of 20 ms, and in the window one 30 ms connect: 5.03 busy, not 250 x 50 ms = 12.5
        SizingDecision d = c.decide(new SizingController.Window(1.0, 250, 20 * MS, 30 * MS, 30 * MS, 0, 0), true, Instant.EPOCH);
        assertThat(d.computedTarget()).isEqualTo(12); // 5.03 + 3 x sqrt(5.03) = 11.8
        assertThat(d.meanConnectMillis()).isEqualTo(30.0);
    }

    @Test
    void aWindowThatEndsWhileOnlyTheBorrowsInFlightAreSlowDoesNotGrowForItsWaiters() {
        SizingController c = controller(1, 40, 4);
        for (int i = 0; i < 3; i++) {
            c.decide(window(10, 10, 0), true, Instant.EPOCH);
        }
        assertThat(c.onDemand(4, 1, held(35, 40, 45, 50), true, Instant.EPOCH).action()).isEqualTo(Action.FREEZE);
        // None of the slow borrows has returned yet: the window's mean hold still looks healthy.
        SizingDecision d = c.decide(window(10, 10, 3), true, Instant.EPOCH);
        assertThat(d.action()).isEqualTo(Action.FREEZE);
        assertThat(d.reason()).contains("borrows in flight");
        assertThat(c.size()).isEqualTo(4);
        assertThat(c.onDemand(4, 3, held(1, 2, 3, 4), true, Instant.EPOCH)).as("still frozen for the next window").isNull();
        assertThat(c.size()).isEqualTo(4);
    }
}
