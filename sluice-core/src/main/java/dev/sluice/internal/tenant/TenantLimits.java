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

    /** One tenant's slots, how many borrows it made through them, and whether its schema was found. */
    static final class Slots {
        final Semaphore semaphore;
        final LongAdder borrows = new LongAdder();
        /** Set once the tenant's schema was seen to exist; never for a missing one, so a typo is not remembered. */
        volatile boolean schemaFound;

        Slots(int limit) {
            this.semaphore = new Semaphore(limit, true);
        }
    }

    TenantLimits(int limit, String poolName) {
        this.limit = limit;
        this.poolName = poolName;
    }

    /** {@code tenant}'s slots, made on its first borrow once its id passed {@code idCheck}. */
    Slots slotsOf(String tenant, TenantRouter.IdCheck idCheck) throws SQLException {
        if (tenant == null) {
            idCheck.check(null);
        }
        Slots s = slots.get(tenant);
        if (s != null) {
            return s;
        }
        idCheck.check(tenant);
        return slots.computeIfAbsent(tenant, t -> new Slots(limit));
    }

    /**
     * Takes one of the slots if one is free and nobody waits for it, without waiting. A zero
     * timeout keeps the semaphore's fairness, which {@code tryAcquire()} would not.
     */
    boolean takeNow(String tenant, Slots s) throws SQLException {
        return take(tenant, s, 0);
    }

    /** Takes one of {@code tenant}'s slots, waiting at most {@code timeoutNanos}. */
    void takeWaiting(String tenant, Slots s, long timeoutNanos) throws SQLException {
        if (!take(tenant, s, timeoutNanos)) {
            throw SluiceFailure.of(FailureReason.ACQUIRE_TIMEOUT, poolName, poolName + ": tenant '" + tenant + "' holds its limit of "
                    + limit + " connections (tenantMaximumPoolSize) and none came back within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + "ms", null);
        }
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
