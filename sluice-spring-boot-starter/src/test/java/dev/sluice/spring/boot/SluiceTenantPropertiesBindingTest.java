package dev.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.TenantMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** How spring.datasource.sluice.tenants.* binds, tenant ids in map keys included (what the README promises). */
class SluiceTenantPropertiesBindingTest {

    /** Bound as from an application.properties file: through the environment, as Boot binds it. */
    private static SluiceTenantProperties bind(Map<String, String> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("application.properties", Map.copyOf(properties)));
        return Binder.get(environment).bind(SluiceProperties.PREFIX, Bindable.of(SluiceProperties.class)).get().getTenants();
    }

    @Test
    void tenantKnobsBindInKebabCaseAndReservesKeepTheTenantId() {
        SluiceTenantProperties t = bind(Map.of(
                "spring.datasource.sluice.tenants.enabled", "true",
                "spring.datasource.sluice.tenants.mode", "database",
                "spring.datasource.sluice.tenants.global-maximum-pool-size", "8",
                "spring.datasource.sluice.tenants.tenant-idle-timeout", "30s",
                "spring.datasource.sluice.tenants.reserve.gold", "2",
                "spring.datasource.sluice.tenants.reserve[shop_A]", "1",
                "spring.datasource.sluice.tenants.weight[t$1]", "3"));
        assertThat(t.isEnabled()).isTrue();
        assertThat(t.getMode()).isEqualTo(TenantMode.DATABASE);
        assertThat(t.getGlobalMaximumPoolSize()).isEqualTo(8);
        assertThat(t.getTenantMaximumPoolSize()).isNull();
        assertThat(t.getTenantIdleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(t.getReserve()).containsOnly(Map.entry("gold", 2), Map.entry("shop_A", 1));
        assertThat(t.getWeight()).containsOnly(Map.entry("t$1", 3));
    }

    @Test
    void anUnbracketedKeyKeepsCaseAndUnderscoresButLosesADollarSign() {
        // Why the README tells users to bracket an id with a $ in it.
        SluiceTenantProperties t = bind(Map.of("spring.datasource.sluice.tenants.reserve.shop_a", "1",
                "spring.datasource.sluice.tenants.reserve.Gold", "2", "spring.datasource.sluice.tenants.reserve.t$1", "3"));
        assertThat(t.getReserve()).isEqualTo(Map.of("shop_a", 1, "Gold", 2, "t1", 3));
    }
}
