package dev.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.TenantDataSource;
import dev.sluice.TenantResolver;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A TenantDataSource's budget and per-tenant meters reach Boot's registry without code of the application's own. */
class SluiceTenantMetricsTest {
    private final String url = "jdbc:h2:mem:" + UUID.randomUUID();
    /** Keeps the in-memory database, and its tenant schemas, alive for the test. */
    private Connection keeper;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SluiceMetricsAutoConfiguration.class,
                    SluiceTenantMetricsAutoConfiguration.class))
            .withBean(TenantResolver.class, () -> () -> "shop_a")
            .withPropertyValues("spring.datasource.url=" + url, "spring.datasource.sluice.pool-name=metered-tenants",
                    "spring.datasource.sluice.tenants.enabled=true", "spring.datasource.sluice.tenants.global-maximum-pool-size=4",
                    "spring.datasource.sluice.tenants.tenant-maximum-pool-size=2");

    @BeforeEach
    void tenantSchemas() throws Exception {
        keeper = DriverManager.getConnection(url, "sa", ""); // the user Boot connects as by default
        try (Statement s = keeper.createStatement()) {
            s.execute("CREATE SCHEMA \"shop_a\"");
            s.execute("CREATE SCHEMA \"shop_b\"");
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        keeper.close();
    }

    @Test
    void theBudgetAndEachTenantAreMetered() {
        runner.withPropertyValues("spring.datasource.sluice.tenants.max-tagged-tenants=5").run(context -> {
            assertThat(context).hasNotFailed();
            TenantDataSource tenants = context.getBean(TenantDataSource.class);
            tenants.getConnection("shop_a").close();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("db.client.connection.max").tag("db.client.connection.pool.name", "metered-tenants").gauge().value())
                    .isEqualTo(4.0);
            try (Connection c = tenants.getConnection("shop_b")) {
                // Meters share one stats snapshot for 100 ms, so the borrow shows once that one is stale.
                var used = registry.get("db.client.connection.count").tag("db.client.connection.state", "used").gauge();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
                while (used.value() != 1.0 && System.nanoTime() - deadline < 0) {
                    Thread.sleep(20);
                }
                assertThat(used.value()).isEqualTo(1.0);
            }
            assertThat(registry.find("sluice.budget.open").gauges()).isNotEmpty();
            assertThat(registry.find("sluice.tenant.borrows").tag("tenant", "_other").functionCounter()).isNotNull();
        });
    }

    @Test
    void aCapOutOfRangeStopsStartUpNamingTheSpringProperty() {
        runner.withPropertyValues("spring.datasource.sluice.tenants.max-tagged-tenants=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("max-tagged-tenants=-1 must be between 0 and 10000");
            Throwable t = context.getStartupFailure();
            while (t != null && !(t instanceof InvalidSluiceConfigurationException)) {
                t = t.getCause();
            }
            assertThat(t).isInstanceOf(InvalidSluiceConfigurationException.class);
            assertThat(((InvalidSluiceConfigurationException) t).getPropertyName())
                    .isEqualTo("spring.datasource.sluice.tenants.max-tagged-tenants");
        });
    }
}
