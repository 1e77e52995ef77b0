package dev.sluice.spring.boot;

import dev.sluice.BreakerState;
import dev.sluice.PoolHealth;
import dev.sluice.PoolStats;
import dev.sluice.SluiceDataSource;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * A Sluice pool's health from its own state, without touching the database: DOWN while the
 * circuit breaker is open (connects keep failing; the pool's probe is checking the database) or
 * the pool is closed, OUT_OF_SERVICE while it is suspended, UP otherwise. Boot's {@code db} check,
 * which runs a query, complements it.
 *
 * <p>HALF_OPEN counts as DOWN too: it is the moment a probe is under way after the breaker opened,
 * and reporting UP for it would make the status flap between probes while the database is away.
 *
 * <p>The pool's own health rule ({@link dev.sluice.PoolHealth}: HEALTHY, BUSY, SATURATED, OVERSIZED,
 * DOWN over the last minute) is a detail, {@code health} with its {@code healthReasons}, not the
 * status: a saturated pool still serves, and an orchestrator that restarted it for being busy would
 * only move the load. The status follows the breaker alone, as the rule's DOWN does.
 *
 * <p>Details are the pool's counters and the last connect failure's classified reason, never the
 * URL, user or password.
 */
public final class SluiceHealthIndicator extends AbstractHealthIndicator {
    private final SluiceDataSource dataSource;

    public SluiceHealthIndicator(SluiceDataSource dataSource) {
        super("Sluice pool health check failed");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (dataSource.isClosed()) {
            builder.down().withDetail("pool", dataSource.poolName()).withDetail("reason", "the pool is closed");
            return;
        }
        PoolStats s = dataSource.stats();
        BreakerState breaker = s.breakerState();
        if (breaker == BreakerState.OPEN || breaker == BreakerState.HALF_OPEN) {
            builder.down().withDetail("reason", "circuit breaker " + breaker + ": connects to the database are failing"
                    + (s.lastConnectFailure() != null ? " (" + s.lastConnectFailure().code() + ")" : "")
                    + "; callers who would wait for a new connection fail fast until a probe succeeds");
        } else if (dataSource.isSuspended()) {
            builder.outOfService().withDetail("reason", "the pool is suspended");
        } else {
            builder.up();
        }
        builder.withDetail("pool", s.poolName())
                .withDetail("breaker", breaker.name())
                .withDetail("open", s.open())
                .withDetail("inUse", s.inUse())
                .withDetail("idle", s.idle())
                .withDetail("pending", s.pending())
                .withDetail("maximumPoolSize", s.maximumPoolSize())
                .withDetail("minimumIdle", s.minimumIdle())
                .withDetail("acquired", s.acquired())
                .withDetail("acquireTimeouts", s.acquireTimeouts())
                .withDetail("createFailures", s.createFailures())
                .withDetail("breakerOpens", s.breakerOpens())
                .withDetail("breakerRejections", s.breakerRejections())
                .withDetail("leaksSuspected", s.leaksSuspected())
                .withDetail("acquireP99Micros", s.acquireLatency().p99().toNanos() / 1000);
        PoolHealth health = dataSource.health();
        builder.withDetail("health", health.status().name()).withDetail("healthReasons", health.reasons());
        if (s.lastConnectFailure() != null) {
            builder.withDetail("lastConnectFailure", s.lastConnectFailure().code());
        }
    }
}
