package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The circuit breaker coupled to a pool, on the stub driver. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BreakerTest {

    private static SQLException refused() {
        return new SQLException("Connection refused", "08001", new ConnectException("Connection refused"));
    }

    @Test
    void whileTheDatabaseIsDownCallersFailFastAndThePoolRecoversWhenItReturns() throws Exception {
        StubDatabase db = StubDatabase.create();
        db.connectFailure = refused();
        List<String> transitions = new CopyOnWriteArrayList<>();
        PoolListener l = new PoolListener() {
            @Override
            public void breakerStateChanged(String poolName, BreakerState from, BreakerState to, Throwable lastFailure) {
                transitions.add(from + "->" + to);
            }
        };
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("breaker")
                .maximumPoolSize(4).minimumIdle(2).initializationFailTimeout(Duration.ofMillis(-1))
                .connectionTimeout(Duration.ofSeconds(5)).listener(l).build())) {
            PoolBehaviourTest.awaitUntil(() -> ds.stats().breakerState() != BreakerState.CLOSED);

            long worst = 0;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertThatThrownBy(ds::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                        .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.BREAKER_OPEN))
                        .hasMessageContaining("circuit breaker open").hasMessageContaining("refused");
                worst = Math.max(worst, System.nanoTime() - start);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("fails fast, not after connectionTimeout=5s").isLessThan(100);
            assertThat(ds.stats().breakerRejections()).isGreaterThanOrEqualTo(20);

            db.connectFailure = null;
            long back = System.nanoTime();
            PoolBehaviourTest.awaitUntil(() -> ds.stats().breakerState() == BreakerState.CLOSED);
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back)).as("recovers within about a probe interval")
                    .isLessThan(1500);
            PoolBehaviourTest.awaitUntil(() -> ds.stats().idle() >= 2);
            assertThat(ds.stats().breakerOpens()).isEqualTo(1);
        }
        // Usually the half-open probe closes it; a connect queued before the breaker opened and run
        // after the database came back may close it first (the database did answer), so only the
        // ends are fixed here. Probing alone is pinned by whileOpenNoConnectIsAttemptedExceptProbes.
        assertThat(transitions).first().isEqualTo("CLOSED->OPEN");
        assertThat(transitions).last().asString().endsWith("->CLOSED");
    }

    @Test
    void whileOpenNoConnectIsAttemptedExceptProbes() throws Exception {
        StubDatabase db = StubDatabase.create();
        db.connectFailure = refused();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).maximumPoolSize(8)
                .initializationFailTimeout(Duration.ofMillis(-1)).breakerMaxProbeInterval(Duration.ofMillis(200)).build())) {
            PoolBehaviourTest.awaitUntil(() -> ds.stats().breakerState() != BreakerState.CLOSED);
            int before = db.connectAttempts.get();
            for (int i = 0; i < 200; i++) {
                assertThatThrownBy(ds::getConnection).isInstanceOf(SQLException.class);
            }
            Thread.sleep(1000);
            int during = db.connectAttempts.get() - before;
            assertThat(during).as("about one probe per 200 ms, not one connect per caller").isBetween(1, 10);
        }
    }

    @Test
    void aDisabledBreakerLetsCallersWaitTheirTimeout() throws Exception {
        StubDatabase db = StubDatabase.create();
        db.connectFailure = refused();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).breakerFailureThreshold(0)
                .breakerFailureRateThreshold(0).initializationFailTimeout(Duration.ofMillis(-1)).build())) {
            Thread.sleep(200);
            long start = System.nanoTime();
            assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(300)))
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.CONNECT_REFUSED));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(290);
            assertThat(ds.stats().breakerState()).isEqualTo(BreakerState.DISABLED);
        }
    }
}
