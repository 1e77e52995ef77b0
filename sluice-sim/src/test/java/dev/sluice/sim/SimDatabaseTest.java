package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimDatabaseTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void upToTheCoreCountEveryStatementTakesTheBaseTime() {
        for (int running = 1; running <= 8; running++) {
            assertThat(SimDatabase.serviceNanos(5 * MS, 1.0, 8, running)).isEqualTo(5 * MS);
        }
    }

    @Test
    void beyondTheCoresStatementsShareThemAndAllTakeLonger() {
        assertThat(SimDatabase.serviceNanos(5 * MS, 1.0, 8, 9)).isEqualTo(Math.round(5 * MS * 9 / 8.0));
        assertThat(SimDatabase.serviceNanos(5 * MS, 1.0, 8, 16)).isEqualTo(10 * MS);
        assertThat(SimDatabase.serviceNanos(5 * MS, 1.0, 8, 32)).isEqualTo(20 * MS);
    }

    @Test
    void throughputIsCappedAtCoresOverBaseWhateverTheConcurrency() {
        for (int running : new int[] {8, 16, 32, 64}) {
            double perSecond = running / (SimDatabase.serviceNanos(5 * MS, 1.0, 8, running) / 1e9);
            assertThat(perSecond).isCloseTo(1600.0, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void theSlowdownFactorMultipliesTheServiceTime() {
        assertThat(SimDatabase.serviceNanos(5 * MS, 5.0, 8, 1)).isEqualTo(25 * MS);
        assertThat(SimDatabase.serviceNanos(5 * MS, 5.0, 8, 16)).isEqualTo(50 * MS);
    }

    @Test
    void eachStatementIsChargedForTheStatementsRunningWhenItStarts() {
        try (SimDatabase db = SimDatabase.create("admission", 8, Duration.ofMillis(5), Duration.ZERO)) {
            List<Long> services = new ArrayList<>();
            for (int running = 1; running <= 10; running++) {
                services.add(db.serviceNanos(running));
            }
            assertThat(services.subList(0, 8)).containsOnly(5 * MS);
            assertThat(services.subList(8, 10)).containsExactly(Math.round(5 * MS * 9 / 8.0), Math.round(5 * MS * 10 / 8.0));
            db.slowdown(5);
            assertThat(db.serviceNanos(1)).as("alone again, but 5x slower").isEqualTo(25 * MS);
        }
    }

    @Test
    void concurrentStatementsAreCountedAndShareTheCores() throws Exception {
        try (SimDatabase db = SimDatabase.create("sharing", 1, Duration.ofMillis(200), Duration.ZERO);
                Connection a = DriverManager.getConnection(db.url());
                Connection b = DriverManager.getConnection(db.url())) {
            Thread other = new Thread(() -> query(b));
            long t0 = System.nanoTime();
            other.start();
            while (db.running() == 0) {
                Thread.onSpinWait();
            }
            query(a); // starts while the other runs: two statements on one core, 400 ms
            long took = System.nanoTime() - t0;
            other.join();
            assertThat(db.peakRunning()).isEqualTo(2);
            assertThat(db.running()).isZero();
            assertThat(db.executions()).isEqualTo(2);
            assertThat(took).isGreaterThanOrEqualTo(400 * MS);
        }
    }

    private static void query(Connection c) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
            rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aQueryThroughTheDriverTakesTheServiceTimeAndReturnsOneRow() throws SQLException {
        try (SimDatabase db = SimDatabase.create("driver", 8, Duration.ofMillis(20), Duration.ofMillis(2));
                Connection c = DriverManager.getConnection(db.url())) {
            assertThat(db.openConnections()).isEqualTo(1);
            assertThat(db.connects()).isEqualTo(1);
            long t0 = System.nanoTime();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.next()).isFalse();
            }
            // Parking never ends early; the upper side is left to the machine.
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(20 * MS);
            assertThat(db.executions()).isEqualTo(1);
            assertThat(c.getMetaData().getDatabaseProductName()).as("neither PostgreSQL nor MariaDB: no server limit read")
                    .isEqualTo("Sluice stub database");
            c.close();
            assertThat(db.openConnections()).isZero();
        }
    }

    @Test
    void aClosedDatabaseFailsTheConnectLikeARefusedOne() {
        SimDatabase db = SimDatabase.create("gone", 8, Duration.ofMillis(20), Duration.ZERO);
        String url = db.url();
        db.close();
        assertThatThrownBy(() -> DriverManager.getConnection(url)).isInstanceOf(SQLException.class)
                .hasMessageContaining("no stub database")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }
}
