package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fleet with no fleetBudget derives it from the server: here the CONNECTION LIMIT of a role made
 * for the test. Two members under load share it, and the role never has more connections than
 * its limit (the server would refuse them).
 */
class FleetDerivedBudgetTest {
    private static final int LIMIT = 6;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theBudgetIsTheRolesConnectionLimit() throws Exception {
        TestDatabase db = TestDatabase.POSTGRESQL;
        db.requireAvailable();
        String role = "sluice_fleet_it_" + ProcessHandle.current().pid();
        String fleet = "dv" + Long.toHexString(ProcessHandle.current().pid());
        db.execute("drop role if exists " + role, "create role " + role + " login connection limit " + LIMIT);
        List<SluiceDataSource> pools = new ArrayList<>();
        AtomicBoolean run = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        AtomicLong borrows = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        try {
            for (String id : List.of("m1", "m2")) {
                pools.add(new SluiceDataSource(SluiceConfig.builder().poolName("fleet-derived-" + id).jdbcUrl(db.url()).username(role)
                        .maximumPoolSize(10).connectionTimeout(Duration.ofSeconds(10)).fleet(fleet).fleetInstance(id)
                        .fleetInterval(Duration.ofMillis(200)).build()));
            }
            for (SluiceDataSource ds : pools) {
                for (int i = 0; i < 4; i++) {
                    Thread t = new Thread(() -> {
                        while (run.get()) {
                            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                                s.execute("select pg_sleep(0.002)");
                                borrows.incrementAndGet();
                            } catch (SQLException e) {
                                errors.incrementAndGet();
                            }
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                    callers.add(t);
                }
            }
            int most = 0;
            try (Connection c = db.direct(); PreparedStatement st = c.prepareStatement("select count(*) from pg_stat_activity where usename = ?")) {
                st.setString(1, role);
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < end) {
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        most = Math.max(most, rs.getInt(1));
                    }
                    Thread.sleep(10);
                }
            }
            run.set(false);
            for (Thread t : callers) {
                t.join(5_000);
            }
            for (SluiceDataSource ds : pools) {
                assertThat(ds.fleetView()).as("fleet view").contains("budget " + LIMIT + ",").contains("2 instances");
                assertThat(ds.stats().sizingDecisions()).as("the fleet's moves in the sizing decisions")
                        .anySatisfy(d -> assertThat(d.reason()).startsWith("joined; fleet " + fleet));
            }
            assertThat(most).as("the role's connections at most").isLessThanOrEqualTo(LIMIT);
            assertThat(errors.get()).as("caller errors").isZero();
            assertThat(borrows.get()).as("borrows").isPositive();
        } finally {
            run.set(false);
            for (SluiceDataSource ds : pools) {
                ds.close();
            }
            db.execute("drop role if exists " + role);
        }
    }
}
