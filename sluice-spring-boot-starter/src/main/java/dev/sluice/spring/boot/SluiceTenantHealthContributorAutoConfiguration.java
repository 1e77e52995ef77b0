package dev.sluice.spring.boot;

import dev.sluice.TenantDataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.CompositeHealthContributorConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code sluiceTenants} health contributor: a {@link SluiceTenantHealthIndicator} per
 * {@link TenantDataSource} bean. Active when Boot's health support is on the class path;
 * {@code management.health.sluice-tenants.enabled=false} turns it off.
 */
@AutoConfiguration(after = SluiceDataSourceAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(TenantDataSource.class)
@ConditionalOnEnabledHealthIndicator("sluice-tenants")
public final class SluiceTenantHealthContributorAutoConfiguration
        extends CompositeHealthContributorConfiguration<SluiceTenantHealthIndicator, TenantDataSource> {

    SluiceTenantHealthContributorAutoConfiguration() {
        super(SluiceTenantHealthIndicator::new);
    }

    @Bean
    @ConditionalOnMissingBean(name = {"sluiceTenantsHealthIndicator", "sluiceTenantsHealthContributor"})
    HealthContributor sluiceTenantsHealthContributor(ConfigurableListableBeanFactory beanFactory) {
        return createContributor(beanFactory, TenantDataSource.class);
    }
}
