package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Pool behaviour against the stub driver: fast and deterministic where timing is not the point. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolBehaviourTest {
    private final StubDatabase db = StubDatabase.create();
    private final List<SluiceDataSource> pools = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void closePools() {
        pools.forEach(SluiceDataSource::close);
        threads.shutdownNow();
    }

    private SluiceConfig.Builder config() {
        return SluiceConfig.builder().jdbcUrl(db.url()).poolName("test-" + db.url().substring(10));
    }

    private SluiceDataSource pool(SluiceConfig.Builder b) throws SQLException {
        SluiceDataSource ds = new SluiceDataSource(b.build());
        pools.add(ds);
        return ds;
    }

    @Test
    void aReturnedConnectionIsReusedAndClosingTwiceIsHarmless() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1));
        Connection first = ds.getConnection();
        StubConnection raw = stubOf(first);
        first.close();
        first.close();
        try (Connection second = ds.getConnection()) {
            assertThat(stubOf(second)).isSameAs(raw);
        }
        assertThat(ds.stats().created()).isEqualTo(1);
        assertThat(ds.stats().acquired()).isEqualTo(2);
    }

    @Test
    void aClosedHandleCannotActOnTheNextBorrowersConnection() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1));
        Connection a = ds.getConnection();
        a.close();
        try (Connection b = ds.getConnection()) {
            assertThatThrownBy(a::createStatement).isInstanceOf(SQLException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> a.setAutoCommit(false)).isInstanceOf(SQLException.class);
            assertThat(a.isClosed()).isTrue();
            assertThat(b.isClosed()).isFalse();
            assertThat(b.getAutoCommit()).isTrue();
        }
    }

    @Test
    void onlyWhatTheBorrowerChangedIsResetOnReturn() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1));
        StubConnection raw;
        try (Connection c = ds.getConnection()) {
            raw = stubOf(c);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            c.setReadOnly(true);
            c.setSchema("other");
            c.setCatalog("elsewhere");
        }
        assertThat(raw.autoCommit).isTrue();
        assertThat(raw.isolation).isEqualTo(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(raw.readOnly).isFalse();
        assertThat(raw.schema).isEqualTo("public");
        assertThat(raw.catalog).isEqualTo("main");
        assertThat(raw.rollbacks.get()).isEqualTo(1);

        int autoCommitCalls = raw.setAutoCommitCalls.get();
        int isolationCalls = raw.setIsolationCalls.get();
        int rollbacks = raw.rollbacks.get();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeQuery("select 1").close();
        }
        assertThat(raw.setAutoCommitCalls.get()).as("untouched autoCommit is not reset").isEqualTo(autoCommitCalls);
        assertThat(raw.setIsolationCalls.get()).isEqualTo(isolationCalls);
        assertThat(raw.rollbacks.get()).as("no rollback in auto-commit mode").isEqualTo(rollbacks);
    }

    @Test
    void leftoverStatementsAreClosedOnReturnAndRefuseLateUse() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1));
        Statement s;
        PreparedStatement ps;
        ResultSet rs;
        try (Connection c = ds.getConnection()) {
            s = c.createStatement();
            ps = c.prepareStatement("select ?");
            rs = s.executeQuery("select 1");
            assertThat(rs.getStatement()).isSameAs(s);
            assertThat(s.getConnection()).isSameAs(c);
        }
        assertThat(s.isClosed()).isTrue();
        assertThat(ps.isClosed()).isTrue();
        assertThat(rs.isClosed()).isTrue();
        assertThatThrownBy(() -> s.executeQuery("select 1")).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> ps.setInt(1, 1)).isInstanceOf(SQLException.class);
    }

    @Test
    void healthTurnsSaturatedWhenCallersTimeOut() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1));
        assertThat(ds.health().status()).isNotEqualTo(PoolHealth.Status.SATURATED);
        try (Connection held = ds.getConnection()) {
            assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(100)))
                    .isInstanceOf(SQLTransientConnectionException.class);
        }
        PoolHealth h = ds.health();
        assertThat(h.status()).isEqualTo(PoolHealth.Status.SATURATED);
        assertThat(h.timeouts()).isEqualTo(1);
        assertThat(h.reasons()).contains("1 acquire timed out (saturated: any)");
    }

    @Test
    void acquireTimeoutFiresAtTheDeadlineWithPoolStateInTheMessage() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1));
        try (Connection held = ds.getConnection()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(200)))
                    .isInstanceOf(SQLTransientConnectionException.class)
                    .satisfies(e -> {
                        assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT);
                        assertThat(((SQLException) e).getSQLState()).startsWith("08");
                        assertThat(e.getMessage()).contains(ds.poolName()).contains("inUse=1").contains("idle=0");
                    });
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waitedMs).isBetween(190L, 2000L);
        }
        assertThat(ds.stats().acquireTimeouts()).isEqualTo(1);
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1));
        Connection held = ds.getConnection();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            futures.add(threads.submit(() -> {
                try (Connection c = ds.getConnection()) {
                    order.add(id);
                }
                return null;
            }));
            awaitPending(ds, i + 1);
        }
        held.close();
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aHungConnectNeverHoldsACallerPastItsDeadline() throws Exception {
        db.connectHangs = true;
        SluiceDataSource ds = pool(config().maximumPoolSize(2).initializationFailTimeout(Duration.ofMillis(-1))
                .connectionTimeout(Duration.ofMillis(300)));
        long start = System.nanoTime();
        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
    }

    @Test
    void theConstructorFailsWithinItsBoundWhenConnectHangs() {
        db.connectHangs = true;
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool(config().connectionTimeout(Duration.ofMillis(300))))
                .isInstanceOf(SQLTransientConnectionException.class)
                .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.CONNECT_TIMEOUT));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
    }

    @Test
    void aConnectionArrivingAfterItsRequesterGaveUpGoesToThePool() throws Exception {
        db.connectDelayMillis = 400;
        SluiceDataSource ds = pool(config().maximumPoolSize(1).minimumIdle(0).initializationFailTimeout(Duration.ofMillis(-1)));
        assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(100))).isInstanceOf(SQLException.class);
        awaitUntil(() -> ds.stats().idle() == 1);
        db.connectDelayMillis = 0;
        try (Connection c = ds.getConnection(Duration.ofMillis(100))) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertThat(db.connections).hasSize(1);
    }

    @Test
    void badCredentialsFailFastAndAreNotTransient() {
        db.connectFailure = new SQLException("password authentication failed for user \"app\"", "28P01");
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool(config().username("app").password("wrong").connectionTimeout(Duration.ofSeconds(10))))
                .isInstanceOf(SQLNonTransientConnectionException.class)
                .satisfies(e -> {
                    assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.AUTHENTICATION_FAILED);
                    assertThat(((SluiceFailure) e).isTransient()).isFalse();
                    assertThat(e.getMessage()).doesNotContain("wrong");
                });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2000);
    }

    @Test
    void initializationFailTimeoutZeroStartsWithoutAReachableDatabaseAsInHikariCpButNotWithBadCredentials() throws Exception {
        db.connectFailure = new SQLException("Connection refused", "08001");
        SluiceDataSource ds = pool(config().initializationFailTimeout(Duration.ZERO).minimumIdle(0));
        assertThat(db.connectAttempts.get()).as("one start-up attempt").isGreaterThanOrEqualTo(1);
        assertThat(ds.stats().open()).isZero();
        db.connectFailure = null;
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).as("connects once the database answers").isTrue();
        }

        StubDatabase rejecting = StubDatabase.create();
        rejecting.connectFailure = new SQLException("password authentication failed", "28P01");
        assertThatThrownBy(() -> new SluiceDataSource(SluiceConfig.builder().jdbcUrl(rejecting.url())
                .initializationFailTimeout(Duration.ZERO).build()).close())
                .isInstanceOf(SluiceFailure.class)
                .hasMessageContaining("the database rejected the credentials (no username configured)")
                .satisfies(t -> assertThat(((SluiceFailure) t).reason()).isEqualTo(FailureReason.AUTHENTICATION_FAILED));
    }

    @Test
    void badCredentialsFailWaitersFastWhenThePoolStartedLazily() throws Exception {
        db.connectFailure = new SQLException("Access denied for user 'app'", "28000", 1045);
        SluiceDataSource ds = pool(config().initializationFailTimeout(Duration.ofMillis(-1)).connectionTimeout(Duration.ofSeconds(10)));
        long start = System.nanoTime();
        assertThatThrownBy(ds::getConnection)
                .isInstanceOf(SQLNonTransientConnectionException.class)
                .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.AUTHENTICATION_FAILED));
        assertThatThrownBy(ds::getConnection).isInstanceOf(SQLNonTransientConnectionException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3000);
    }

    @Test
    void oneBrokenConnectionMakesThePoolValidateItsIdleSiblings() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(3).validationBypassWindow(Duration.ofSeconds(30)));
        awaitUntil(() -> ds.stats().idle() == 3);
        List<Connection> all = List.of(ds.getConnection(), ds.getConnection(), ds.getConnection());
        for (Connection c : all) {
            c.close();
        }
        db.connections.forEach(c -> c.killed = true); // the server restarted: every backend is gone
        int errors = 0;
        for (int i = 0; i < 10; i++) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.executeQuery("select 1");
            } catch (SQLException e) {
                errors++;
            }
        }
        assertThat(errors).as("only the first stale connection reaches the application").isEqualTo(1);
    }

    @Test
    void maxIdleClosesConnectionsReturnedBeyondIt() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(4).minimumIdle(0).maxIdle(1));
        List<Connection> held = List.of(ds.getConnection(), ds.getConnection(), ds.getConnection());
        for (Connection c : held) {
            c.close();
        }
        assertThat(ds.stats().idle()).isEqualTo(1);
        assertThat(ds.stats().closed(CloseReason.MAX_IDLE)).isEqualTo(2);
    }

    @Test
    void aScopedDeadlineBoundsAcquisitionAndSetsTheNetworkTimeout() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1));
        StubConnection raw;
        try (Deadline d = Deadline.after(Duration.ofMillis(800)); Connection c = ds.getConnection()) {
            raw = stubOf(c);
            assertThat(raw.networkTimeout).isBetween(1, 800);
            long start = System.nanoTime();
            assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1500);
            assertThat(d.isExpired()).isTrue();
        }
        assertThat(raw.networkTimeout).as("restored on return").isZero();
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void closeWakesWaitersClosesIdleAndAbortsWhatIsNotReturnedInTime() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(2).shutdownTimeout(Duration.ofMillis(200)));
        Connection kept = ds.getConnection();
        Connection returnedLate = ds.getConnection();
        CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
            try (Connection c = ds.getConnection(Duration.ofSeconds(20))) {
                return null;
            } catch (SQLException e) {
                return e;
            }
        }, threads);
        awaitPending(ds, 1);
        ds.close();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(SQLNonTransientConnectionException.class)
                .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.POOL_CLOSED));
        assertThat(db.abortedConnections()).isEqualTo(2);
        returnedLate.close();
        kept.close();
        assertThat(db.openConnections()).isZero();
        assertThatThrownBy(ds::getConnection).satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.POOL_CLOSED));
        assertThat(ds.stats().closed(CloseReason.ABORTED)).isEqualTo(2);
    }

    @Test
    void closeWaitsForBorrowedConnectionsReturnedWithinTheBound() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(2).shutdownTimeout(Duration.ofSeconds(5)));
        Connection c = ds.getConnection();
        threads.submit(() -> {
            Thread.sleep(200);
            c.close();
            return null;
        });
        ds.close();
        assertThat(db.abortedConnections()).isZero();
        assertThat(db.openConnections()).isZero();
    }

    @Test
    void statsAddUp() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(3).minimumIdle(1));
        awaitUntil(() -> ds.stats().idle() == 1);
        Connection a = ds.getConnection();
        Connection b = ds.getConnection();
        PoolStats s = ds.stats();
        assertThat(s.inUse()).isEqualTo(2);
        assertThat(s.open()).isEqualTo(s.inUse() + s.idle());
        assertThat(s.acquired()).isEqualTo(2);
        a.close();
        b.close();
        assertThat(ds.stats().acquireLatency().count()).isEqualTo(2);
        assertThat(ds.stats().toString()).contains(ds.poolName());
    }

    @Test
    void holdTimesAreSampledUnlessSomethingNeedsEveryOne() throws Exception {
        SluiceDataSource sampled = pool(config().maximumPoolSize(1));
        SluiceDataSource everyOne = pool(SluiceConfig.builder().jdbcUrl(StubDatabase.create().url()).maximumPoolSize(1)
                .leakDetectionThreshold(Duration.ofMinutes(1)));
        for (SluiceDataSource ds : List.of(sampled, everyOne)) {
            for (int i = 0; i < 64; i++) {
                ds.getConnection().close();
            }
            assertThat(ds.stats().acquired()).isEqualTo(64);
            assertThat(ds.stats().acquireLatency().count()).isEqualTo(64);
        }
        // One borrow in 16 per connection, plus any that took the timed path (a validation after a stall).
        assertThat(sampled.stats().holdLatency().count()).isBetween(4L, 40L);
        assertThat(everyOne.stats().holdLatency().count()).isEqualTo(64);
    }

    @Test
    void aSuspendedPoolHoldsBorrowersUntilResumedOrTheirDeadline() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(2));
        ds.suspend();
        assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(100)))
                .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.POOL_SUSPENDED));
        Future<Boolean> waiting = threads.submit(() -> {
            try (Connection c = ds.getConnection(Duration.ofSeconds(10))) {
                return c.isValid(1);
            }
        });
        Thread.sleep(100);
        assertThat(waiting.isDone()).isFalse();
        ds.resume();
        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void evictAllClosesIdleNowAndBorrowedOnReturn() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(2));
        awaitUntil(() -> ds.stats().idle() == 2);
        Connection borrowed = ds.getConnection();
        StubConnection raw = stubOf(borrowed);
        ds.evictAll();
        assertThat(ds.stats().closed(CloseReason.EVICTED)).isEqualTo(1);
        assertThat(raw.closed).isFalse();
        borrowed.close();
        awaitUntil(() -> raw.closed);
        assertThat(ds.stats().closed(CloseReason.EVICTED)).isEqualTo(2);
    }

    @Test
    void resizingAtRuntimeShrinksAndGrowsThePool() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(4));
        awaitUntil(() -> ds.stats().open() == 4);
        ds.resize(2, 1);
        assertThat(ds.stats().open()).isEqualTo(2);
        assertThat(ds.stats().maximumPoolSize()).isEqualTo(2);
        assertThatThrownBy(() -> ds.resize(0, 0)).hasMessage("maximumPoolSize=0 must be between 1 and 10000");
        ds.resize(6, 6);
        awaitUntil(() -> ds.stats().open() == 6);
    }

    @Test
    void connectThreadsEndSoonOnceThePoolIsFull() throws Exception {
        // Each thread that did I/O keeps a per-thread buffer cache while it lives: a full pool keeps none idle.
        // 10 s against a keep-alive of a fraction of a second; the former keep-alive was 30 s.
        String name = "test-" + db.url().substring(10);
        SluiceDataSource ds = pool(config().maximumPoolSize(6).minimumIdle(6));
        awaitUntil(() -> ds.stats().open() == 6);
        awaitUntil(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith(name + "-connect-")));
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        ds.evictAll(); // the pool connects again on new threads
        awaitUntil(() -> ds.stats().open() == 6);
        assertThat(ds.stats().open()).isEqualTo(6);
    }

    @Test
    void rotatedCredentialsAreUsedForNewConnections() throws Exception {
        SluiceDataSource ds = pool(config().maximumPoolSize(1).username("old").password("old-secret"));
        ds.setCredentials("new", "new-secret");
        ds.evictAll();
        try (Connection c = ds.getConnection()) {
            assertThat(stubOf(c).info.getProperty("user")).isEqualTo("new");
        }
        assertThat(ds.toString()).doesNotContain("secret");
    }

    static StubConnection stubOf(Connection handle) throws SQLException {
        return StubConnection.of(handle.unwrap(StubConnection.Physical.class));
    }

    static void awaitPending(SluiceDataSource ds, int pending) throws InterruptedException {
        awaitUntil(() -> ds.stats().pending() >= pending);
    }

    static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
