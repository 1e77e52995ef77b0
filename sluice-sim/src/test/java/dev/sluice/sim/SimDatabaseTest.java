package dev.sluice.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
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
            for (int i = 0; i < 10; i++) {
                services.add(db.begin());
            }
            assertThat(services.subList(0, 8)).containsOnly(5 * MS);
            assertThat(services.subList(8, 10)).containsExactly(Math.round(5 * MS * 9 / 8.0), Math.round(5 * MS * 10 / 8.0));
            assertThat(db.running()).isEqualTo(10);
            assertThat(db.peakRunning()).isEqualTo(10);
            for (int i = 0; i < 10; i++) {
                db.end();
            }
            db.slowdown(5);
            assertThat(db.begin()).as("alone again, but 5x slower").isEqualTo(25 * MS);
            db.end();
        }
    }

    @Test
    void aQueryThroughTheDriverTakesTheServiceTimeAndReturnsOneRow() throws SQLException {
        try (SimDatabase db = SimDatabase.create("driver", 8, Duration.ofMillis(20), Duration.ofMillis(2));
                Connection c = DriverManager.getConnection(db.url())) {
            assertThat(db.openConnections()).isEqualTo(1);
            long t0 = System.nanoTime();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.next()).isFalse();
            }
            // Parking never ends early; the upper side is left to the machine.
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(20 * MS);
            assertThat(db.executions()).isEqualTo(1);
            assertThatThrownBy(() -> c.prepareCall("call x()")).isInstanceOf(SQLFeatureNotSupportedException.class)
                    .hasMessageContaining("Connection.prepareCall");
            c.close();
            assertThat(db.openConnections()).isZero();
        }
    }

    @Test
    void anUnknownDatabaseNameFailsTheConnectLikeARefusedOne() {
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:sim:nobody-here")).isInstanceOf(SQLException.class)
                .hasMessageContaining("no simulated database named nobody-here")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08001"));
    }
}
