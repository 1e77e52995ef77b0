package dev.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * What Boot's metrics see of a Sluice pool: its {@code jdbc.connections.*} through the pool
 * metadata, as for HikariCP, and Sluice's own meters through the Micrometer binding.
 */
class SluicePoolMetricsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "spring.datasource.sluice.pool-name=metered", "spring.datasource.sluice.maximum-pool-size=5",
                    "spring.datasource.sluice.minimum-idle=2", "spring.datasource.sluice.auto-commit=false");

    private final ApplicationContextRunner withMetrics = runner.withConfiguration(AutoConfigurations.of(
            MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class,
            SluiceMetricsAutoConfiguration.class));

    @Test
    void poolMetadataReportsSizeAndUsage() {
        runner.run(context -> {
            SluiceDataSource ds = context.getBean(SluiceDataSource.class);
            DataSourcePoolMetadata metadata = context.getBean("sluicePoolMetadataProvider", DataSourcePoolMetadataProvider.class).getDataSourcePoolMetadata(ds);
            assertThat(metadata).isNotNull();
            assertThat(metadata.getMax()).isEqualTo(5);
            assertThat(metadata.getMin()).isEqualTo(2);
            assertThat(metadata.getDefaultAutoCommit()).isFalse();
            assertThat(metadata.getActive()).isZero();
            try (Connection c = ds.getConnection()) {
                assertThat(metadata.getActive()).isEqualTo(1);
                assertThat(metadata.getUsage()).isEqualTo(0.2f);
            }
            assertThat(metadata.getActive()).isZero();
            assertThat(metadata.getIdle()).isEqualTo(ds.stats().idle()).isPositive();
        });
    }

    @Test
    void theMetadataProviderIgnoresOtherPools() {
        runner.run(context -> assertThat(context.getBean("sluicePoolMetadataProvider", DataSourcePoolMetadataProvider.class)
                .getDataSourcePoolMetadata(new org.springframework.jdbc.datasource.SimpleDriverDataSource())).isNull());
    }

    @Test
    void bootPublishesJdbcConnectionsForASluicePoolAsItDoesForHikari() {
        withMetrics.run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            SluiceDataSource ds = context.getBean(SluiceDataSource.class);
            assertThat(registry.get("jdbc.connections.max").tag("name", "dataSource").gauge().value()).isEqualTo(5.0);
            assertThat(registry.get("jdbc.connections.min").gauge().value()).isEqualTo(2.0);
            try (Connection c = ds.getConnection()) {
                assertThat(registry.get("jdbc.connections.active").gauge().value()).isEqualTo(1.0);
            }
            assertThat(registry.get("jdbc.connections.idle").gauge().value()).isEqualTo(ds.stats().idle());
        });
    }

    @Test
    void sluicesOwnMetersAreBoundWhenThereIsARegistry() {
        withMetrics.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            // Borrow before the first read: the binding reuses one stats snapshot for 100 ms per scrape.
            try (Connection c = context.getBean(SluiceDataSource.class).getConnection()) {
                assertThat(registry.get("db.client.connection.count").tag("db.client.connection.pool.name", "metered")
                        .tag("db.client.connection.state", "used").gauge().value()).isEqualTo(1.0);
                assertThat(registry.get("db.client.connection.max").tag("db.client.connection.pool.name", "metered")
                        .gauge().value()).isEqualTo(5.0);
            }
            assertThat(registry.find("sluice.breaker.state").meters()).isNotEmpty();
        });
    }

    @Test
    void withoutARegistryNothingIsBound() {
        runner.withConfiguration(AutoConfigurations.of(SluiceMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("sluiceMeterBinder"));
    }
}
