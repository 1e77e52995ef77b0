package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.Deadline;
import dev.sluice.FailureReason;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * With every connection borrowed, getConnection fails at its deadline (not before, not long
 * after) with a classified, transient ACQUIRE_TIMEOUT whose message says what the pool was doing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AcquireTimeoutTest {

    private static SluiceDataSource poolOfOne(TestDatabase db, String test) throws Exception {
        return new SluiceDataSource(db.config("it-" + test + "-" + db.kind()).maximumPoolSize(1).minimumIdle(1)
                .connectionTimeout(Duration.ofMillis(300)).validationTimeout(Duration.ofMillis(250))
                // connectionTimeout also bounds each connect: let a slow first connect (cold JVM) retry.
                .initializationFailTimeout(Duration.ofSeconds(10)).build());
    }

    private static void assertAcquireTimeout(Throwable t, SluiceDataSource ds, long elapsedMs) {
        assertThat(t).isInstanceOf(SQLTransientConnectionException.class).isInstanceOf(SluiceFailure.class);
        SluiceFailure f = (SluiceFailure) t;
        assertThat(f.reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT);
        assertThat(f.isTransient()).isTrue();
        assertThat(f.poolName()).isEqualTo(ds.poolName());
        assertThat(((SQLTransientConnectionException) t).getSQLState()).startsWith("08");
        assertThat(t.getMessage()).as("names the pool and its state")
                .contains(ds.poolName()).contains("inUse=1").contains("max=1");
        assertThat(elapsedMs).as("fails at the deadline, not before").isGreaterThanOrEqualTo(300L);
        assertThat(elapsedMs).as("and not long after").isLessThan(2000L);
    }

    @DatabaseTest
    void acquireTimeoutFiresAtAPerCallDeadline(TestDatabase db) throws Exception {
        try (SluiceDataSource ds = poolOfOne(db, "acquire-timeout"); Connection held = ds.getConnection()) {
            long start = System.nanoTime();
            Throwable t = catchThrowable(() -> ds.getConnection(Duration.ofMillis(300)));
            assertAcquireTimeout(t, ds, Await.millisSince(start));
            assertThat(ds.stats().acquireTimeouts()).isEqualTo(1);
            assertThat(held.isValid(1)).isTrue();
        }
    }

    @DatabaseTest
    void acquireTimeoutFiresAtTheConfiguredConnectionTimeout(TestDatabase db) throws Exception {
        try (SluiceDataSource ds = poolOfOne(db, "connection-timeout"); Connection held = ds.getConnection()) {
            long start = System.nanoTime();
            Throwable t = catchThrowable(ds::getConnection);
            assertAcquireTimeout(t, ds, Await.millisSince(start));
        }
    }

    @DatabaseTest
    void acquireTimeoutFiresAtAScopedDeadline(TestDatabase db) throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(db.config("it-scoped-deadline-" + db.kind())
                .maximumPoolSize(1).minimumIdle(1).build()); // connectionTimeout 5 s: the scope is shorter
                Connection held = ds.getConnection()) {
            long start = System.nanoTime();
            Throwable t;
            try (Deadline d = Deadline.after(Duration.ofMillis(300))) {
                t = catchThrowable(ds::getConnection);
            }
            assertAcquireTimeout(t, ds, Await.millisSince(start));
        }
    }
}
