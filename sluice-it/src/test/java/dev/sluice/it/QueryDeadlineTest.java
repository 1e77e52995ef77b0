package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.CloseReason;
import dev.sluice.Deadline;
import dev.sluice.FailureReason;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * A query that runs past the caller's scoped {@link Deadline} is cancelled by the server, not cut
 * off by the network timeout: the caller gets DEADLINE_EXCEEDED naming budget and elapsed time,
 * with the driver's exception as cause, and the same physical connection serves the next borrower.
 * Before, PostgreSQL callers got pgjdbc's raw 08006 I/O error and the connection was lost.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueryDeadlineTest {

    /** A statement that runs about ten seconds, far past the deadline, and that the server can cancel. */
    private static String slowQuery(TestDatabase db) {
        return switch (db.kind()) {
            case POSTGRESQL -> "select pg_sleep(10)";
            case MARIADB -> "select sleep(10)";
            // H2 has no sleep; its cancel is checked while rows are produced, so a long scan it is
            case H2 -> "select count(*) from system_range(1, 2000000000) a where mod(a.x * 7, 13) = 5";
        };
    }

    @DatabaseTest
    void aQueryPastItsDeadlineIsCancelledAndTheConnectionGoesBackToThePool(TestDatabase db) throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(db.config("it-qdeadline-" + db.kind()).maximumPoolSize(1).minimumIdle(1).build())) {
            Object physical;
            SQLException failure = null;
            long start;
            long elapsed;
            try (Deadline d = Deadline.after(Duration.ofMillis(1500)); Connection c = ds.getConnection()) {
                physical = db.physical(c);
                start = System.nanoTime();
                try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(slowQuery(db))) {
                    r.next();
                } catch (SQLException e) {
                    failure = e;
                }
                elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            assertThat((Object) failure).as("the query must not run to its end").isNotNull();
            assertThat(SluiceFailure.reasonOf(failure)).as("%s", failure).contains(FailureReason.DEADLINE_EXCEEDED);
            assertThat(failure.getMessage()).contains("stopped at its Deadline").contains("budget").contains("elapsed")
                    .contains("connection stays usable");
            assertThat(failure.getCause()).isInstanceOf(SQLException.class).isNotInstanceOf(SluiceFailure.class);
            // 1.5 s rounds up to a 2 s query timeout; wide upper bound for a loaded machine, far below the 10 s query
            assertThat(elapsed).isBetween(1000L, 5000L);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("select 1")) {
                assertThat(r.next()).isTrue();
                assertThat(db.physical(c)).as("the same physical connection, still usable").isSameAs(physical);
            }
            assertThat(ds.stats().closed(CloseReason.BROKEN)).isZero();
            assertThat(ds.stats().closed()).isZero();
        }
    }

    @DatabaseTest
    void aSavepointCanBeRolledBackBySqlAfterAFailedStatementInsideADeadline(TestDatabase db) throws Exception {
        // In PostgreSQL a failed statement aborts the transaction, and every statement but ROLLBACK (TO
        // SAVEPOINT) is refused: the pool's own limit-setting statement must not stand in the way.
        try (SluiceDataSource ds = new SluiceDataSource(db.config("it-qdeadline-savepoint-" + db.kind()).maximumPoolSize(1).build());
             Deadline d = Deadline.after(Duration.ofSeconds(10)); Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SAVEPOINT before_failure");
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.execute("select * from no_such_table_4711")))
                        .isInstanceOf(SQLException.class);
                Thread.sleep(50); // past the window in which the pool reuses the limit it set last
                s.execute("ROLLBACK TO SAVEPOINT before_failure");
                try (ResultSet r = s.executeQuery("select 1")) {
                    assertThat(r.next()).as("the transaction is usable again").isTrue();
                }
            }
            c.rollback();
        }
    }
}
