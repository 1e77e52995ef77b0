package dev.sluice.internal.tenant;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import dev.sluice.TenantStats;
import dev.sluice.internal.BorrowClaim;
import dev.sluice.internal.BorrowTally;
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
 *
 * <p>A limit no smaller than the shared pool (the default) can never bind: the pool runs out
 * first. Then a tenant has no slots to take and give back, and a borrow costs no more than the
 * lookup of the tenant's entry; what a tenant holds is counted off the pool's borrowed connections.
 */
final class TenantLimits {
    private final int limit;
    private final boolean binds;
    private final String poolName;
    private final ConcurrentHashMap<String, Slots> slots = new ConcurrentHashMap<>();
    /**
     * The slots while only one tenant has borrowed, else null: its borrows skip the map lookup.
     * Written only when a tenant's slots are made, so tenants never contend on it.
     */
    private volatile Slots solo;

    /**
     * One tenant's slots, how many borrows it made through them, and whether its schema was found.
     * Where the limit cannot bind, it is also the claim every borrow of the tenant carries: it names
     * the tenant, and there is nothing to give back when a borrow ends.
     */
    static final class Slots implements BorrowClaim {
        private final String tenant;
        /** Null where the limit cannot bind. */
        final Semaphore semaphore;
        final BorrowTally borrows = new BorrowTally();
        /** Set once the tenant's schema was seen to exist; never for a missing one, so a typo is not remembered. */
        volatile boolean schemaFound;

        Slots(String tenant, int limit, boolean binds) {
            this.tenant = tenant;
            this.semaphore = binds ? new Semaphore(limit, true) : null;
        }

        @Override
        public String tenant() {
            return tenant;
        }

        @Override
        public void borrowEnded() {
            // No slot was taken.
        }

        @Override
        public BorrowTally tally() {
            return borrows;
        }
    }

    /** @param globalMaximumPoolSize the shared pool's size, which a limit must be below to bind */
    TenantLimits(int limit, int globalMaximumPoolSize, String poolName) {
        this.limit = limit;
        this.binds = limit < globalMaximumPoolSize;
        this.poolName = poolName;
    }

    /** {@code tenant}'s slots, made on its first borrow once its id passed {@code idCheck}. */
    Slots slotsOf(String tenant, TenantRouter.IdCheck idCheck) throws SQLException {
        if (tenant == null) {
            idCheck.check(null);
        }
        Slots s = solo;
        if (s != null && (s.tenant == tenant || s.tenant.equals(tenant))) {
            return s;
        }
        s = slots.get(tenant);
        if (s != null) {
            return s;
        }
        idCheck.check(tenant);
        s = slots.computeIfAbsent(tenant, t -> new Slots(t, limit, binds));
        electSolo();
        return s;
    }

    /** Sets {@link #solo} after a tenant's slots were made; serialized, so the last to run saw the latest map. */
    private synchronized void electSolo() {
        solo = slots.size() == 1 ? slots.values().iterator().next() : null;
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

    /**
     * Every tenant that has borrowed: what it holds, who waits for its slots, its borrows so far.
     * {@code inUseInPool} is the pool's count of borrowed connections by tenant, which is what a
     * tenant holds where its limit cannot bind; {@code unsettledBorrows} the pool's runs of
     * borrows not yet added to the tenants' tallies.
     */
    Map<String, TenantStats.Usage> usage(Map<String, Integer> inUseInPool, Map<BorrowTally, Long> unsettledBorrows) {
        Map<String, TenantStats.Usage> m = new HashMap<>();
        slots.forEach((tenant, s) -> {
            Semaphore slot = s.semaphore;
            int inUse = slot == null ? inUseInPool.getOrDefault(tenant, 0) : limit - slot.availablePermits();
            m.put(tenant, new TenantStats.Usage(inUse, 0, slot == null ? 0 : slot.getQueueLength(), s.borrows.count(unsettledBorrows), 0, 1));
        });
        return m;
    }
}
