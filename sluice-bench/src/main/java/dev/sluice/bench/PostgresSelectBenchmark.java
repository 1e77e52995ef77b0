package dev.sluice.bench;

import dev.sluice.SluiceDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
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
import org.postgresql.PGConnection;

/**
 * (e) Real PostgreSQL on loopback: select one row by primary key through each pool, against
 * {@code direct}, one persistent pgjdbc connection per JMH thread that does the same
 * prepare/execute/close per operation and only skips the borrow and the return. The query is a
 * round trip to a server on the same machine (tens of microseconds), so what a pool adds is
 * small next to it; the target (MISSION.md §3) is throughput within 2% of {@code direct}.
 *
 * <p>Every pool holds {@link #POOL_SIZE} connections, as many as the most threads a run uses
 * ({@code -t 1, 2, 8}; see bench/run.sh), so nobody waits for a connection. All connections, the
 * direct ones included, are made from the same URL and properties, so pgjdbc behaves the same
 * under every pool: in particular {@code prepareThreshold=5} (pgjdbc's default, written into the
 * URL so that no pool or default can differ) makes the statement server-prepared from its fifth
 * execution on a connection, and pgjdbc's own per-connection cache of server-prepared statements
 * (on by default, not a pool's statement cache) keeps it across {@code close()}. The set-up checks
 * this on a borrowed connection of every pool.
 *
 * <p>The database is PostgreSQL at 127.0.0.1:5432, database {@code test}, user {@code postgres},
 * no password (trust authentication). {@code -Dsluice.bench.pg.url=...} and
 * {@code -Dsluice.bench.pg.user=...} (passed to the forks with {@code -jvmArgsAppend}) and the
 * environment variable {@code SLUICE_BENCH_PG_PASSWORD} point it elsewhere.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
public class PostgresSelectBenchmark {
    static final int POOL_SIZE = 8;
    static final int ROWS = 10_000;
    static final int PREPARE_THRESHOLD = 5;
    static final String TABLE = "sluice_bench_item";
    static final String SELECT = "select id, name, qty from " + TABLE + " where id = ?";
    static final String DIRECT = "direct";
    /** {@code -Dsluice.bench.stats=true} (with {@code -jvmArgsAppend}): print Sluice's {@code stats()} when a trial ends. */
    static final String STATS_PROPERTY = "sluice.bench.stats";

    /** The pool under test, or {@code direct}; one JMH trial each, with its own pool. */
    @State(Scope.Benchmark)
    public static class Database {
        @Param({DIRECT, "sluice", "hikari", "agroal", "dbcp2", "vibur", "tomcat", "c3p0", "druid"})
        public String pool;

        PoolUnderTest.Target target;
        /** The prepare threshold of a connection made straight from the URL: every connection must have it. */
        int prepareThreshold;
        private PoolUnderTest.OpenPool open;

        @Setup(Level.Trial)
        public void start() throws Exception {
            target = target();
            target.loadDriver();
            try (Connection c = connectOrExplain(target)) {
                createTable(c, target);
                prepareThreshold = c.unwrap(PGConnection.class).getPrepareThreshold();
            }
            if (!pool.equals(DIRECT)) {
                open = PoolUnderTest.named(pool).open(target, POOL_SIZE);
                try (Connection c = open.dataSource().getConnection()) {
                    checkDriverSettings(c, pool, prepareThreshold);
                }
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            if (open != null) {
                if (Boolean.getBoolean(STATS_PROPERTY) && open.dataSource() instanceof SluiceDataSource sluice) {
                    // To tell a pool's cost from its behaviour: did anyone wait, validate, reconnect?
                    System.out.println("sluice stats at the end of the trial: " + sluice.stats());
                }
                open.close();
            }
        }

        DataSource dataSource() {
            return open == null ? null : open.dataSource();
        }
    }

    /** One JMH thread: its random ids and, for {@code direct}, its own connection. */
    @State(Scope.Thread)
    public static class Worker {
        // Seeded from a shared generator, so each thread reads its own sequence of rows.
        final SplittableRandom random = new SplittableRandom();
        Connection direct;
        DataSource dataSource;

        @Setup(Level.Trial)
        public void start(Database db) throws SQLException {
            if (db.pool.equals(DIRECT)) {
                // Opened on the benchmark thread itself and held for the whole trial: a direct
                // connection is never shared, so it needs no pool and no thread-safety.
                direct = connect(db.target);
                checkDriverSettings(direct, DIRECT, db.prepareThreshold);
            } else {
                dataSource = db.dataSource();
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws SQLException {
            if (direct != null) {
                direct.close();
            }
        }
    }

    /**
     * Borrow (unless direct), prepare, bind a random id, execute, read the row, close everything,
     * return. The branch on {@code direct} costs a predictable, not-taken compare next to a
     * round trip to the server.
     */
    @Benchmark
    public int selectByPrimaryKey(Worker w) throws SQLException {
        int id = w.random.nextInt(1, ROWS + 1);
        Connection direct = w.direct;
        if (direct != null) {
            return select(direct, id);
        }
        try (Connection c = w.dataSource.getConnection()) {
            return select(c, id);
        }
    }

    private static int select(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no row with id " + id + " in " + TABLE);
                }
                return rs.getInt(1) + rs.getString(2).length() + rs.getInt(3);
            }
        }
    }

    static PoolUnderTest.Target target() {
        String url = System.getProperty("sluice.bench.pg.url",
                "jdbc:postgresql://127.0.0.1:5432/test?prepareThreshold=" + PREPARE_THRESHOLD);
        String user = System.getProperty("sluice.bench.pg.user", "postgres");
        String password = System.getenv("SLUICE_BENCH_PG_PASSWORD");
        return new PoolUnderTest.Target(url, user, password == null ? "" : password, "org.postgresql.Driver");
    }

    static Connection connect(PoolUnderTest.Target t) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", t.user());
        p.setProperty("password", t.password());
        return DriverManager.getConnection(t.url(), p);
    }

    /**
     * Creates and fills the table unless it is already there, under a transaction-scoped advisory
     * lock: two forks or two runs starting at once must not both try to create it (CREATE TABLE IF
     * NOT EXISTS can still fail on a concurrent create). Never dropped: the next run reuses it.
     */
    static void createTable(Connection c, PoolUnderTest.Target t) {
        try (Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("select pg_advisory_xact_lock(" + TABLE.hashCode() + ")");
            s.execute("create table if not exists " + TABLE + " (id int primary key, name text not null, qty int not null)");
            int inserted = s.executeUpdate("insert into " + TABLE + " (id, name, qty) select g, 'item-' || g, g % 100"
                    + " from generate_series(1, " + ROWS + ") g on conflict (id) do nothing");
            c.commit();
            c.setAutoCommit(true);
            if (inserted > 0) {
                s.execute("analyze " + TABLE);
            }
            try (ResultSet rs = s.executeQuery("select count(*) from " + TABLE + " where id between 1 and " + ROWS)) {
                rs.next();
                if (rs.getInt(1) != ROWS) {
                    throw new SetupFailure(TABLE + " has " + rs.getInt(1) + " of the rows 1.." + ROWS
                            + "; drop it (it is the benchmark's own table) and run again");
                }
            }
        } catch (SQLException e) {
            throw new SetupFailure("could not prepare " + TABLE + " in " + t.url() + ": " + e.getMessage()
                    + " (SQLState " + e.getSQLState() + ")");
        }
    }

    private static Connection connectOrExplain(PoolUnderTest.Target t) {
        try {
            return connect(t);
        } catch (SQLException e) {
            throw new SetupFailure(String.format(Locale.ROOT,
                    "PostgreSQL is not reachable at %s as user %s: %s (SQLState %s). This benchmark needs a running"
                            + " PostgreSQL with a database 'test' (trust authentication for 'postgres' on 127.0.0.1 by"
                            + " default); start one, or point -Dsluice.bench.pg.url / -Dsluice.bench.pg.user (and the"
                            + " environment variable SLUICE_BENCH_PG_PASSWORD) at another.",
                    t.url(), t.user(), e.getMessage(), e.getSQLState()));
        }
    }

    /**
     * Fails the trial if a pool hands out connections whose pgjdbc prepare threshold differs from
     * one made straight from the URL: the comparison would then measure the driver, not the pool.
     */
    static void checkDriverSettings(Connection c, String pool, int expected) throws SQLException {
        int threshold = c.unwrap(PGConnection.class).getPrepareThreshold();
        if (threshold != expected) {
            throw new SetupFailure(pool + " hands out connections with prepareThreshold=" + threshold
                    + ", not " + expected + " as a connection made from the same URL has: the comparison would not be fair");
        }
    }

    /**
     * A set-up failure that explains itself. No stack trace and no cause: JMH prints the whole
     * throwable, and what the reader needs is the one line saying what is missing.
     */
    static final class SetupFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SetupFailure(String message) {
            super(message, null, false, false);
        }
    }
}
