package dev.sluice.spring.boot;

import dev.sluice.BreakerState;
import dev.sluice.PoolStats;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import dev.sluice.TenantStats;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * A {@link TenantDataSource}'s health from its own state, without touching a database: the budget
 * (open, in use, idle, waiting) and the busiest tenants as details.
 *
 * <p>In SCHEMA mode every tenant shares one pool, so its breaker is the data source's: DOWN while
 * it is open or half-open, as {@link SluiceHealthIndicator} says for a plain pool. In DATABASE mode
 * each tenant has its own pool and breaker, and one tenant's database being down says nothing
 * about the others: the status stays UP and the tenants whose breaker is open are listed.
 */
public final class SluiceTenantHealthIndicator extends AbstractHealthIndicator {
    private static final int BUSIEST_SHOWN = 10;
    private final TenantDataSource dataSource;

    public SluiceTenantHealthIndicator(TenantDataSource dataSource) {
        super("Sluice tenant data source health check failed");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        TenantStats s = dataSource.stats();
        if (s.mode() == TenantMode.SCHEMA) {
            BreakerState breaker = s.sharedPool().breakerState();
            if (breaker == BreakerState.OPEN || breaker == BreakerState.HALF_OPEN) {
                builder.down().withDetail("reason", "circuit breaker " + breaker + ": connects to the database are failing");
            } else {
                builder.up();
            }
            builder.withDetail("breaker", breaker.name());
        } else {
            builder.up();
            TreeSet<String> broken = new TreeSet<>();
            for (Map.Entry<String, PoolStats> e : s.tenantPools().entrySet()) {
                if (e.getValue().breakerState() != BreakerState.CLOSED) {
                    broken.add(e.getKey());
                }
            }
            builder.withDetail("tenantPools", s.tenantPools().size()).withDetail("tenantsWithBreakerOpen", broken);
        }
        builder.withDetail("mode", s.mode().name())
                .withDetail("globalMaximumPoolSize", s.globalMaximumPoolSize())
                .withDetail("open", s.open())
                .withDetail("inUse", s.inUse())
                .withDetail("idle", s.idle())
                .withDetail("waiting", s.waiting())
                .withDetail("busiestTenants", busiest(s.inUseByTenant()));
    }

    /** The tenants holding the most connections now, most first, at most ten: a thousand tenants would drown the page. */
    static Map<String, Integer> busiest(Map<String, Integer> inUseByTenant) {
        LinkedHashMap<String, Integer> top = new LinkedHashMap<>();
        inUseByTenant.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(BUSIEST_SHOWN)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }
}
