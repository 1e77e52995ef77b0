package dev.sluice.internal.tenant;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * SCHEMA mode's per-tenant limit: at most {@code tenantMaximumPoolSize} connections borrowed by
 * one tenant at once, the rest of its callers waiting (first come, first served, within their
 * deadline) rather than failing. A limit on borrows, not on physical connections: those belong
 * to the shared pool.
 */
final class TenantLimits {
    private final int limit;
    private final String poolName;
    private final ConcurrentHashMap<String, Semaphore> slots = new ConcurrentHashMap<>();

    TenantLimits(int limit, String poolName) {
        this.limit = limit;
        this.poolName = poolName;
    }

    /** Takes one of {@code tenant}'s slots, waiting at most {@code timeoutNanos}. */
    Semaphore acquire(String tenant, long timeoutNanos) throws SQLException {
        Semaphore s = slots.computeIfAbsent(tenant, t -> new Semaphore(limit, true));
        boolean got;
        try {
            got = s.tryAcquire(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SluiceFailure.of(FailureReason.ACQUIRE_TIMEOUT, poolName, poolName + ": interrupted while tenant '" + tenant
                    + "' waited for one of its connections", e);
        }
        if (!got) {
            throw SluiceFailure.of(FailureReason.ACQUIRE_TIMEOUT, poolName, poolName + ": tenant '" + tenant + "' holds its limit of "
                    + limit + " connections (tenantMaximumPoolSize) and none came back within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms", null);
        }
        return s;
    }

    /** Connections each tenant holds now; tenants holding none are left out. */
    Map<String, Integer> inUse() {
        Map<String, Integer> m = new HashMap<>();
        slots.forEach((tenant, s) -> {
            int held = limit - s.availablePermits();
            if (held > 0) {
                m.put(tenant, held);
            }
        });
        return m;
    }
}
