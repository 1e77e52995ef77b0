package dev.sluice.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.BorrowStack;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import dev.sluice.bench.stub.StubDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * What leak detection adds to a borrow, Sluice beside HikariCP in one run: getConnection/close
 * over the stub driver, pool of 16, with detection off and on (threshold 60 s, never reached),
 * for Sluice with each {@code leakDetectionStacks}. Both pools record something per borrow, so the
 * cost depends on how deep the borrowing thread's stack is: {@code depth} adds that many frames
 * between the benchmark method and getConnection (0: JMH's own ~15 frames; 100: about an
 * application server's request thread). {@code tenant-frame} and {@code schema-frame} borrow for one
 * tenant of a TenantDataSource (DATABASE and SCHEMA mode), whose router adds frames of its own.
 * Run at 1 and 8 threads ({@code -t}), with {@code -prof gc}.
 *
 * <pre>java -jar sluice-bench/target/benchmarks.jar LeakDetectionCostBenchmark -t 1 -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class LeakDetectionCostBenchmark {
    @Param({"sluice-off", "sluice-frame", "sluice-full", "tenant-frame", "schema-frame", "hikari-off", "hikari-on"})
    public String setup;

    @Param({"0", "100"})
    public int depth;

    /** What the benchmark borrows from: a data source, or one tenant of a TenantDataSource. */
    private Source source;
    private AutoCloseable closer;

    private interface Source {
        Connection get() throws SQLException;
    }

    @Setup(Level.Trial)
    public void start() throws SQLException {
        Duration threshold = Duration.ofMinutes(1);
        DataSource ds;
        switch (setup) {
            case "sluice-off" -> ds = sluice(null, null);
            case "sluice-frame" -> ds = sluice(threshold, BorrowStack.FRAME);
            case "sluice-full" -> ds = sluice(threshold, BorrowStack.FULL);
            case "hikari-off" -> ds = hikari(null);
            case "hikari-on" -> ds = hikari(threshold);
            case "tenant-frame", "schema-frame" -> {
                // One tenant of a TenantDataSource, DATABASE or SCHEMA mode: the site is recorded below the router's frames.
                SluiceConfig.Builder template = SluiceConfig.builder().poolName("bench-leak-tenant").jdbcUrl(StubDriver.URL)
                        .maximumPoolSize(16).leakDetectionThreshold(threshold).leakDetectionStacks(BorrowStack.FRAME);
                TenantDataSource.Builder b = TenantDataSource.builder().globalMaximumPoolSize(16).tenantMaximumPoolSize(16);
                if (setup.equals("schema-frame")) {
                    b.template(template.minimumIdle(16).build()).mode(TenantMode.SCHEMA);
                } else {
                    b.template(template.minimumIdle(0).build()).mode(TenantMode.DATABASE).tenantUrl(x -> StubDriver.URL);
                }
                TenantDataSource t = b.build();
                closer = t;
                source = () -> t.getConnection("shop_a");
                return;
            }
            default -> throw new IllegalArgumentException("setup=" + setup);
        }
        closer = (AutoCloseable) ds;
        source = ds::getConnection;
    }

    private static SluiceDataSource sluice(Duration threshold, BorrowStack stacks) throws SQLException {
        SluiceConfig.Builder b = SluiceConfig.builder().poolName("bench-leak").jdbcUrl(StubDriver.URL)
                .maximumPoolSize(16).minimumIdle(16);
        if (threshold != null) {
            b.leakDetectionThreshold(threshold).leakDetectionStacks(stacks);
        }
        return new SluiceDataSource(b.build());
    }

    private static HikariDataSource hikari(Duration threshold) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("bench-leak-hikari");
        c.setDriverClassName(StubDriver.class.getName());
        c.setJdbcUrl(StubDriver.URL);
        c.setMaximumPoolSize(16);
        c.setMinimumIdle(16);
        if (threshold != null) {
            c.setLeakDetectionThreshold(threshold.toMillis());
        }
        return new HikariDataSource(c);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        closer.close();
    }

    @Benchmark
    public Connection borrowClose() throws SQLException {
        return borrowCloseBelow(depth);
    }

    /** Recursion, not a loop: each level is a real frame for the pool's stack capture to walk. */
    private Connection borrowCloseBelow(int frames) throws SQLException {
        if (frames > 0) {
            return borrowCloseBelow(frames - 1);
        }
        try (Connection c = source.get()) {
            return c;
        }
    }
}
