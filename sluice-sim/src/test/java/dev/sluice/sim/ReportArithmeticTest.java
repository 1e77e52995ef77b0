package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The numbers the report prints: percentiles, connection-seconds, the profiles' shapes, the doc splice. */
class ReportArithmeticTest {

    @Test
    void percentilesAreNearestRankOverTheMeasuredValues() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // unsorted on purpose
        }
        Distribution d = Distribution.of(values);
        assertThat(d.percentile(50)).isEqualTo(50);
        assertThat(d.percentile(99)).isEqualTo(99);
        assertThat(d.percentile(100)).isEqualTo(100);
        assertThat(d.max()).isEqualTo(100);
        // With fewer than 100 values the p99 is the largest one: never an interpolated value nobody waited.
        assertThat(Distribution.of(3, 1, 2).percentile(99)).isEqualTo(3);
        assertThat(Distribution.of(7).percentile(50)).isEqualTo(7);
        assertThat(Distribution.of().percentile(99)).isNaN();
    }

    @Test
    void onlyTheCountedPrefixOfABufferIsUsed() {
        Distribution d = Distribution.of(new long[] {5, 1, 9, 1000, 1000}, 3);
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.percentile(99)).isEqualTo(9);
    }

    @Test
    void connectionSecondsAreTheIntegralOfOpenConnectionsOverTime() {
        SizeTrace constant = new SizeTrace();
        for (int i = 0; i <= 100; i++) {
            constant.add(i / 10.0, 4, 4);
        }
        assertThat(constant.connectionSeconds()).isCloseTo(40.0, within(1e-9));
        assertThat(constant.meanOpen()).isCloseTo(4.0, within(1e-9));

        SizeTrace ramp = new SizeTrace();
        for (int i = 0; i <= 10; i++) {
            ramp.add(i, i, 10);
        }
        assertThat(ramp.connectionSeconds()).as("0 to 10 over 10 s").isCloseTo(50.0, within(1e-9));
        assertThat(ramp.meanOpen()).isCloseTo(5.0, within(1e-9));
        assertThat(ramp.maxOpen()).isEqualTo(10);
        assertThat(ramp.maxOpen(2, 4)).isEqualTo(4);
        assertThat(ramp.indexAt(3.5)).isEqualTo(3);
    }

    @Test
    void unevenSamplesAreWeightedByTheTimeBetweenThem() {
        SizeTrace t = new SizeTrace();
        t.add(0, 2, 2);
        t.add(1, 2, 2);
        t.add(1, 10, 10); // a jump: no time passes, no area
        t.add(3, 10, 10);
        assertThat(t.connectionSeconds()).isCloseTo(2 + 20, within(1e-9));
        assertThat(t.meanOpen()).isCloseTo(22 / 3.0, within(1e-9));
    }

    @Test
    void theSpikeIsTenTimesTheBaseRateForFiveSecondsInTheMiddle() {
        LoadProfile spike = LoadProfile.named("spike", Duration.ofSeconds(30));
        assertThat(spike.eventStart()).isEqualTo(12.5);
        assertThat(spike.eventEnd()).isEqualTo(17.5);
        double base = LoadProfile.SPIKE_BASE;
        assertThat(spike.rate(12.4)).isEqualTo(base);
        assertThat(spike.rate(15)).isEqualTo(10 * base);
        assertThat(spike.rate(17.5)).isEqualTo(base);
        assertThat(spike.expectedArrivals()).isCloseTo(25 * base + 5 * 10 * base, within(base / 5));
        assertThat(spike.slowdown(15)).isEqualTo(1.0);
    }

    @Test
    void theSlowdownProfileKeepsTheRateAndSlowsTheDatabaseInTheMiddle() {
        LoadProfile slow = LoadProfile.named("slowdown", Duration.ofSeconds(20));
        assertThat(slow.rate(1)).isEqualTo(slow.rate(10));
        assertThat(slow.slowdown(7.9)).isEqualTo(1.0);
        assertThat(slow.slowdown(8)).isEqualTo(5.0);
        assertThat(slow.slowdown(13)).isEqualTo(1.0);
        LoadProfile diurnal = LoadProfile.named("diurnal", Duration.ofSeconds(20));
        assertThat(diurnal.rate(0)).isEqualTo(LoadProfile.DIURNAL_LOW, within(1e-9));
        assertThat(diurnal.rate(10)).as("the peak, half-way").isEqualTo(LoadProfile.DIURNAL_HIGH, within(1e-9));
        assertThat(diurnal.rate(20)).isEqualTo(LoadProfile.DIURNAL_LOW, within(1e-9));
    }

    @Test
    void regeneratingTheDocKeepsTheProseAroundTheGeneratedBlock(@TempDir Path dir) throws IOException {
        Path doc = dir.resolve("sizing.md");
        Files.writeString(doc, "# Sizing\nprose before\n" + SizingSimulation.BEGIN + "\nold tables\n" + SizingSimulation.END
                + "\nprose after\n");
        SizingSimulation.replaceGenerated(doc, "new tables\n");
        assertThat(Files.readString(doc)).isEqualTo("# Sizing\nprose before\n" + SizingSimulation.BEGIN + "\nnew tables\n"
                + SizingSimulation.END + "\nprose after\n");
    }

    @Test
    void theLongestWaitsAreListedLongestFirstWithWhenTheyArrived() {
        WaitLog log = new WaitLog(200);
        for (int i = 0; i < 200; i++) {
            // borrow i arrived at i ms and waited i µs, except one that waited 5 ms
            log.record(i * 1_000_000L, i == 7 ? 5_000_000L : i * 1_000L, 0, WaitLog.OK);
        }
        var slowest = Run.slowest(log);
        assertThat(slowest).as("2% of 200 is 4, so the floor of 50 applies").hasSize(50);
        assertThat(slowest.get(0).arrivalSeconds()).isCloseTo(0.007, within(1e-9));
        assertThat(slowest.get(0).waitMillis()).isCloseTo(5.0, within(1e-9));
        assertThat(slowest.get(1).waitMillis()).isCloseTo(0.199, within(1e-9));
        assertThat(slowest.get(49).waitMillis()).isCloseTo(0.151, within(1e-9));
    }

    @Test
    void waitsPrintWithThreeSignificantFigures() {
        assertThat(Report.ms(0.01234)).isEqualTo("0.012");
        assertThat(Report.ms(3.14159)).isEqualTo("3.14");
        assertThat(Report.ms(31.4159)).isEqualTo("31.4");
        assertThat(Report.ms(2000.4)).isEqualTo("2000");
        assertThat(Report.ms(Double.NaN)).isEqualTo("–");
        assertThat(Report.ratio(1.234)).isEqualTo("1.23");
        assertThat(Report.ratio(12.34)).isEqualTo("12.3");
        assertThat(Report.ratio(1091.59)).isEqualTo("1092");
    }
}
