package dev.sluice.bench;

import java.sql.Connection;
import java.sql.SQLException;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * (d) Contention: 16 threads share 4 connections. Each borrower holds its connection for a little
 * work ({@link #HOLD_TOKENS} of {@link Blackhole#consumeCPU}, a few hundred nanoseconds), so on a
 * small machine holders are often descheduled with a connection in hand and the others must
 * really wait: what is measured is how the pool queues and wakes waiters.
 *
 * <ul>
 *   <li>{@link #cycle}: throughput of borrow, hold, return;</li>
 *   <li>{@link #acquire}: the distribution of getConnection alone (SampleTime: p50, p99, p99.9
 *       and the mean); the hold and the close run in an invocation-level tear-down, outside the
 *       timed region;</li>
 *   <li>both: per-thread fairness, the most-served thread's count over the least-served one's in
 *       each measurement iteration, recorded by {@link FairnessLedger}.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@Threads(ContentionBenchmark.THREADS)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class ContentionBenchmark {
    static final int THREADS = 16;
    static final int POOL_SIZE = 4;
    static final long HOLD_TOKENS = 100;

    @Param({"sluice", "hikari", "agroal", "dbcp2", "vibur", "tomcat", "c3p0", "druid", "nopool"})
    public String pool;

    private PoolUnderTest.OpenPool open;
    private DataSource ds;

    @Setup(Level.Trial)
    public void start() throws Exception {
        open = PoolUnderTest.named(pool).open(POOL_SIZE);
        ds = open.dataSource();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        open.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    public void cycle(FairnessLedger.ThreadCount served) throws SQLException {
        Connection c = ds.getConnection();
        try {
            Blackhole.consumeCPU(HOLD_TOKENS);
        } finally {
            c.close();
        }
        served.count++;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public Connection acquire(Held held, FairnessLedger.ThreadCount served) throws SQLException {
        Connection c = ds.getConnection();
        held.connection = c;
        served.count++;
        return c;
    }

    /** The connection {@link #acquire} borrowed, held and returned outside the timed region. */
    @State(Scope.Thread)
    public static class Held {
        Connection connection;

        @TearDown(Level.Invocation)
        public void release() throws SQLException {
            Blackhole.consumeCPU(HOLD_TOKENS);
            connection.close();
            connection = null;
        }
    }
}
