package dev.sluice.internal.tenant;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import dev.sluice.TenantStats;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * SCHEMA mode's per-tenant limit: at most {@code tenantMaximumPoolSize} connections borrowed by
 * one tenant at once, the rest of its callers waiting (first come, first served, within their
 * deadline) rather than failing. A limit on borrows, not on physical connections: those belong
 * to the shared pool.
 */
final class TenantLimits {
    private final int limit;
    private final String poolName;
    private final ConcurrentHashMap<String, Slots> slots = new ConcurrentHashMap<>();

    /** One tenant's slots, and how many borrows it made through them. */
    static final class Slots {
        final Semaphore semaphore;
        final LongAdder borrows = new LongAdder();

        Slots(int limit) {
            this.semaphore = new Semaphore(limit, true);
        }
    }

    TenantLimits(int limit, String poolName) {
        this.limit = limit;
        this.poolName = poolName;
    }

    /**
     * Takes one of {@code tenant}'s slots if one is free and nobody waits for it, without waiting;
     * null otherwise. A zero timeout keeps the semaphore's fairness, which {@code tryAcquire()} would not.
     */
    Slots acquireNow(String tenant) throws SQLException {
        Slots s = slots.computeIfAbsent(tenant, t -> new Slots(limit));
        return take(tenant, s, 0) ? s : null;
    }

    /** Takes one of {@code tenant}'s slots, waiting at most {@code timeoutNanos}. */
    Slots acquire(String tenant, long timeoutNanos) throws SQLException {
        Slots s = slots.computeIfAbsent(tenant, t -> new Slots(limit));
        if (!take(tenant, s, timeoutNanos)) {
            throw SluiceFailure.of(FailureReason.ACQUIRE_TIMEOUT, poolName, poolName + ": tenant '" + tenant + "' holds its limit of "
                    + limit + " connections (tenantMaximumPoolSize) and none came back within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms", null);
        }
        return s;
    }

    private boolean take(String tenant, Slots s, long timeoutNanos) throws SQLException {
        try {
            return s.semaphore.tryAcquire(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SluiceFailure.of(FailureReason.ACQUIRE_TIMEOUT, poolName, poolName + ": interrupted while tenant '" + tenant
                    + "' waited for one of its connections", e);
        }
    }

    /** Every tenant that has borrowed: what it holds, who waits for its slots, its borrows so far. */
    Map<String, TenantStats.Usage> usage() {
        Map<String, TenantStats.Usage> m = new HashMap<>();
        slots.forEach((tenant, s) -> m.put(tenant, new TenantStats.Usage(limit - s.semaphore.availablePermits(), 0,
                s.semaphore.getQueueLength(), s.borrows.sum(), 0, 1)));
        return m;
    }
}
