package dev.sluice.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
 * A pool's own cost per borrow, over the do-nothing stub driver, with as many connections as any
 * run uses threads (16), so a borrower never waits for a connection: what is measured is the
 * hand-out, the wrappers and the return path. Run at 1, 2 and 8 threads ({@code -t}; see
 * bench/run.sh), with {@code -prof gc} for the allocation per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class PoolOverheadBenchmark {
    static final int POOL_SIZE = 16;

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

    /** (a) getConnection, close. */
    @Benchmark
    public Connection borrowClose() throws SQLException {
        try (Connection c = ds.getConnection()) {
            return c;
        }
    }

    /** (b) getConnection, createStatement, executeQuery, next, close all. */
    @Benchmark
    public boolean statement() throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1")) {
            return rs.next();
        }
    }

    /** (c) getConnection, prepareStatement, setInt, executeQuery, next, close all. */
    @Benchmark
    public boolean preparedStatement() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT ?")) {
            ps.setInt(1, 42);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
