package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Tenant scopes, the id rule, the no-tenant error and the tenant knobs' validation; none of it needs a database. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TenantScopeTest {

    @Test
    void scopesNestAndClosingRestoresTheEnclosingTenant() {
        assertThat(Tenant.current()).isEmpty();
        try (Tenant outer = Tenant.scope("shop_a")) {
            assertThat(Tenant.current()).contains("shop_a");
            try (Tenant inner = Tenant.scope("shop_b")) {
                assertThat(Tenant.current()).contains("shop_b");
                assertThat(inner.id()).isEqualTo("shop_b");
            }
            assertThat(Tenant.current()).contains("shop_a");
        }
        assertThat(Tenant.current()).isEmpty();
    }

    @Test
    void closingAScopeTwiceOrOutOfOrderNeverInstallsAClosedTenant() {
        Tenant outer = Tenant.scope("shop_a");
        Tenant inner = Tenant.scope("shop_b");
        outer.close(); // out of order: the inner scope stays current until it is closed
        assertThat(Tenant.current()).contains("shop_b");
        inner.close();
        inner.close();
        assertThat(Tenant.current()).as("the closed outer scope is skipped").isEmpty();
        try (Tenant again = Tenant.scope("shop_c")) {
            Tenant.scope("x").close();
            assertThat(Tenant.current()).contains("shop_c");
        }
    }

    @Test
    void aScopeMustBeClosedOnItsOwnThread() throws Exception {
        Tenant t = Tenant.scope("shop_a");
        try {
            Throwable failure = CompletableFuture.supplyAsync(() -> {
                try {
                    t.close();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessageContaining("thread that opened it");
        } finally {
            t.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop_a", "A", "_x", "tenant-42", "t$1", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabc"})
    void idsMatchingTheRuleAreAccepted(String id) {
        assertThat(Tenant.isValidId(id)).isTrue();
    }

    /** The hand-written check is the rule ID_RULE states: they agree on random strings of the characters that matter. */
    @Test
    void theCheckAgreesWithTheRuleAsARegularExpression() {
        java.util.regex.Pattern rule = java.util.regex.Pattern.compile(Tenant.ID_RULE);
        String alphabet = "aZz_09$-;'\" .`\u00e4\u0000Aq";
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(70);
            for (int j = 0; j < length; j++) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = id.toString();
            assertThat(Tenant.isValidId(s)).as(s).isEqualTo(rule.matcher(s).matches());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1shop", "shop a", "shop;drop schema x", "a\"b", "a'b", "a`b", "a.b", "a,b", "-a", "ä",
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcd"})
    void idsThatCouldInjectOrAreTooLongAreRefusedBeforeAnySql(String id) {
        assertThat(Tenant.isValidId(id)).isFalse();
        assertThatThrownBy(() -> Tenant.scope(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not valid").hasMessageContaining(Tenant.ID_RULE);
        assertThat(Tenant.current()).isEmpty();
    }

    @Test
    void theReasonsAreClassifiedNonTransient() {
        assertThat(FailureReason.NO_TENANT.isTransient()).isFalse();
        assertThat(FailureReason.INVALID_TENANT.isTransient()).isFalse();
        assertThat(FailureReason.UNKNOWN_TENANT.isTransient()).isFalse();
        assertThat(FailureReason.UNKNOWN_TENANT.code()).isEqualTo("SLUICE-UNKNOWN_TENANT");
        assertThat(FailureReason.INVALID_TENANT.sqlState()).isEqualTo("42602");
    }

    private static SluiceConfig template() {
        return SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:tenant_scope_test;DB_CLOSE_DELAY=-1").poolName("tenants")
                .maximumPoolSize(4).minimumIdle(0).build();
    }

    @Test
    void aTenantMaximumAboveTheBudgetIsAConfigurationErrorNamingTheKnob() {
        assertThatThrownBy(() -> TenantDataSource.builder().template(template()).globalMaximumPoolSize(5).tenantMaximumPoolSize(6).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tenantMaximumPoolSize=6 must be between 1 and globalMaximumPoolSize (5)")
                .satisfies(e -> assertThat(((InvalidConfigException) e).knob()).isEqualTo("tenants.tenantMaximumPoolSize"));
    }

    @Test
    void everyWrongTenantKnobIsReportedAtOnce() {
        assertThatThrownBy(() -> TenantDataSource.builder().template(template()).mode(TenantMode.DATABASE)
                .globalMaximumPoolSize(0).tenantIdleTimeout(Duration.ofMillis(5)).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("globalMaximumPoolSize=0 must be at least 1")
                .hasMessageContaining("tenantIdleTimeout=PT0.005S must be at least 100ms")
                .hasMessageContaining("tenantUrl is required in DATABASE mode");
        assertThatThrownBy(() -> TenantDataSource.builder().build()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("template is required");
        assertThatThrownBy(() -> TenantDataSource.builder().template(template()).tenantUrl(t -> "jdbc:h2:mem:" + t).build())
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("tenantUrl is for DATABASE mode");
    }

    @Test
    void withoutATenantGetConnectionFailsClassifiedAndWithAnInvalidIdBeforeAnySql() throws Exception {
        try (TenantDataSource tenants = TenantDataSource.builder().template(template()).build()) {
            assertThatThrownBy(tenants::getConnection).isInstanceOf(SluiceNonTransientException.class)
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.NO_TENANT))
                    .hasMessageContaining("no tenant given and none in scope");
            assertThatThrownBy(() -> tenants.getConnection("x; DROP SCHEMA public")).isInstanceOf(SluiceNonTransientException.class)
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.INVALID_TENANT))
                    .hasMessageContaining("'x; DROP SCHEMA public' is not valid");
            assertThatThrownBy(() -> tenants.getConnection(null))
                    .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.INVALID_TENANT));
            assertThat(tenants.stats().sharedPool().acquired()).as("nothing was borrowed for a bad id").isZero();
        }
    }

    @Test
    void propertiesConfigureTheTenantKnobsAndTheTemplate() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("jdbcUrl", "jdbc:h2:mem:tenant_props;DB_CLOSE_DELAY=-1");
        p.setProperty("poolName", "props");
        p.setProperty("maximumPoolSize", "3");
        p.setProperty("tenants.mode", "SCHEMA");
        p.setProperty("tenants.globalMaximumPoolSize", "7");
        p.setProperty("tenants.tenantMaximumPoolSize", "2");
        try (TenantDataSource tenants = TenantDataSource.fromProperties(p)) {
            assertThat(tenants.stats().globalMaximumPoolSize()).isEqualTo(7);
            assertThat(tenants.stats().mode()).isEqualTo(TenantMode.SCHEMA);
        }
        p.setProperty("tenants.globalMaximumPoolSze", "7");
        assertThatThrownBy(() -> TenantDataSource.fromProperties(p)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("tenants.globalMaximumPoolSze is not a tenant knob");
        p.remove("tenants.globalMaximumPoolSze");
        p.setProperty("fleet", "shop-db");
        assertThatThrownBy(() -> TenantDataSource.fromProperties(p)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("fleet=shop-db is for a single pool");
        p.remove("fleet");
        p.setProperty("tenants.mode", "DATABASE");
        p.setProperty("tenants.tenantUrl", "jdbc:h2:mem:x");
        assertThatThrownBy(() -> TenantDataSource.fromProperties(p)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("must contain {tenant}");
    }
}
