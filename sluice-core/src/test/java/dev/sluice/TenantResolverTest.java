package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** getConnection() without a scope asks the tenant resolver; a scope wins; a resolver's failures are classified. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TenantResolverTest {
    private static final String URL = "jdbc:h2:mem:tenant_resolver_test;DB_CLOSE_DELAY=-1";
    private static final ThreadLocal<String> REQUEST_TENANT = new ThreadLocal<>();
    private static Connection keeper;

    @BeforeAll
    static void createTenantSchemas() throws SQLException {
        keeper = H2MarkerSchemas.create(URL, "shop_a", "shop_b");
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        H2MarkerSchemas.drop(keeper);
    }

    private static TenantDataSource tenants(TenantResolver resolver) throws SQLException {
        return TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl(URL).poolName("resolved").maximumPoolSize(2).minimumIdle(0).build())
                .tenantResolver(resolver)
                .build();
    }

    @Test
    void withoutAScopeTheResolversTenantIsBorrowedFor() throws Exception {
        try (TenantDataSource tenants = tenants(REQUEST_TENANT::get)) {
            for (String t : new String[] {"shop_a", "shop_b", "shop_a"}) {
                REQUEST_TENANT.set(t);
                try (Connection c = tenants.getConnection()) {
                    assertThat(TenantSchemaModeTest.marker(c)).isEqualTo(t);
                }
            }
        } finally {
            REQUEST_TENANT.remove();
        }
    }

    @Test
    void anOpenScopeWinsOverTheResolverWhichIsThenNotAsked() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        try (TenantDataSource tenants = tenants(() -> {
            asked.incrementAndGet();
            return "shop_a";
        }); Tenant scope = Tenant.scope("shop_b"); Connection c = tenants.getConnection()) {
            assertThat(TenantSchemaModeTest.marker(c)).isEqualTo("shop_b");
            assertThat(asked).hasValue(0);
        }
    }

    @Test
    void aResolverReturningNoTenantFailsWithNoTenant() throws Exception {
        try (TenantDataSource tenants = tenants(() -> null)) {
            assertThatThrownBy(tenants::getConnection).isInstanceOf(SluiceNonTransientException.class)
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.NO_TENANT))
                    .hasMessage("resolved: no tenant in scope and the tenant resolver returned none; open Tenant.scope(tenant)"
                            + " or make the resolver see the request's tenant");
            assertThat(tenants.stats().sharedPool().acquired()).isZero();
        }
    }

    @Test
    void aResolverThatThrowsFailsClassifiedWithItsExceptionAsTheCause() throws Exception {
        IllegalStateException broken = new IllegalStateException("no request bound to this thread");
        try (TenantDataSource tenants = tenants(() -> {
            throw broken;
        })) {
            assertThatThrownBy(tenants::getConnection).isInstanceOf(SluiceNonTransientException.class)
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.NO_TENANT))
                    .hasMessageContaining("the tenant resolver failed: java.lang.IllegalStateException: no request bound")
                    .hasCause(broken);
        }
    }

    @Test
    void aResolvedIdThatBreaksTheIdRuleIsRefusedBeforeAnySql() throws Exception {
        try (TenantDataSource tenants = tenants(() -> "x\"; DROP SCHEMA shop_a")) {
            assertThatThrownBy(tenants::getConnection)
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.INVALID_TENANT));
            assertThat(tenants.stats().sharedPool().acquired()).isZero();
        }
    }

    @Test
    void aNullResolverIsRefusedByTheBuilder() {
        assertThatThrownBy(() -> TenantDataSource.builder().tenantResolver(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("tenantResolver");
    }
}
