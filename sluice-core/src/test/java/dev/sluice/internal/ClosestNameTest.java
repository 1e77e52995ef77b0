package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNameTest {
    private static final List<String> KNOBS = List.of("maximumPoolSize", "minimumIdle", "maxIdle", "maxLifetime", "idleTimeout");

    @Test
    void typosCaseAndSeparatorsFindTheKnob() {
        assertThat(ClosestName.among("maximumPoolsize", KNOBS)).contains("maximumPoolSize");
        assertThat(ClosestName.among("MAX_LIFETIME", KNOBS)).contains("maxLifetime");
        assertThat(ClosestName.among("minimum-idle", KNOBS)).contains("minimumIdle");
        assertThat(ClosestName.among("idelTimeout", KNOBS)).contains("idleTimeout");
    }

    @Test
    void aNameFarFromEveryKnobGetsNoSuggestion() {
        assertThat(ClosestName.among("colour", KNOBS)).isEmpty();
        assertThat(ClosestName.among("cachePrepStmts", KNOBS)).isEmpty();
    }

    @Test
    void distanceIsLevenshtein() {
        assertThat(ClosestName.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(ClosestName.distance("", "abc")).isEqualTo(3);
    }
}
