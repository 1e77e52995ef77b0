package dev.sluice.spring.boot;

import dev.sluice.TenantDataSource;
import dev.sluice.micrometer.SluiceTenantMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Publishes a {@link TenantDataSource}'s meters: the budget under {@code db.client.connection.*}
 * and {@code sluice.budget.*}, and the busiest tenants under {@code sluice.tenant.*} with a
 * {@code tenant} tag ({@code spring.datasource.sluice.tenants.max-tagged-tenants}, default 100;
 * the rest are summed as {@code _other}). Boot binds the {@link MeterBinder} to every registry it
 * manages; active when there is a {@link MeterRegistry} bean (actuator).
 */
@AutoConfiguration(after = SluiceDataSourceAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, SluiceTenantMetrics.class})
@ConditionalOnBean({TenantDataSource.class, MeterRegistry.class})
public final class SluiceTenantMetricsAutoConfiguration {

    @Bean
    MeterBinder sluiceTenantMeterBinder(ObjectProvider<TenantDataSource> dataSources, SluiceProperties properties) {
        int maxTagged = properties.getTenants().getMaxTaggedTenants();
        if (maxTagged < 0 || maxTagged > SluiceTenantMetrics.MAX_TAGGED_TENANTS_LIMIT) {
            // Checked here, at start-up, rather than when Boot first binds a registry.
            throw new InvalidSluiceConfigurationException(SluiceProperties.PREFIX + ".tenants.max-tagged-tenants",
                    new IllegalArgumentException("max-tagged-tenants=" + maxTagged + " must be between 0 and "
                            + SluiceTenantMetrics.MAX_TAGGED_TENANTS_LIMIT + " (tenants beyond it are summed under tenant=\"_other\")"));
        }
        return registry -> dataSources.orderedStream()
                .forEach(ds -> new SluiceTenantMetrics(ds, Tags.empty(), maxTagged).bindTo(registry));
    }
}
