package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Statements on a connection borrowed inside a {@link Deadline} are stopped by the database at the
 * deadline and the connection survives. The stub driver is one Sluice knows no server-side limit
 * for, so it gets JDBC's query timeout (whole seconds, rounded up); it fails an execution longer
 * than that with 57014, as PostgreSQL does. The server-side limits of PostgreSQL and MariaDB are
 * covered in sluice-it's QueryDeadlineTest.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class QueryDeadlineTest {
    private final StubDatabase db = StubDatabase.create();

    private SluiceDataSource pool() throws SQLException {
        return new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).maximumPoolSize(1).minimumIdle(1).build());
    }

    private static StubConnection physical(Connection c) throws SQLException {
        return StubConnection.of(c.unwrap(StubConnection.Physical.class));
    }

    @Test
    void aStatementRunningPastTheDeadlineFailsWithDeadlineExceededAndTheConnectionIsKept() throws Exception {
        db.queryMillis = 5000;
        try (SluiceDataSource ds = pool()) {
            StubConnection first;
            long start = System.nanoTime();
            try (Deadline d = Deadline.after(Duration.ofMillis(300)); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                first = physical(c);
                assertThatThrownBy(() -> s.executeQuery("select slow")).isInstanceOf(SQLException.class).satisfies(e -> {
                    assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.DEADLINE_EXCEEDED);
                    assertThat(((SQLException) e).getSQLState()).isEqualTo("HYT00");
                    assertThat(e.getCause()).isInstanceOf(SQLTimeoutException.class);
                    assertThat(e.getMessage()).contains("stopped at its Deadline").contains("budget 2").contains("elapsed 1")
                            .contains("connection stays usable");
                });
                // rounded up to whole seconds; the user's (unset) timeout restored afterwards
                assertThat(first.statements.get(0).queryTimeoutsSet).containsExactly(1, 0);
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(900L, 3000L);
            db.queryMillis = 0;
            try (Connection c = ds.getConnection()) {
                assertThat(physical(c)).isSameAs(first);
            }
            assertThat(ds.stats().closed(CloseReason.BROKEN)).isZero();
        }
    }

    @Test
    void theNetworkTimeoutEndsAStatementOnADeadNetworkAtTheDeadline() throws Exception {
        try (SluiceDataSource ds = pool(); Deadline d = Deadline.after(Duration.ofMillis(1500)); Connection c = ds.getConnection()) {
            assertThat(physical(c).networkTimeout).isBetween(1400, 1500);
        }
    }

    @Test
    void aDeadlineLongerThanConnectionTimeoutBoundsTheStatementsNotConnectionTimeout() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).maximumPoolSize(1).minimumIdle(1)
                .connectionTimeout(Duration.ofSeconds(1)).build());
                Deadline d = Deadline.after(Duration.ofSeconds(10)); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("select 1");
            assertThat(physical(c).statements.get(0).queryTimeoutsSet).first().isEqualTo(10);
            assertThat(physical(c).networkTimeout).isBetween(9000, 10_000);
        }
    }

    @Test
    void aShorterTimeoutTheUserSetWinsAndFailsAsTheDriverSays() throws Exception {
        db.queryMillis = 5000;
        try (SluiceDataSource ds = pool(); Deadline d = Deadline.after(Duration.ofSeconds(10)); Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(1);
            assertThatThrownBy(() -> s.execute("select slow")).isInstanceOf(SQLTimeoutException.class)
                    .satisfies(e -> assertThat(SluiceFailure.reasonOf(e)).isEmpty());
            assertThat(physical(c).statements.get(0).queryTimeoutsSet).containsExactly(1);
        }
    }

    @Test
    void aStatementStartedAfterTheDeadlineFailsAtOnceWithoutRunning() throws Exception {
        try (SluiceDataSource ds = pool(); Deadline d = Deadline.after(Duration.ofMillis(100)); Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            // parkNanos may return at once (a permit left by an earlier unpark of this thread): wait for the Deadline itself.
            while (!d.isExpired()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            int before = physical(c).executes.get();
            assertThatThrownBy(() -> s.executeUpdate("update t")).satisfies(e -> {
                assertThat(SluiceFailure.reasonOf(e)).contains(FailureReason.DEADLINE_EXCEEDED);
                assertThat(e.getMessage()).contains("not started");
            });
            assertThat(physical(c).executes.get()).isEqualTo(before);
        }
    }

    @Test
    void withoutADeadlineStatementsAreLeftAlone() throws Exception {
        try (SluiceDataSource ds = pool(); Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("select 1");
            assertThat(physical(c).statements.get(0).queryTimeoutsSet).isEmpty();
        }
    }
}
