package dev.sluice.spring.boot;

import dev.sluice.SluiceDataSource;
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
 * The {@code sluice} health contributor: one {@link SluiceHealthIndicator} for the application's
 * pool, or one per pool (by bean name) when there are several. Active when Boot's health support
 * is on the class path; {@code management.health.sluice.enabled=false} turns it off.
 */
@AutoConfiguration(after = SluiceDataSourceAutoConfiguration.class)
@ConditionalOnClass({HealthContributor.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(SluiceDataSource.class)
@ConditionalOnEnabledHealthIndicator("sluice")
public final class SluiceHealthContributorAutoConfiguration
        extends CompositeHealthContributorConfiguration<SluiceHealthIndicator, SluiceDataSource> {

    SluiceHealthContributorAutoConfiguration() {
        super(SluiceHealthIndicator::new);
    }

    @Bean
    @ConditionalOnMissingBean(name = {"sluiceHealthIndicator", "sluiceHealthContributor"})
    HealthContributor sluiceHealthContributor(ConfigurableListableBeanFactory beanFactory) {
        return createContributor(beanFactory, SluiceDataSource.class);
    }
}
