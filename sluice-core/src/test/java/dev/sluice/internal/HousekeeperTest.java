package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.CloseReason;
import dev.sluice.SluiceConfig;
import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The housekeeper's idle knobs on a clock the test moves: idleTimeout above minimumIdle,
 * maxIdleTime for every connection, keepalive validation. Each knob's housekeeping period is a
 * quarter of it (derived by the configuration), so a limit is acted on within that much after it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HousekeeperTest {
    private final StubDatabase db = StubDatabase.create();
    private ClockedPool clocked;

    @AfterEach
    void close() {
        if (clocked != null) {
            clocked.close();
        }
    }

    private Pool pool(SluiceConfig.Builder b) throws SQLException {
        clocked = new ClockedPool(b.jdbcUrl(db.url()).poolName("housekeeping-" + db.url().substring(10)));
        return clocked.pool;
    }

    /** Borrows {@code n} at once, so they are {@code n} connections, and returns them. */
    private static List<StubConnection> borrowAndReturn(Pool pool, int n) throws SQLException {
        List<Connection> held = new ArrayList<>();
        List<StubConnection> raws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Connection c = pool.acquire();
            held.add(c);
            raws.add(ValidationBypassTest.stubOf(c));
        }
        for (Connection c : held) {
            c.close();
        }
        return raws;
    }

    @Test
    void idleTimeoutRetiresIdleConnectionsAboveMinimumIdle() throws Exception {
        Pool pool = pool(SluiceConfig.builder().maximumPoolSize(4).minimumIdle(1).idleTimeout(Duration.ofSeconds(10)));
        borrowAndReturn(pool, 4);
        assertThat(pool.stats().open()).isEqualTo(4);

        clocked.advance(Duration.ofSeconds(10));
        assertThat(pool.stats().open()).as("not before idleTimeout").isEqualTo(4);
        clocked.advance(Duration.ofMillis(2500)); // the next sweep
        assertThat(pool.stats().open()).isEqualTo(1);
        assertThat(pool.stats().idle()).isEqualTo(1);
        assertThat(pool.stats().closed(CloseReason.IDLE_TIMEOUT)).isEqualTo(3);
        clocked.advance(Duration.ofSeconds(30));
        assertThat(pool.stats().open()).as("minimumIdle is kept").isEqualTo(1);
    }

    @Test
    void maxIdleTimeClosesEveryConnectionIdleTooLongAndMinimumIdleRefills() throws Exception {
        Pool pool = pool(SluiceConfig.builder().maximumPoolSize(2).minimumIdle(2).maxIdleTime(Duration.ofSeconds(10)));
        List<StubConnection> original = borrowAndReturn(pool, 2);
        clocked.advance(Duration.ofSeconds(5));
        StubConnection usedLater;
        try (Connection c = pool.acquire()) {
            usedLater = ValidationBypassTest.stubOf(c);
        }
        StubConnection idleAll = original.get(0) == usedLater ? original.get(1) : original.get(0);

        clocked.advance(Duration.ofSeconds(5));
        assertThat(pool.stats().closed(CloseReason.MAX_IDLE_TIME)).as("not before maxIdleTime").isZero();
        clocked.advance(Duration.ofMillis(2500)); // the next sweep
        ClockedPool.awaitUntil(() -> idleAll.closed, "the connection idle too long to close");
        assertThat(usedLater.closed).as("used 7.5 s ago").isFalse();
        assertThat(pool.stats().closed(CloseReason.MAX_IDLE_TIME)).isEqualTo(1);

        clocked.advance(Duration.ofSeconds(5));
        ClockedPool.awaitUntil(() -> usedLater.closed, "the other connection to close once idle too long");
        assertThat(pool.stats().closed(CloseReason.MAX_IDLE_TIME)).isEqualTo(2);
        assertThat(pool.stats().open()).as("refilled to minimumIdle").isEqualTo(2);
        ClockedPool.awaitUntil(() -> db.openConnections() == 2, "the database to see the closes (they run on the pool's close threads)");
    }

    @Test
    void keepaliveValidatesIdleConnectionsAndReplacesADeadOne() throws Exception {
        Pool pool = pool(SluiceConfig.builder().maximumPoolSize(2).minimumIdle(2).keepaliveTime(Duration.ofSeconds(30)));
        List<StubConnection> original = borrowAndReturn(pool, 2);
        original.get(0).killed = true; // e.g. a firewall dropped it while idle
        int before = db.validations.get();

        clocked.advance(Duration.ofSeconds(30));
        assertThat(db.validations.get() - before).as("not before keepaliveTime").isZero();
        clocked.advance(Duration.ofMillis(7500)); // the next sweep
        // The stub's killed connection fails every call, so only the live one gets as far as isValid.
        assertThat(db.validations.get() - before).as("the live connection checked once").isEqualTo(1);
        assertThat(pool.stats().closed(CloseReason.VALIDATION_FAILED)).isEqualTo(1);
        ClockedPool.awaitUntil(() -> original.get(0).closed, "the dead connection to close");
        assertThat(original.get(1).closed).isFalse();
        assertThat(pool.stats().open()).as("replaced").isEqualTo(2);
    }
}
