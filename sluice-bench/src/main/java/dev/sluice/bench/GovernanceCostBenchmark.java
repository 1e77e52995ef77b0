package dev.sluice.bench;

import dev.sluice.PoolListener;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.bench.stub.StubDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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

/**
 * What governance costs on Sluice's borrow path: getConnection/close with nothing
 * extra, with leak detection on (a stack captured per borrow), and with one registered listener
 * that counts acquisitions and returns. Run with {@code -prof gc} for the allocation it adds.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar GovernanceCostBenchmark -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class GovernanceCostBenchmark {
    @Param({"plain", "leakDetection", "oneListener"})
    public String variant;

    private SluiceDataSource ds;

    /** A listener doing the least a real one does: count. */
    static final class CountingListener implements PoolListener {
        final LongAdder acquired = new LongAdder();
        final LongAdder returned = new LongAdder();

        @Override
        public void connectionAcquired(String poolName, long waitNanos) {
            acquired.increment();
        }

        @Override
        public void connectionReturned(String poolName, long holdNanos) {
            returned.increment();
        }
    }

    @Setup(Level.Trial)
    public void start() throws SQLException {
        SluiceConfig.Builder b = SluiceConfig.builder().poolName("bench-governance-" + variant).jdbcUrl(StubDriver.URL)
                .maximumPoolSize(16).minimumIdle(16);
        if (variant.equals("leakDetection")) {
            b.leakDetectionThreshold(Duration.ofMinutes(1));
        } else if (variant.equals("oneListener")) {
            b.listener(new CountingListener());
        }
        ds = new SluiceDataSource(b.build());
    }

    @TearDown(Level.Trial)
    public void stop() {
        ds.close();
    }

    @Benchmark
    public Connection borrowClose() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return c;
        }
    }
}
