package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SCHEMA mode on embedded H2: every way a borrow can end gives the tenant's slot back exactly
 * once, and a leaked tenant connection is reported with its tenant. The per-tenant limit is one
 * connection, so a slot given back twice would let two borrows of the tenant through at once.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantBorrowEndTest {
    private static final String URL = "jdbc:h2:mem:tenant_borrow_end;DB_CLOSE_DELAY=-1";
    private static Connection keeper;

    @BeforeAll
    static void createTenantSchemas() throws SQLException {
        keeper = DriverManager.getConnection(URL);
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS \"alpha\"");
            s.execute("CREATE SCHEMA IF NOT EXISTS \"beta\"");
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        keeper.close();
    }

    private static TenantDataSource tenants(SluiceConfig.Builder template) throws SQLException {
        return TenantDataSource.builder()
                .template(template.jdbcUrl(URL).poolName("borrow-end").minimumIdle(0).connectionTimeout(Duration.ofSeconds(5)).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(3).tenantMaximumPoolSize(1).build();
    }

    /** The tenant's one slot is free: a borrow gets it at once, and a second one at the same time does not. */
    private static void assertOneSlotFree(TenantDataSource tenants, String tenant) throws SQLException {
        assertThat(tenants.stats().inUseByTenant()).doesNotContainKey(tenant);
        try (Connection c = tenants.getConnection(tenant)) {
            assertThat(tenants.stats().inUseByTenant()).containsEntry(tenant, 1);
            try (Deadline d = Deadline.after(Duration.ofMillis(100))) {
                assertThatThrownBy(() -> tenants.getConnection(tenant)).as("a second slot would mean one was given back twice")
                        .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT));
            }
        }
        assertThat(tenants.stats().inUseByTenant()).doesNotContainKey(tenant);
    }

    private static PoolListener leaksInto(List<LeakReport> reports) {
        return new PoolListener() {
            @Override
            public void leakSuspected(LeakReport report) {
                reports.add(report);
            }
        };
    }

    /** The housekeeper reports a leak within about the 100 ms threshold; 20 s only stops a broken test. */
    private static void awaitReport(List<LeakReport> reports) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (reports.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
    }

    @Test
    void closingTheConnectionOfAStatementGivesTheSlotBackOnce() throws Exception {
        try (TenantDataSource tenants = tenants(SluiceConfig.builder())) {
            Connection c = tenants.getConnection("alpha");
            try (Statement s = c.createStatement()) {
                s.getConnection().close();
            }
            assertThat(tenants.stats().inUseByTenant()).as("the pool's handle closed: the borrow ended").doesNotContainKey("alpha");
            assertThat(tenants.stats().inUse()).isZero();
            c.close(); // the tenant's own close afterwards: nothing more to give back
            assertThat(c.isClosed()).isTrue();
            assertOneSlotFree(tenants, "alpha");
        }
    }

    @Test
    void closingOrAbortingTheUnwrappedHandleGivesTheSlotBackOnce() throws Exception {
        try (TenantDataSource tenants = tenants(SluiceConfig.builder())) {
            Connection c = tenants.getConnection("alpha");
            c.unwrap(Connection.class).close();
            c.close();
            assertOneSlotFree(tenants, "alpha");

            Connection d = tenants.getConnection("alpha");
            d.createStatement().getConnection().abort(Runnable::run);
            assertThat(tenants.stats().inUseByTenant()).doesNotContainKey("alpha");
            d.close();
            assertOneSlotFree(tenants, "alpha");
        }
    }

    @Test
    void abandonReclaimGivesTheSlotBack() throws Exception {
        try (TenantDataSource tenants = tenants(SluiceConfig.builder().abandonTimeout(Duration.ofMillis(500)))) {
            Connection lost = tenants.getConnection("beta");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (tenants.stats().inUseByTenant().containsKey("beta") && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertThat(tenants.stats().inUseByTenant()).as("reclaimed by the pool: the slot is back").doesNotContainKey("beta");
            lost.close(); // the borrower's late close gives nothing back twice
            assertOneSlotFree(tenants, "beta");
        }
    }

    @Test
    void aLeakedTenantConnectionIsReportedWithItsTenant() throws Exception {
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        PoolListener listener = leaksInto(reports);
        Path file = Files.createTempFile("sluice-tenant", ".jfr");
        try (Recording r = new Recording()) {
            r.enable("dev.sluice.LeakSuspected");
            r.start();
            SluiceConfig.Builder template = SluiceConfig.builder().leakDetectionThreshold(Duration.ofMillis(100)).listener(listener);
            try (TenantDataSource tenants = tenants(template)) {
                try (Connection c = tenants.getConnection("beta")) {
                    awaitReport(reports);
                }
            }
            r.stop();
            r.dump(file);
            assertThat(reports).isNotEmpty();
            assertThat(reports.get(0).tenant()).isEqualTo("beta");
            assertThat(reports.get(0).poolName()).isEqualTo("borrow-end");
            List<RecordedEvent> leaks = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.sluice.LeakSuspected")).toList();
            // Events are skipped until Flight Recorder's classes are loaded (see JfrEvents); once recording, they are.
            assertThat(leaks).isNotEmpty();
            assertThat(leaks.get(0).getString("tenant")).isEqualTo("beta");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void aLeakInATenantPoolNamesTheTenantAndThePoolCarriesIt() throws Exception {
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        PoolListener listener = leaksInto(reports);
        try (TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:unused").poolName("db-leaks")
                        .leakDetectionThreshold(Duration.ofMillis(100)).listener(listener).build())
                .mode(TenantMode.DATABASE).tenantUrl(t -> "jdbc:h2:mem:tenant_borrow_end_" + t).globalMaximumPoolSize(2).build();
                Connection c = tenants.getConnection("gamma")) {
            awaitReport(reports);
            assertThat(reports).isNotEmpty();
            assertThat(reports.get(0).tenant()).isEqualTo("gamma");
            assertThat(reports.get(0).poolName()).isEqualTo("db-leaks-gamma");
        }
    }
}
