package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failover generations on the stub driver: which errors start a new generation, that idle
 * connections of older generations close at once and borrowed ones on return, that one failover
 * starts one generation however many connections report it, and that a connect under way when it
 * happens is not handed out. The real standby is exercised in sluice-it's FailoverTest.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailoverGenerationTest {
    private final StubDatabase db = StubDatabase.create();
    private final List<SluiceDataSource> pools = new ArrayList<>();
    private final List<String> failovers = new CopyOnWriteArrayList<>();
    private final PoolListener listener = new PoolListener() {
        @Override
        public void failover(String poolName, String trigger, long generation) {
            failovers.add(poolName + " " + trigger + " " + generation);
        }
    };

    @AfterEach
    void closePools() {
        pools.forEach(SluiceDataSource::close);
    }

    private SluiceDataSource pool(int size) throws SQLException, InterruptedException {
        SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("fo")
                .maximumPoolSize(size).minimumIdle(size).listener(listener).build());
        pools.add(ds);
        PoolBehaviourTest.awaitUntil(() -> ds.stats().idle() == size);
        return ds;
    }

    private static void executeAndFail(Connection c) {
        assertThatThrownBy(() -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into t values (1)");
            }
        }).isInstanceOf(SQLException.class);
    }

    @Test
    void aReadOnlyTransactionErrorClosesIdleConnectionsAtOnceAndBorrowedOnesOnReturn() throws Exception {
        SluiceDataSource ds = pool(4);
        Connection first = ds.getConnection();
        Connection second = ds.getConnection();
        db.executeFailure = new SQLException("ERROR: cannot execute INSERT in a read-only transaction", "25006");
        executeAndFail(first);

        // Synchronously, on the thread that saw the error: not at the next housekeeping run.
        assertThat(ds.stats().closed(CloseReason.FAILOVER)).as("the two idle ones").isEqualTo(2);
        assertThat(failovers).containsExactly("fo 25006 1");
        executeAndFail(second);
        assertThat(failovers).as("the same failover, seen on an older connection: no new generation").hasSize(1);
        first.close();
        second.close();
        assertThat(ds.stats().closed(CloseReason.FAILOVER)).isEqualTo(4);
        // Closed off-thread. A snapshot of the list: the pool refills meanwhile, and a live subList would fail.
        PoolBehaviourTest.awaitUntil(() -> List.copyOf(db.connections).subList(0, 4).stream().allMatch(c -> c.closed));

        db.executeFailure = null;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into t values (1)"); // a connection of the new generation
        }
        assertThat(ds.stats().closed(CloseReason.FAILOVER)).as("new connections are kept").isEqualTo(4);
    }

    @Test
    void aSignalOnANewGenerationStartsTheNextOne() throws Exception {
        SluiceDataSource ds = pool(1);
        db.executeFailure = new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        try (Connection c = ds.getConnection()) {
            executeAndFail(c);
        }
        try (Connection c = ds.getConnection()) {
            executeAndFail(c);
        }
        assertThat(failovers).containsExactly("fo 57P01 1", "fo 57P01 2");
    }

    @Test
    void classEightMariaDbReadOnlyAndShutdownAreSignalsOtherErrorsAreNot() throws Exception {
        SluiceDataSource ds = pool(1);
        List<SQLException> signals = List.of(new SQLException("An I/O error occurred", "08006"),
                new SQLException("The MariaDB server is running with the --read-only option", "HY000", 1290),
                new SQLException("Cannot execute statement in a READ ONLY transaction", "25006", 1792),
                new SQLException("FATAL: the database system is shutting down", "57P03"));
        for (SQLException signal : signals) {
            db.executeFailure = signal;
            try (Connection c = ds.getConnection()) {
                executeAndFail(c);
            }
        }
        assertThat(failovers).containsExactly("fo 08006 1", "fo MariaDB 1290 (HY000) 2", "fo 25006 3", "fo 57P03 4");

        for (SQLException ordinary : List.of(new SQLException("duplicate key", "23505"), new SQLException("syntax", "42601"),
                new SQLException("deadlock detected", "40P01"))) {
            db.executeFailure = ordinary;
            try (Connection c = ds.getConnection()) {
                executeAndFail(c);
            }
        }
        assertThat(failovers).hasSize(4);
        PoolStats stats = ds.stats();
        assertThat(stats.closed(CloseReason.BROKEN)).as("the connections that saw 08006 and 57P03 are gone themselves").isEqualTo(2);
        assertThat(stats.closed(CloseReason.FAILOVER)).as("the read-only ones are of an older generation").isEqualTo(2);
    }

    @Test
    void aConnectUnderWayWhenTheFailoverHappensIsClosedNotHandedOut() throws Exception {
        SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("fo")
                .maximumPoolSize(2).minimumIdle(0).listener(listener).build());
        pools.add(ds);
        Connection held = ds.getConnection();
        db.connectDelayMillis = 400;
        CompletableFuture<Integer> borrowed = CompletableFuture.supplyAsync(() -> {
            try (Connection c = ds.getConnection(Duration.ofSeconds(10))) {
                return db.connections.size(); // the connection the borrower got is the newest
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        PoolBehaviourTest.awaitUntil(() -> db.connectAttempts.get() == 2); // the second connect is under way
        db.executeFailure = new SQLException("ERROR: cannot execute UPDATE in a read-only transaction", "25006");
        executeAndFail(held);
        db.executeFailure = null;
        int connectionsWhenBorrowed = borrowed.get(10, TimeUnit.SECONDS);
        held.close();

        assertThat(db.connections.get(1).closed).as("the connect started before the failover").isTrue();
        assertThat(connectionsWhenBorrowed).as("the borrower got a third connection, opened after it").isEqualTo(3);
        assertThat(db.connections.get(2).closed).isFalse();
        assertThat(ds.stats().closed(CloseReason.FAILOVER)).isEqualTo(2);
    }

    @Test
    void requirePrimaryIsReadFromPropertiesAndOffByDefault() {
        assertThat(SluiceConfig.builder().jdbcUrl(db.url()).build().requirePrimary()).isFalse();
        java.util.Properties p = new java.util.Properties();
        p.setProperty("jdbcUrl", db.url());
        p.setProperty("requirePrimary", "true");
        assertThat(SluiceConfig.fromProperties(p).requirePrimary()).isTrue();
    }
}
