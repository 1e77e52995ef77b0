package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DATABASE mode's tenant reserves, on the stub driver: each tenant's physical connections counted by its own stub database. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantReserveTest {
    private final Map<String, StubDatabase> databases = new ConcurrentHashMap<>();

    private StubDatabase db(String tenant) {
        return databases.computeIfAbsent(tenant, t -> StubDatabase.create());
    }

    private TenantDataSource.Builder tenants(int global, int perTenant) throws SQLException {
        PhysicalConnectionCounter.register();
        return TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl("jdbc:stub:unused").poolName("reserve")
                        .connectionTimeout(Duration.ofMillis(500)).build())
                .mode(TenantMode.DATABASE).tenantUrl(t -> PhysicalConnectionCounter.PREFIX + db(t).url())
                .globalMaximumPoolSize(global).tenantMaximumPoolSize(perTenant);
    }

    private static List<Connection> borrow(TenantDataSource ds, String tenant, int n) throws SQLException {
        List<Connection> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(ds.getConnection(tenant));
        }
        return held;
    }

    private static void close(List<Connection> held) throws SQLException {
        for (Connection c : held) {
            c.close();
        }
    }

    @Test
    void evictionForAnotherTenantStopsAtTheReserve() throws Exception {
        try (TenantDataSource ds = tenants(5, 3).tenantReserve("a", 2).build()) {
            close(borrow(ds, "a", 3));
            assertThat(db("a").openConnections()).isEqualTo(3);
            List<Connection> b = borrow(ds, "b", 3); // the third needs one of a's idle connections
            assertThat(db("a").openConnections()).as("a gave up the connection above its reserve").isEqualTo(2);
            assertThatThrownBy(() -> ds.getConnection("c")).as("a's last two are its reserve, b's are in use")
                    .satisfies(e -> assertThat(SluiceFailure.reasonOf((SQLException) e)).contains(FailureReason.ACQUIRE_TIMEOUT));
            assertThat(db("a").openConnections()).as("the reserve survived c's wait").isEqualTo(2);
            assertThat(ds.stats().open()).isLessThanOrEqualTo(5);
            close(b);
            TenantStats s = ds.stats();
            assertThat(s.tenants().get("a")).isEqualTo(new TenantStats.Usage(0, 2, 0, 3, 2, 1));
            assertThat(s.tenants().get("b")).as("b: 3 borrows, no reserve, weight 1")
                    .extracting(TenantStats.Usage::inUse, TenantStats.Usage::borrows, TenantStats.Usage::reserve, TenantStats.Usage::weight)
                    .containsExactly(0, 3L, 0, 1);
            assertThat(s.idleEvictedForOthers()).as("one of a's idle connections closed for b").isEqualTo(1);
            assertThat(s.budgetWaits()).as("b refused once, c at least once").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void otherTenantsNeverTakeTheReservedPermitsSoTheReservedTenantIsServedAtOnce() throws Exception {
        try (TenantDataSource ds = tenants(4, 4).tenantReserve("a", 2).build()) {
            List<Connection> b = borrow(ds, "b", 2);
            assertThatThrownBy(() -> ds.getConnection("b")).as("only 2 of 4 are not reserved")
                    .satisfies(e -> assertThat(SluiceFailure.reasonOf((SQLException) e)).contains(FailureReason.ACQUIRE_TIMEOUT));
            long start = System.nanoTime();
            List<Connection> a = borrow(ds, "a", 2);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("no wait for a, whose permits were kept")
                    .isLessThan(400);
            assertThat(db("a").openConnections() + db("b").openConnections()).isEqualTo(4);
            close(a);
            close(b);
        }
    }

    @Test
    void statsNameAConfiguredTenantsReserveAndWeightBeforeItsFirstBorrow() throws Exception {
        try (TenantDataSource ds = tenants(6, 3).tenantReserve("gold", 2).tenantWeight("silver", 3).build()) {
            TenantStats s = ds.stats();
            assertThat(s.tenants()).containsEntry("gold", new TenantStats.Usage(0, 0, 0, 0, 2, 1))
                    .containsEntry("silver", new TenantStats.Usage(0, 0, 0, 0, 0, 3));
            close(borrow(ds, "silver", 2));
            assertThat(ds.stats().tenants().get("silver").borrows()).isEqualTo(2);
        }
    }

    @Test
    void reservesThatDoNotFitTheBudgetAreRefusedAtBuildNamingTheKnobAndTheRange() throws SQLException {
        assertThatThrownBy(() -> tenants(4, 3).tenantReserve("a", 2).tenantReserve("b", 2).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("globalMaximumPoolSize=4 must be more than the tenant reserves together (4 for 2 tenants): at least 5");
        assertThatThrownBy(() -> tenants(10, 3).tenantReserve("a", 4).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("reserve.a=4 must be between 1 and tenantMaximumPoolSize (3)");
        assertThatThrownBy(() -> tenants(10, 3).tenantReserve("a b", 1).build())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("tenantReserve: tenant id 'a b' is not valid")
                .satisfies(e -> assertThat(((InvalidConfigException) e).violations()).extracting(InvalidConfigException.Violation::knob)
                        .contains("tenants.reserve.a b"));
        assertThatThrownBy(() -> tenants(10, 3).mode(TenantMode.SCHEMA).tenantReserve("a", 1).build())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("tenant reserves are for DATABASE mode");
    }

    @Test
    void aReserveReadFromPropertiesIsCheckedLikeTheBuilders() {
        Properties p = new Properties();
        p.setProperty("jdbcUrl", "jdbc:stub:unused");
        p.setProperty(TenantDataSource.MODE, "DATABASE");
        p.setProperty(TenantDataSource.TENANT_URL, "jdbc:stub:{tenant}");
        p.setProperty(TenantDataSource.GLOBAL_MAXIMUM_POOL_SIZE, "3");
        p.setProperty(TenantDataSource.TENANT_MAXIMUM_POOL_SIZE, "3");
        p.setProperty("tenants.reserve.gold", "3");
        assertThatThrownBy(() -> TenantDataSource.fromProperties(p)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("globalMaximumPoolSize=3 must be more than the tenant reserves together (3 for 1 tenants)");
        p.setProperty("tenants.reserve.gold", "two");
        assertThatThrownBy(() -> TenantDataSource.fromProperties(p)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("tenants.reserve.gold='two' must be a whole number");
    }
}
