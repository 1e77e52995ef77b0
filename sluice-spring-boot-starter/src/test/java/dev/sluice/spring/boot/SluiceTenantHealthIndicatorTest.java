package dev.sluice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.SluiceConfig;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The tenant budget's health: one tenant's dead database does not make the application DOWN. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SluiceTenantHealthIndicatorTest {

    @Test
    void inDatabaseModeATenantWhoseDatabaseIsDownIsListedAndTheStatusStaysUp() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl("jdbc:h2:mem:unused").poolName("health-tenants")
                        .connectionTimeout(Duration.ofSeconds(5)).build())
                .mode(TenantMode.DATABASE).globalMaximumPoolSize(4).tenantMaximumPoolSize(2)
                .tenantUrl(t -> t.equals("gone") ? "jdbc:h2:tcp://127.0.0.1:" + closedPort + "/mem:gone"
                        : "jdbc:h2:mem:" + run + t + ";DB_CLOSE_DELAY=-1")
                .build()) {
            tenants.getConnection("alive").close();
            for (int i = 0; i < 5; i++) {
                catchThrowable(() -> tenants.getConnection("gone").close()); // refused: the tenant's breaker opens
            }
            Health health = new SluiceTenantHealthIndicator(tenants).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("mode", "DATABASE").containsEntry("globalMaximumPoolSize", 4)
                    .containsEntry("tenantPools", 2);
            assertThat(health.getDetails().get("tenantsWithBreakerOpen").toString()).isEqualTo("[gone]");
            assertThat(health.toString()).doesNotContain("jdbc:");
        }
    }

    @Test
    void theBusiestTenantsComeMostFirstTiesByIdAtMostTen() {
        Map<String, Integer> inUse = new java.util.HashMap<>();
        for (int i = 0; i < 15; i++) {
            inUse.put("t" + i, 1);
        }
        inUse.put("hot", 5);
        inUse.put("warm", 2);
        assertThat(SluiceTenantHealthIndicator.busiest(inUse).keySet())
                .containsExactly("hot", "warm", "t0", "t1", "t10", "t11", "t12", "t13", "t14", "t2");
    }
}
