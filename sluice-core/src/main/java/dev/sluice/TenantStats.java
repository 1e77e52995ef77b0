package dev.sluice;

import java.util.Map;

/**
 * A snapshot of a {@link TenantDataSource}: the shared budget and each tenant's share of it.
 *
 * @param mode                  how tenants are separated
 * @param globalMaximumPoolSize the budget: physical connections across all tenants
 * @param open                  what counts against the budget: physical connections open now, connects under
 *                              way and closes not yet finished (never above the budget)
 * @param inUse                 connections borrowed now
 * @param idle                  open connections not borrowed
 * @param waiting               callers waiting for a connection, over all tenants
 * @param inUseByTenant         connections each tenant has borrowed now (tenants with none are left out)
 * @param tenantPools           DATABASE mode: each open tenant pool's own stats; empty in SCHEMA mode
 * @param sharedPool            SCHEMA mode: the one pool all tenants share; null in DATABASE mode
 * @param tenants               every tenant the data source knows now, with its use and its configured
 *                              reserve and weight: in SCHEMA mode every tenant that has borrowed, in
 *                              DATABASE mode every tenant with an open pool, a reserve or a weight, or
 *                              whose pool was closed (its borrows are kept)
 * @param budgetWaits           times the budget was used up when a connection was wanted: in DATABASE mode
 *                              a tenant pool refused a permit (its callers then wait for room), in SCHEMA
 *                              mode a caller found no idle connection in the shared pool
 * @param idleEvictedForOthers  DATABASE mode: idle connections the budget closed to make room for another tenant
 * @param evictedOnReturnForOthers DATABASE mode: borrowed connections the budget marked to close when returned,
 *                              to make room for another tenant, when none was idle
 */
public record TenantStats(
        TenantMode mode,
        int globalMaximumPoolSize,
        int open,
        int inUse,
        int idle,
        int waiting,
        Map<String, Integer> inUseByTenant,
        Map<String, PoolStats> tenantPools,
        PoolStats sharedPool,
        Map<String, Usage> tenants,
        long budgetWaits,
        long idleEvictedForOthers,
        long evictedOnReturnForOthers) {

    public TenantStats {
        inUseByTenant = Map.copyOf(inUseByTenant);
        tenantPools = Map.copyOf(tenantPools);
        tenants = Map.copyOf(tenants);
    }

    /** A snapshot without per-tenant usage or budget counters. */
    public TenantStats(TenantMode mode, int globalMaximumPoolSize, int open, int inUse, int idle, int waiting,
            Map<String, Integer> inUseByTenant, Map<String, PoolStats> tenantPools, PoolStats sharedPool) {
        this(mode, globalMaximumPoolSize, open, inUse, idle, waiting, inUseByTenant, tenantPools, sharedPool, Map.of(), 0, 0, 0);
    }

    /**
     * One tenant's use of the budget.
     *
     * @param inUse   connections the tenant has borrowed now
     * @param idle    DATABASE mode: idle connections of the tenant's pool; 0 in SCHEMA mode, where idle
     *                connections belong to no tenant
     * @param waiting callers of this tenant waiting now: for its pool (DATABASE mode) or for one of its
     *                {@code tenantMaximumPoolSize} slots (SCHEMA mode)
     * @param borrows connections the tenant has borrowed since the data source started (in DATABASE mode
     *                carried over when an idle tenant's pool is closed and opened again)
     * @param reserve connections reserved for the tenant ({@code tenantReserve}), 0 if none
     * @param weight  the tenant's weight in the budget ({@code tenantWeight}), 1 unless set
     */
    public record Usage(int inUse, int idle, int waiting, long borrows, int reserve, int weight) {
    }
}
