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
        return new SizingController.Window(1.0, (long) rate, holdMs * MS, 1 * MS, waiting, waiting > 0 ? waiting : 0);
    }

    @Test
    void targetFollowsLittlesLaw() {
        SizingController c = controller(1, 100, 1);
        // 400 borrows/s × (9 ms hold + 1 ms connect) × 1.5 = 6
        SizingDecision d = c.decide(window(400, 9, 0), true, Instant.EPOCH);
        assertThat(d.computedTarget()).isEqualTo(6);
        assertThat(d.action()).isEqualTo(Action.GROW);
        assertThat(c.size()).isEqualTo(6);
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
        assertThat(c.size()).isEqualTo(33);
        for (int i = 0; i < 4; i++) {
            assertThat(c.decide(window(100, 10, 0), true, Instant.EPOCH).action()).isEqualTo(Action.HOLD);
        }
        assertThat(c.size()).as("a short lull changes nothing").isEqualTo(33);
        SizingDecision d = c.decide(window(100, 10, 0), true, Instant.EPOCH);
        assertThat(d.action()).isEqualTo(Action.SHRINK);
        assertThat(c.size()).as("a quarter of the gap, not all of it").isEqualTo(33 - (33 - 2) / 4);
    }

    @Test
    void aBriefSpikeInTheMiddleOfALullResetsTheShrinkCountdown() {
        SizingController c = controller(1, 40, 20);
        for (int i = 0; i < 4; i++) {
            c.decide(window(10, 10, 0), true, Instant.EPOCH);
        }
        c.decide(window(1200, 10, 0), true, Instant.EPOCH); // 1200 × 11 ms × 1.5 = 20: fits
        for (int i = 0; i < 4; i++) {
            assertThat(c.decide(window(10, 10, 0), true, Instant.EPOCH).action()).isEqualTo(Action.HOLD);
        }
        assertThat(c.size()).isEqualTo(20);
    }

    @Test
    void freezesGrowthWhenTheDatabaseSlowsDownAndSaysWhy() {
        SizingController c = controller(1, 100, 10);
        for (int i = 0; i < 10; i++) {
            c.decide(window(600, 10, 0), true, Instant.EPOCH); // 600 × 11 ms × 1.5 = 10: fits
        }
        assertThat(c.size()).isEqualTo(10);
        SizingDecision d = c.decide(window(600, 50, 20), true, Instant.EPOCH); // hold 5x baseline, callers waiting
        assertThat(d.action()).isEqualTo(Action.FREEZE);
        assertThat(d.reason()).contains("database is slow").contains("5.0x");
        assertThat(c.size()).isEqualTo(10);
    }

    @Test
    void advisoryDecisionsAreNotApplied() {
        SizingController c = controller(1, 100, 2);
        SizingDecision d = c.decide(window(400, 9, 0), false, Instant.EPOCH);
        assertThat(d.toSize()).isEqualTo(6);
        assertThat(d.applied()).isFalse();
        assertThat(c.size()).isEqualTo(2);
        assertThat(d.toString()).contains("[advisory]");
    }
}
