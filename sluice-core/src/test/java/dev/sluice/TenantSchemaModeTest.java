package dev.sluice;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SCHEMA mode on embedded H2: each tenant a schema holding a marker table with its own id, so
 * every borrow can check it reached the tenant it asked for.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantSchemaModeTest {
    private static final String URL = "jdbc:h2:mem:tenant_schema_mode;DB_CLOSE_DELAY=-1";
    private static final int TENANTS = 12;
    private static Connection keeper;

    @BeforeAll
    static void createTenantSchemas() throws SQLException {
        keeper = DriverManager.getConnection(URL);
        try (Statement s = keeper.createStatement()) {
            for (int i = 0; i < TENANTS; i++) {
                createMarkerSchema(s, "t" + i);
            }
        }
    }

    /** An H2 schema named after the tenant, holding a table {@code marker} whose one row is the tenant's id. */
    static void createMarkerSchema(Statement s, String t) throws SQLException {
        s.execute("CREATE SCHEMA IF NOT EXISTS \"" + t + "\"");
        s.execute("CREATE TABLE IF NOT EXISTS \"" + t + "\".marker(tenant VARCHAR(64))");
        s.execute("DELETE FROM \"" + t + "\".marker");
        s.execute("INSERT INTO \"" + t + "\".marker VALUES ('" + t + "')");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Statement s = keeper.createStatement()) {
            s.execute("DROP ALL OBJECTS");
        }
        keeper.close();
    }

    private static TenantDataSource tenants(int global, int perTenant) throws SQLException {
        return TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl(URL).poolName("schema-mode").minimumIdle(0)
                        .connectionTimeout(Duration.ofSeconds(5)).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(global).tenantMaximumPoolSize(perTenant).build();
    }

    static String marker(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT tenant FROM marker")) {
            assertThat(r.next()).isTrue();
            return r.getString(1);
        }
    }

    @Test
    void eachBorrowReachesTheTenantItAskedForByNameOrByScope() throws Exception {
        try (TenantDataSource tenants = tenants(2, 2)) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < TENANTS; i++) {
                    try (Connection c = tenants.getConnection("t" + i)) {
                        assertThat(marker(c)).isEqualTo("t" + i);
                    }
                    try (Tenant t = Tenant.scope("t" + i); Connection c = tenants.getConnection()) {
                        assertThat(marker(c)).isEqualTo("t" + i);
                    }
                }
            }
            assertThat(tenants.stats().open()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aTenantConnectionKeepsTheJdbcIdentitiesAndNamesItsTenant() throws Exception {
        try (TenantDataSource tenants = tenants(2, 2); Connection c = tenants.getConnection("t3")) {
            try (Statement s = c.createStatement()) {
                assertThat(s.getConnection()).as("Statement.getConnection() is the connection that made it").isSameAs(c);
            }
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
            assertThat(c.toString()).contains("tenant t3");
        }
    }

    @Test
    void aSchemaChangedByHandNeverReachesTheNextTenant() throws Exception {
        try (TenantDataSource tenants = tenants(1, 1)) {
            try (Connection c = tenants.getConnection("t1"); Statement s = c.createStatement()) {
                s.execute("SET SCHEMA \"t2\""); // the pool cannot see this
                assertThat(marker(c)).isEqualTo("t2");
            }
            try (Connection c = tenants.getConnection("t3")) {
                assertThat(marker(c)).isEqualTo("t3");
            }
            try (Connection c = tenants.getConnection("t1")) {
                assertThat(marker(c)).isEqualTo("t1");
            }
        }
    }

    @Test
    void anUnknownTenantFailsClassifiedNamingItAndLeavesNothingBehind() throws Exception {
        try (TenantDataSource tenants = tenants(1, 1)) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> tenants.getConnection("no_such_tenant")).isInstanceOf(SluiceNonTransientException.class)
                        .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.UNKNOWN_TENANT))
                        .hasMessageContaining("tenant 'no_such_tenant' has no schema");
            }
            try (Connection c = tenants.getConnection("t4")) {
                assertThat(marker(c)).isEqualTo("t4");
            }
            TenantStats s = tenants.stats();
            assertThat(s.inUseByTenant()).isEmpty();
            assertThat(s.tenants().get("t4").borrows()).isEqualTo(1);
            assertThat(s.tenants().get("no_such_tenant").borrows()).as("a borrow that failed is not counted").isZero();
            assertThat(s.inUse()).isZero();
        }
    }

    @Test
    void aReturnedConnectionPointsBackAtTheSchemaItOpenedWith() throws Exception {
        try (TenantDataSource tenants = tenants(1, 1)) {
            for (String t : new String[] {"t1", "t2"}) {
                Connection raw;
                try (Connection c = tenants.getConnection(t)) {
                    raw = c.unwrap(org.h2.jdbc.JdbcConnection.class);
                    assertThat(raw.getSchema()).isEqualTo(t);
                }
                assertThat(raw.getSchema()).as("idle, after %s's borrow", t).isEqualTo("PUBLIC");
            }
        }
    }

    @Test
    void withALimitThatCannotBindWhatEachTenantHoldsIsCountedOffThePool() throws Exception {
        // tenantMaximumPoolSize left at its default, the pool's own size: no tenant slots are kept.
        try (TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl(URL).poolName("schema-unbound").minimumIdle(0).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(3).build()) {
            Connection a1 = tenants.getConnection("t1");
            Connection a2 = tenants.getConnection("t1");
            Connection b = tenants.getConnection("t2");
            assertThat(marker(a2)).isEqualTo("t1");
            assertThat(marker(b)).isEqualTo("t2");
            TenantStats s = tenants.stats();
            assertThat(s.inUseByTenant()).containsEntry("t1", 2).containsEntry("t2", 1).hasSize(2);
            assertThat(s.tenants().get("t1").waiting()).isZero();
            assertThat(b.toString()).contains("tenant t2");
            try (Statement st = a1.createStatement()) {
                st.getConnection().close(); // the pool's own handle, reached another way, ends the borrow too
            }
            b.close();
            assertThat(tenants.stats().inUseByTenant()).containsEntry("t1", 1).hasSize(1);
            a2.close();
            s = tenants.stats();
            assertThat(s.inUseByTenant()).isEmpty();
            assertThat(s.tenants().get("t1").borrows()).isEqualTo(2);
            assertThat(s.tenants().get("t2").borrows()).isEqualTo(1);
            try (Connection c = tenants.getConnection("t2")) {
                assertThat(marker(c)).as("a connection t1 held, now t2's").isEqualTo("t2");
            }
        }
    }

    @Test
    void aTenantAtItsLimitWaitsWithinItsDeadlineWhileOtherTenantsAreServed() throws Exception {
        try (TenantDataSource tenants = tenants(4, 2)) {
            Connection a1 = tenants.getConnection("t1");
            Connection a2 = tenants.getConnection("t1");
            assertThat(tenants.stats().inUseByTenant()).containsEntry("t1", 2);
            try (Connection b = tenants.getConnection("t2")) {
                assertThat(marker(b)).isEqualTo("t2");
            }
            long start = System.nanoTime();
            try (Deadline d = Deadline.after(Duration.ofMillis(300))) {
                assertThatThrownBy(() -> tenants.getConnection("t1"))
                        .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT))
                        .hasMessageContaining("tenant 't1' holds its limit of 2 connections (tenantMaximumPoolSize)");
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("waited for its deadline, not connectionTimeout=5s")
                    .isBetween(250L, 3000L);
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<String> waiter = other.submit(() -> {
                    try (Connection c = tenants.getConnection("t1")) {
                        return marker(c);
                    }
                });
                Thread.sleep(100);
                assertThat(waiter.isDone()).as("the third t1 borrow waits").isFalse();
                a1.close();
                assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("t1");
            } finally {
                other.shutdownNow();
            }
            a2.close();
            a2.close(); // a second close gives nothing back twice
            assertThat(tenants.stats().inUseByTenant()).isEmpty();
            try (Connection c1 = tenants.getConnection("t1"); Connection c2 = tenants.getConnection("t1")) {
                assertThat(c1.isClosed()).isFalse();
                assertThat(tenants.stats().inUseByTenant()).containsEntry("t1", 2);
            }
        }
    }

    @Test
    void underConcurrentLoadTheBudgetHoldsAndNoBorrowSeesAnotherTenant() throws Exception {
        concurrentLoad(2);
    }

    @Test
    void underConcurrentLoadWithALimitThatCannotBindTheBudgetHoldsAndEveryBorrowIsCounted() throws Exception {
        concurrentLoad(4);
    }

    /**
     * Eight threads over twelve tenants and a budget of four, with connections retired after a
     * second: no mix-up, never more than the budget open, and each tenant's count of borrows in
     * the stats is exactly the test's, however its borrows moved between connections.
     */
    private static void concurrentLoad(int perTenant) throws Exception {
        int global = 4;
        try (TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl(URL).poolName("schema-load-" + perTenant).minimumIdle(0)
                        .maxLifetime(Duration.ofSeconds(1)).connectionTimeout(Duration.ofSeconds(5)).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(global).tenantMaximumPoolSize(perTenant).build()) {
            ConcurrentHashMap<String, LongAdder> borrowed = new ConcurrentHashMap<>();
            AtomicInteger mixUps = new AtomicInteger();
            AtomicInteger maxOpen = new AtomicInteger();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() - end < 0) {
                        String t = "t" + ThreadLocalRandom.current().nextInt(TENANTS);
                        try (Tenant scope = Tenant.scope(t); Connection c = tenants.getConnection()) {
                            if (!t.equals(marker(c))) {
                                mixUps.incrementAndGet();
                            }
                            borrowed.computeIfAbsent(t, k -> new LongAdder()).increment();
                            maxOpen.accumulateAndGet(tenants.stats().open(), Math::max);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(mixUps.get()).isZero();
            assertThat(borrowed.values().stream().mapToLong(LongAdder::sum).sum()).isGreaterThan(100);
            assertThat(maxOpen.get()).isLessThanOrEqualTo(global);
            TenantStats s = tenants.stats();
            assertThat(s.inUse()).isZero();
            assertThat(s.sharedPool().closed()).as("connections retired during the run").isPositive();
            borrowed.forEach((t, n) -> assertThat(s.tenants().get(t).borrows()).as("borrows of %s", t).isEqualTo(n.sum()));
        }
    }
}
