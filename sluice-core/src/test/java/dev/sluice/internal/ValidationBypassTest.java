package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.CloseReason;
import dev.sluice.SluiceConfig;
import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The validation-bypass window, on a clock the test moves: a connection idle longer is validated before hand-out. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ValidationBypassTest {
    private final StubDatabase db = StubDatabase.create();
    private ClockedPool clocked;

    @AfterEach
    void close() {
        if (clocked != null) {
            clocked.close();
        }
    }

    private Pool pool(Duration bypass, ManualClock clock) throws SQLException {
        clocked = new ClockedPool(SluiceConfig.builder().jdbcUrl(db.url()).poolName("bypass-" + db.url().substring(10))
                .maximumPoolSize(1).validationBypassWindow(bypass), clock);
        return clocked.pool;
    }

    static StubConnection stubOf(Connection handle) throws SQLException {
        return StubConnection.of(handle.unwrap(StubConnection.Physical.class));
    }

    @Test
    void aConnectionThatBrokeWhileIdleIsReplacedWithoutTheCallerNoticing() throws Exception {
        Pool pool = pool(Duration.ofMillis(50), new ManualClock());
        StubConnection first;
        try (Connection c = pool.acquire()) {
            first = stubOf(c);
        }
        first.killed = true;
        clocked.advance(Duration.ofMillis(100));
        try (Connection c = pool.acquire(); Statement s = c.createStatement()) {
            assertThat(stubOf(c)).isNotSameAs(first);
            assertThat(s.executeQuery("select 1").next()).isTrue();
        }
        assertThat(pool.stats().closed(CloseReason.VALIDATION_FAILED)).isEqualTo(1);
    }

    @Test
    void aConnectionIdleJustPastTheBypassWindowIsAlwaysValidated() throws Exception {
        // The borrow path reads a coarse clock; its lag may cause an early validation, never a skipped one.
        // This clock's coarse reading lags by the whole allowance, the case where one could be skipped.
        Pool pool = pool(Duration.ofMillis(50), new ManualClock(Duration.ofMillis(20)));
        pool.acquire().close();
        int before = db.validations.get();
        for (int i = 0; i < 10; i++) {
            clocked.clock.advance(Duration.ofMillis(52));
            pool.acquire().close();
        }
        assertThat(db.validations.get() - before).isEqualTo(10);
    }

    @Test
    void aConnectionUsedWithinTheBypassWindowIsHandedOutWithoutALook() throws Exception {
        Pool pool = pool(Duration.ofMillis(50), new ManualClock());
        pool.acquire().close();
        int before = db.validations.get();
        for (int i = 0; i < 10; i++) {
            clocked.clock.advance(Duration.ofMillis(50));
            pool.acquire().close();
        }
        assertThat(db.validations.get() - before).isZero();
    }
}
