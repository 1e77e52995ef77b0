package dev.sluice.bench;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.bench.stub.StubDriver;
import dev.sluice.micrometer.SluiceMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a bound Micrometer registry costs. {@code borrowClose}: getConnection/close over
 * the stub driver with no registry and with a {@code SimpleMeterRegistry} bound through
 * {@link SluiceMetrics}; the binder registers no listener, so the two should not differ.
 * {@code scrape}: reading every meter once, as a registry's scrape does, with the snapshot
 * already cached; {@code snapshot}: one {@code stats()}, which a scrape adds when its cached
 * snapshot is older than 100 ms. A real scrape costs about {@code scrape + snapshot}.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar MetricsCostBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsCostBenchmark {

    private static SluiceDataSource pool(String name) throws SQLException {
        // The same pool as GovernanceCostBenchmark's, so the numbers compare.
        return new SluiceDataSource(SluiceConfig.builder().poolName(name).jdbcUrl(StubDriver.URL)
                .maximumPoolSize(16).minimumIdle(16).build());
    }

    /** A pool with or without a bound registry, for the borrow path. */
    @State(Scope.Benchmark)
    public static class Borrowing {
        @Param({"none", "simpleRegistry"})
        public String registry;

        SluiceDataSource ds;

        @Setup(Level.Trial)
        public void start() throws SQLException {
            ds = pool("bench-metrics-" + registry);
            if (registry.equals("simpleRegistry")) {
                SluiceMetrics.bind(ds, new SimpleMeterRegistry());
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            ds.close();
        }
    }

    /** A pool bound to a registry, for the read side. */
    @State(Scope.Benchmark)
    public static class Scraping {
        SluiceDataSource ds;
        SimpleMeterRegistry registry;
        Meter[] meters;

        @Setup(Level.Trial)
        public void start() throws SQLException {
            ds = pool("bench-metrics-scrape");
            registry = new SimpleMeterRegistry();
            SluiceMetrics.bind(ds, registry);
            meters = registry.getMeters().toArray(new Meter[0]);
        }

        @TearDown(Level.Trial)
        public void stop() {
            ds.close();
        }
    }

    @Benchmark
    public Connection borrowClose(Borrowing s) throws SQLException {
        try (Connection c = s.ds.getConnection()) {
            return c;
        }
    }

    @Benchmark
    public void scrape(Scraping s, Blackhole bh) {
        for (Meter m : s.meters) {
            for (io.micrometer.core.instrument.Measurement v : m.measure()) {
                bh.consume(v.getValue());
            }
        }
    }

    @Benchmark
    public Object snapshot(Scraping s) {
        return s.ds.stats();
    }
}
