package dev.sluice.spring.boot;

import dev.sluice.SluiceDataSource;
import dev.sluice.micrometer.SluiceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Publishes every Sluice pool's meters ({@code db.client.connection.*} with OpenTelemetry names,
 * and {@code sluice.*}) to the application's Micrometer registries. Boot binds each
 * {@link MeterBinder} bean to every registry it manages, so this only declares the binder, when
 * there is a {@link MeterRegistry} bean (actuator). {@code sluice-micrometer} comes with the starter.
 */
@AutoConfiguration(after = SluiceDataSourceAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, SluiceMetrics.class})
@ConditionalOnBean({SluiceDataSource.class, MeterRegistry.class})
public final class SluiceMetricsAutoConfiguration {

    @Bean
    MeterBinder sluiceMeterBinder(ObjectProvider<SluiceDataSource> pools) {
        return registry -> pools.orderedStream().forEach(pool -> new SluiceMetrics(pool).bindTo(registry));
    }
}
