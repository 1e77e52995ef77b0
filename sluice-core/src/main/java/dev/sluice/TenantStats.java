package dev.sluice;

import java.util.Map;

/**
 * A snapshot of a {@link TenantDataSource}: the shared budget and each tenant's share of it.
 *
 * @param mode                  how tenants are separated
 * @param globalMaximumPoolSize the budget: physical connections across all tenants
 * @param open                  physical connections open now, plus connects under way (never above the budget)
 * @param inUse                 connections borrowed now
 * @param idle                  open connections not borrowed
 * @param waiting               callers waiting for a connection, over all tenants
 * @param inUseByTenant         connections each tenant has borrowed now (tenants with none are left out)
 * @param tenantPools           DATABASE mode: each open tenant pool's own stats; empty in SCHEMA mode
 * @param sharedPool            SCHEMA mode: the one pool all tenants share; null in DATABASE mode
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
        PoolStats sharedPool) {

    public TenantStats {
        inUseByTenant = Map.copyOf(inUseByTenant);
        tenantPools = Map.copyOf(tenantPools);
    }
}
