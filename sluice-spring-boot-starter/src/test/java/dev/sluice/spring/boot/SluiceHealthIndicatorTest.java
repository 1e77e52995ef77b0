package dev.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.BreakerState;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pool's health: UP when it can serve, DOWN while its breaker is open, with the stats and never a secret. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SluiceHealthIndicatorTest {
    private static final String SECRET = "health-secret";

    private static String h2Url() {
        return "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    @Test
    void aWorkingPoolIsUpWithItsStatsAndNoSecrets() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(h2Url()).username("sa").password(SECRET)
                .poolName("healthy").maximumPoolSize(3).build())) {
            Health health = new SluiceHealthIndicator(ds).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("pool", "healthy").containsEntry("breaker", "CLOSED")
                    .containsEntry("maximumPoolSize", 3).containsKeys("open", "inUse", "idle", "pending", "acquireTimeouts")
                    .doesNotContainKey("lastConnectFailure");
            assertThat(health.toString()).doesNotContain(SECRET).doesNotContain("jdbc:");
        }
    }

    @Test
    void aSaturatedPoolIsUpWithItsHealthRuleInTheDetails() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(h2Url()).username("sa")
                .poolName("saturated").maximumPoolSize(1).build())) {
            Connection held = ds.getConnection();
            assertThatThrownBy(() -> ds.getConnection(Duration.ofMillis(100))).isInstanceOf(SQLException.class);
            held.close();
            Health health = new SluiceHealthIndicator(ds).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("health", "SATURATED");
            assertThat(health.getDetails().get("healthReasons")).asInstanceOf(InstanceOfAssertFactories.LIST).contains("1 acquire timed out (saturated: any)");
        }
    }

    @Test
    void aPoolWhoseDatabaseIsUnreachableIsDownOnceTheBreakerOpens() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // Starts degraded (no start-up check); its connects are refused, so the breaker opens after three of them.
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder()
                .jdbcUrl("jdbc:h2:tcp://127.0.0.1:" + closedPort + "/mem:gone;PASSWORD=" + SECRET).username("sa").password(SECRET)
                .poolName("unreachable").maximumPoolSize(2).minimumIdle(1).initializationFailTimeout(Duration.ofMillis(-1))
                .build())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ds.stats().breakerState() == BreakerState.CLOSED && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Health health = new SluiceHealthIndicator(ds).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("pool", "unreachable")
                    .containsEntry("lastConnectFailure", "SLUICE-CONNECT_REFUSED").containsEntry("health", "DOWN");
            assertThat(health.getDetails().get("breaker")).isIn("OPEN", "HALF_OPEN");
            assertThat((String) health.getDetails().get("reason")).contains("circuit breaker").contains("SLUICE-CONNECT_REFUSED");
            assertThat((Long) health.getDetails().get("createFailures")).isGreaterThanOrEqualTo(3L);
            assertThat(health.toString()).doesNotContain(SECRET).doesNotContain("jdbc:");
        }
    }

    @Test
    void aClosedPoolIsDown() throws Exception {
        SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(h2Url()).poolName("closed").build());
        ds.close();
        Health health = new SluiceHealthIndicator(ds).health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "the pool is closed");
    }

    @Test
    void aSuspendedPoolIsOutOfService() throws Exception {
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(h2Url()).build())) {
            ds.suspend();
            assertThat(new SluiceHealthIndicator(ds).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceDataSourceAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    SluiceHealthContributorAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=" + h2Url());

    @Test
    void theApplicationGetsASluiceHealthContributor() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean("sluiceHealthContributor")).isInstanceOf(SluiceHealthIndicator.class);
            assertThat(((SluiceHealthIndicator) context.getBean("sluiceHealthContributor")).health().getStatus())
                    .isEqualTo(Status.UP);
        });
    }

    @Test
    void severalPoolsGetOneIndicatorEachByBeanName() {
        runner.withUserConfiguration(TwoPools.class).run(context -> {
            assertThat(context).hasNotFailed();
            HealthContributor contributor = context.getBean("sluiceHealthContributor", HealthContributor.class);
            assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
            CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
            assertThat(composite.getContributor("orders")).isInstanceOf(SluiceHealthIndicator.class);
            assertThat(composite.getContributor("reports")).isInstanceOf(SluiceHealthIndicator.class);
        });
    }

    @Test
    void theContributorCanBeSwitchedOff() {
        runner.withPropertyValues("management.health.sluice.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("sluiceHealthContributor"));
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoPools {
        @Bean(destroyMethod = "close")
        SluiceDataSource orders() throws Exception {
            return new SluiceDataSource(SluiceConfig.builder().jdbcUrl(h2Url()).poolName("orders").build());
        }

        @Bean(destroyMethod = "close")
        SluiceDataSource reports() throws Exception {
            return new SluiceDataSource(SluiceConfig.builder().jdbcUrl(h2Url()).poolName("reports").build());
        }
    }
}
