package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @Test
    void parsesTheUnitsPeopleType() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationText.parse(" 20 S ")).isEqualTo(Duration.ofSeconds(20));
        assertThat(DurationText.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {"20", "abc", "-5s", "5x", "1.5s", "", "PTX", "99999999999999999999s"})
    void refusesAnythingElseNamingTheValue(String text) {
        assertThatThrownBy(() -> DurationText.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is not a duration");
    }

    @Test
    void formatsShortForLiveViews() {
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(DurationText.format(Duration.ofNanos(400))).isEqualTo("<1µs");
        assertThat(DurationText.format(Duration.ofNanos(850_000))).isEqualTo("850µs");
        assertThat(DurationText.format(Duration.ofNanos(1_234_567))).isEqualTo("1.23ms");
        assertThat(DurationText.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(DurationText.format(Duration.ofMillis(1250))).isEqualTo("1.25s");
        assertThat(DurationText.format(Duration.ofSeconds(20))).isEqualTo("20s");
        assertThat(DurationText.format(Duration.ofSeconds(185))).isEqualTo("3m05s");
    }
}
