package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listener events of tenant borrows name the tenant, in both modes: a SCHEMA-mode borrow is one
 * of many tenants' on a shared pool, so only the tenant variant of the event can say whose it
 * was. A listener that overrides only the tenant-less methods still sees every borrow.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantListenerEventsTest {
    private static final String URL = "jdbc:h2:mem:tenant_listener_events;DB_CLOSE_DELAY=-1";
    private static Connection keeper;

    @BeforeAll
    static void createTenantSchemas() throws SQLException {
        keeper = H2MarkerSchemas.create(URL, "shop_a", "shop_b");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        H2MarkerSchemas.drop(keeper);
    }

    /** Records the tenant variants as "event pool tenant" and counts calls of the tenant-less ones. */
    static final class TenantEvents implements PoolListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final AtomicInteger tenantless = new AtomicInteger();

        @Override
        public void connectionAcquired(String poolName, String tenant, long waitNanos) {
            events.add("acquired " + poolName + " " + tenant);
        }

        @Override
        public void connectionReturned(String poolName, String tenant, long holdNanos) {
            events.add("returned " + poolName + " " + tenant);
        }

        @Override
        public void acquireFailed(String poolName, String tenant, FailureReason reason, Duration waited) {
            events.add("failed " + poolName + " " + tenant + " " + reason);
        }

        @Override
        public void connectionAcquired(String poolName, long waitNanos) {
            tenantless.incrementAndGet();
        }

        @Override
        public void connectionReturned(String poolName, long holdNanos) {
            tenantless.incrementAndGet();
        }

        @Override
        public void acquireFailed(String poolName, FailureReason reason, Duration waited) {
            tenantless.incrementAndGet();
        }
    }

    /** Overrides only the methods every pool calls: tenant borrows reach it through the defaults. */
    static final class TenantBlind implements PoolListener {
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        private void count(String what) {
            counts.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void connectionAcquired(String poolName, long waitNanos) {
            count("acquired");
        }

        @Override
        public void connectionReturned(String poolName, long holdNanos) {
            count("returned");
        }

        @Override
        public void acquireFailed(String poolName, FailureReason reason, Duration waited) {
            count("failed " + reason);
        }

        int of(String what) {
            AtomicInteger n = counts.get(what);
            return n == null ? 0 : n.get();
        }
    }

    @Test
    void schemaModeEventsNameEachBorrowsTenantAndItsFailures() throws Exception {
        TenantEvents named = new TenantEvents();
        TenantBlind blind = new TenantBlind();
        try (TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl(URL).poolName("shared").minimumIdle(0)
                        .connectionTimeout(Duration.ofSeconds(5)).listener(named).listener(blind).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(4).tenantMaximumPoolSize(1).build()) {
            try (Connection a = tenants.getConnection("shop_a"); Connection b = tenants.getConnection("shop_b")) {
                assertThat(TenantSchemaModeTest.marker(a)).isEqualTo("shop_a");
                assertThat(TenantSchemaModeTest.marker(b)).isEqualTo("shop_b");
                try (Deadline d = Deadline.after(Duration.ofMillis(100))) {
                    assertThatThrownBy(() -> tenants.getConnection("shop_a")).as("shop_a holds its one slot")
                            .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT));
                }
            }
            assertThatThrownBy(() -> tenants.getConnection("no_such_shop"))
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.UNKNOWN_TENANT));

            assertThat(named.events).containsSubsequence("acquired shared shop_a", "acquired shared shop_b",
                    "failed shared shop_a ACQUIRE_TIMEOUT", "returned shared shop_b", "returned shared shop_a");
            assertThat(named.events).contains("failed shared no_such_shop UNKNOWN_TENANT");
            assertThat(named.tenantless).as("tenant borrows use the tenant variants only").hasValue(0);

            // shop_a, shop_b, and the unknown tenant's borrow that the pool handed out before its schema was looked at
            assertThat(blind.of("acquired")).isEqualTo(3);
            assertThat(blind.of("returned")).isEqualTo(3);
            assertThat(blind.of("failed ACQUIRE_TIMEOUT")).isEqualTo(1);
            assertThat(blind.of("failed UNKNOWN_TENANT")).isEqualTo(1);
        }
    }

    @Test
    void databaseModeEventsNameTheTenantBesideItsPoolsName() throws Exception {
        StubDatabase db = StubDatabase.create();
        TenantEvents named = new TenantEvents();
        try (TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl("jdbc:stub:unused").poolName("per-db")
                        .connectionTimeout(Duration.ofSeconds(5)).listener(named).build())
                .mode(TenantMode.DATABASE).tenantUrl(t -> db.url())
                .globalMaximumPoolSize(2).tenantMaximumPoolSize(1).build()) {
            try (Connection c = tenants.getConnection("shop_a")) {
                assertThat(c.isValid(1)).isTrue();
                try (Deadline d = Deadline.after(Duration.ofMillis(100))) {
                    assertThatThrownBy(() -> tenants.getConnection("shop_a"))
                            .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT));
                }
            }
            assertThat(named.events).containsExactly("acquired per-db-shop_a shop_a", "failed per-db-shop_a shop_a ACQUIRE_TIMEOUT",
                    "returned per-db-shop_a shop_a");
            assertThat(named.tenantless).hasValue(0);
        }
    }

    @Test
    void aPlainPoolKeepsCallingTheTenantlessMethods() throws Exception {
        StubDatabase db = StubDatabase.create();
        TenantEvents named = new TenantEvents();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("plain")
                .maximumPoolSize(1).listener(named).build())) {
            try (Connection c = ds.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(named.events).isEmpty();
            assertThat(named.tenantless).hasValue(2);
        }
    }
}
