package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.CloseReason;
import dev.sluice.PoolListener;
import dev.sluice.SluiceConfig;
import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * maxLifetime on a clock the test moves: connections retire between 70% and 95% of their lifetime
 * (the jitter), replacement first, at most a quarter of the pool per second, and a borrowed one
 * only once it comes back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LifetimeRetirementTest {
    private static final Duration LIFETIME = Duration.ofSeconds(60);

    private final StubDatabase db = StubDatabase.create();
    /** Pool-clock times of the lifetime closes. */
    private final List<Long> retiredAt = new CopyOnWriteArrayList<>();
    private ClockedPool clocked;

    @AfterEach
    void close() {
        if (clocked != null) {
            clocked.close();
        }
    }

    private Pool pool(int size) throws SQLException {
        ManualClock clock = new ManualClock();
        PoolListener closes = new PoolListener() {
            @Override
            public void connectionClosed(String poolName, CloseReason reason) {
                if (reason == CloseReason.MAX_LIFETIME) {
                    retiredAt.add(clock.read());
                }
            }
        };
        clocked = new ClockedPool(SluiceConfig.builder().jdbcUrl(db.url()).poolName("lifetime-" + db.url().substring(10))
                .maximumPoolSize(size).minimumIdle(size).maxLifetime(LIFETIME).idleTimeout(Duration.ZERO)
                .keepaliveTime(Duration.ZERO).listener(closes), clock);
        ClockedPool.awaitUntil(() -> clocked.pool.stats().idle() == size, "the pool to fill");
        return clocked.pool;
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void idleConnectionsAreRetiredSpreadOutAndReplacedFirst() throws Exception {
        int size = 4;
        Pool pool = pool(size);
        long start = clocked.clock.read();
        List<StubConnection> original = new ArrayList<>(db.connections);
        assertThat(original).hasSize(size);
        int[] fewestOpen = {Integer.MAX_VALUE};
        Runnable watch = () -> fewestOpen[0] = Math.min(fewestOpen[0], pool.stats().open());

        clocked.advance(LIFETIME.multipliedBy(7).dividedBy(10).minus(ClockedPool.STEP), watch);
        assertThat(pool.stats().closed(CloseReason.MAX_LIFETIME)).as("none before 70%% of maxLifetime").isZero();
        assertThat(original).noneMatch(c -> c.closed);

        clocked.advance(LIFETIME.multipliedBy(3).dividedBy(10).plusSeconds(2), watch);
        ClockedPool.awaitUntil(() -> original.stream().allMatch(c -> c.closed), "the original connections to close");
        assertThat(pool.stats().closed(CloseReason.MAX_LIFETIME)).isEqualTo(size);
        assertThat(retiredAt).hasSize(size).allSatisfy(t -> assertThat(millis(t - start))
                // The budget retires one a second here, so the last of several due together can end a little past maxLifetime.
                .as("retired around maxLifetime").isBetween(LIFETIME.toMillis() * 7 / 10, LIFETIME.toMillis() + 2000));
        List<Long> sorted = retiredAt.stream().sorted().toList();
        for (int i = 1; i < sorted.size(); i++) {
            // A quarter of 4 is one a second. A close is timed when it is reported, which can trail the
            // pool's decision by the step the test took meanwhile (connects finish on the pool's threads).
            assertThat(millis(sorted.get(i) - sorted.get(i - 1))).as("closes spread out: %s", sorted)
                    .isGreaterThanOrEqualTo(1000 - ClockedPool.STEP.toMillis());
        }
        assertThat(fewestOpen[0]).as("replacement first: the pool never had fewer than its size open").isGreaterThanOrEqualTo(size);
        assertThat(pool.stats().open()).isEqualTo(size);
        ClockedPool.awaitUntil(() -> db.openConnections() == size, "the database to see the closes (they run on the pool's close threads)");
    }

    @Test
    void aConnectionBorrowedPastItsLifetimeIsRetiredWhenItComesBack() throws Exception {
        Pool pool = pool(2);
        Connection held = pool.acquire();
        StubConnection raw = ValidationBypassTest.stubOf(held);
        clocked.advance(LIFETIME.plusSeconds(5));
        assertThat(raw.closed).as("never closed under its borrower").isFalse();
        assertThat(held.isValid(1)).isTrue();
        // The idle one was retired meanwhile; its close may still be finishing on the connect thread that opened its replacement.
        ClockedPool.awaitUntil(() -> pool.stats().closed(CloseReason.MAX_LIFETIME) == 1, "the idle connection to be retired");

        held.close();
        clocked.advance(Duration.ofSeconds(2));
        ClockedPool.awaitUntil(() -> raw.closed, "the returned connection to close");
        assertThat(pool.stats().closed(CloseReason.MAX_LIFETIME)).isEqualTo(2);
        assertThat(pool.stats().open()).isEqualTo(2);
        ClockedPool.awaitUntil(() -> db.openConnections() == 2, "the database to see the closes (they run on the pool's close threads)");
    }

    @Test
    void aConnectionFoundPastItsLifetimeIsStillReplacedBeforeItCloses() throws Exception {
        Pool pool = pool(2);
        db.connectDelayMillis = 300; // a slow replacement: the pool must not look smaller meanwhile
        PooledConnection expired = pool.bag.snapshot()[0];
        assertThat(expired.reserve()).isTrue();
        pool.retirement.expired(expired);
        int fewestOpen = Integer.MAX_VALUE;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(StubConnection.of(expired.raw).closed && pool.stats().idle() == 2) && System.nanoTime() - until < 0) {
            fewestOpen = (int) Math.min(fewestOpen, db.openConnections());
            assertThat(pool.bag.snapshot()).as("never handed out again").noneMatch(e -> e == expired && e.state() == PooledConnection.IDLE);
        }
        assertThat(StubConnection.of(expired.raw).closed).as("closed once its replacement opened").isTrue();
        assertThat(fewestOpen).as("connections open on the database while it was replaced").isGreaterThanOrEqualTo(2);
        assertThat(pool.stats().closed(CloseReason.MAX_LIFETIME)).isEqualTo(1);
        assertThat(pool.stats().idle()).as("back at 2 idle").isEqualTo(2);
    }

    @Test
    void aConnectionPastItsLifetimeWhoseReplacementFailsIsClosedNotReturnedToService() throws Exception {
        Pool pool = pool(2);
        db.connectFailure = new SQLException("refused", "08001");
        PooledConnection expired = pool.bag.snapshot()[0];
        assertThat(expired.reserve()).isTrue();
        pool.retirement.expired(expired);
        ClockedPool.awaitUntil(() -> StubConnection.of(expired.raw).closed, "the expired connection to close");
        assertThat(expired.state()).isEqualTo(PooledConnection.REMOVED);
        assertThat(pool.bag.snapshot()).doesNotContain(expired);
        assertThat(pool.stats().closed(CloseReason.MAX_LIFETIME)).isEqualTo(1);
    }

    /**
     * Connects that take time on the pool's clock, as a loaded database's do: each waits until the
     * clock has moved {@link #delay} past its start. The test moves the clock and waits, in real
     * time, for the connects it made due.
     */
    private static final class ClockTimedConnects implements DataSource {
        final StubDatabase db;
        final ManualClock clock;
        volatile Duration delay = Duration.ZERO;
        /** When each connect parked until its time on the clock comes is due. */
        final java.util.Set<long[]> parked = java.util.concurrent.ConcurrentHashMap.newKeySet();

        ClockTimedConnects(StubDatabase db, ManualClock clock) {
            this.db = db;
            this.clock = clock;
        }

        @Override
        public Connection getConnection() throws SQLException {
            long[] due = {clock.read() + delay.toNanos()};
            parked.add(due);
            try {
                while (clock.read() - due[0] < 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            } finally {
                parked.remove(due);
            }
            return DriverManager.getConnection(db.url());
        }

        /** Connects whose time on the clock has not come yet: those are the ones the clock must move for. */
        int notDue() {
            long now = clock.read();
            return (int) parked.stream().filter(d -> now - d[0] < 0).count();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    /**
     * Connections opened together whose replacements connect slowly (3 s each, two at a time, so
     * 8 take 12 s, longer than the 7.5 s their retirements are spread over): the ones whose turn has
     * not come by maxLifetime leave service there but close only in their turn, after their
     * replacement opened. Closing them all at maxLifetime instead (what a database under load saw)
     * shrank the pool to half its size and closed several within the same instant.
     */
    @Test
    void connectionsWhoseRetirementFindsNoTurnBeforeMaxLifetimeStillCloseSpreadOutAndReplacedFirst() throws Exception {
        int size = 8;
        Duration lifetime = Duration.ofSeconds(30);
        ManualClock clock = new ManualClock();
        ClockTimedConnects connects = new ClockTimedConnects(db, clock);
        PoolListener closes = new PoolListener() {
            @Override
            public void connectionClosed(String poolName, CloseReason reason) {
                retiredAt.add(clock.read());
            }
        };
        clocked = new ClockedPool(SluiceConfig.builder().dataSource(connects).poolName("lifetime-slow-" + db.url().substring(10))
                .maximumPoolSize(size).minimumIdle(size).maxLifetime(lifetime).maxConcurrentCreates(2).idleTimeout(Duration.ZERO)
                .keepaliveTime(Duration.ZERO).connectionTimeout(Duration.ofSeconds(10)).listener(closes), clock);
        Pool pool = clocked.pool;
        ClockedPool.awaitUntil(() -> pool.stats().idle() == size, "the pool to fill");
        long start = clock.read();
        List<StubConnection> original = new ArrayList<>(db.connections);
        connects.delay = Duration.ofSeconds(3);

        int fewestOpen = Integer.MAX_VALUE;
        long end = start + lifetime.plusSeconds(20).toNanos();
        while (clock.read() - end < 0 && !original.stream().allMatch(c -> c.closed)) {
            clock.advance(ClockedPool.STEP);
            // Every connect the clock made due has finished and its connection joined the pool (or failed).
            ClockedPool.awaitUntil(() -> pool.creating.get() == connects.notDue(), "the connects due to finish");
            fewestOpen = Math.min(fewestOpen, pool.stats().open());
            long now = clock.read();
            assertThat(pool.bag.snapshot()).as("never in service past maxLifetime")
                    .noneMatch(e -> e.expiresAtNanos - now <= 0 && e.state() == PooledConnection.IDLE);
        }
        assertThat(original).as("every original connection retired").allMatch(c -> c.closed);
        List<Long> sorted = retiredAt.stream().sorted().toList();
        for (int i = 2; i < sorted.size(); i++) {
            // A quarter of 8: two a second at most. (A close is reported when it runs: up to a step late.)
            assertThat(millis(sorted.get(i) - sorted.get(i - 2))).as("closes spread out, two a second at most: %s",
                    sorted.stream().map(t -> millis(t - start)).toList()).isGreaterThanOrEqualTo(1000 - ClockedPool.STEP.toMillis());
        }
        assertThat(fewestOpen).as("replacement first: the pool never had fewer than its size open").isGreaterThanOrEqualTo(size);
        assertThat(pool.stats().closed(CloseReason.MAX_LIFETIME)).isEqualTo(size);
    }
}
