package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.LoadShape.Phase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadShapeTest {
    private final LoadShape shape = new LoadShape(8, 4, Duration.ofSeconds(20));

    @Test
    void burstRunsFromFortyToSixtyFivePercentOfTheRun() {
        assertThat(shape.burstStart()).isEqualTo(Duration.ofSeconds(8));
        assertThat(shape.burstEnd()).isEqualTo(Duration.ofSeconds(13));
        assertThat(shape.phaseAt(Duration.ofMillis(7_999))).isEqualTo(Phase.STEADY);
        assertThat(shape.phaseAt(Duration.ofSeconds(8))).isEqualTo(Phase.BURST);
        assertThat(shape.phaseAt(Duration.ofSeconds(13))).isEqualTo(Phase.AFTER_BURST);
    }

    @Test
    void burstMultipliesTheCallers() {
        assertThat(shape.peakThreads()).isEqualTo(32);
        assertThat(shape.activeThreadsAt(Duration.ofSeconds(1))).isEqualTo(8);
        assertThat(shape.activeThreadsAt(Duration.ofSeconds(10))).isEqualTo(32);
        assertThat(shape.activeThreadsAt(Duration.ofSeconds(15))).isEqualTo(8);
    }

    @Test
    void factorOneMeansNoBurst() {
        LoadShape flat = new LoadShape(8, 1, Duration.ofSeconds(20));

        assertThat(flat.hasBurst()).isFalse();
        assertThat(flat.phaseAt(Duration.ofSeconds(10))).isEqualTo(Phase.STEADY);
        assertThat(flat.activeThreadsAt(Duration.ofSeconds(10))).isEqualTo(8);
    }
}
