package dev.sluice.internal.tenant;

import dev.sluice.PoolStats;
import dev.sluice.SluiceConfig;
import dev.sluice.TenantMode;
import dev.sluice.TenantStats;
import dev.sluice.internal.Pool;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SCHEMA mode: every tenant borrows from one pool of {@code globalMaximumPoolSize} connections,
 * so the budget is that pool's own maximum and there are no per-tenant physical pools. A borrow
 * first takes one of the tenant's slots ({@link TenantLimits}), then a pooled connection, then
 * points it at the tenant's schema ({@link SchemaSwitch}); all three within the caller's one
 * timeout.
 */
public final class SchemaRouter implements TenantRouter {
    private final Pool pool;
    private final String name;
    private final int globalMaximumPoolSize;
    private final TenantLimits limits;
    private final SchemaSwitch schemaSwitch;
    /** Tenants whose schema was found once; never the missing ones, so a typo is not remembered. */
    private final Set<String> found = ConcurrentHashMap.newKeySet();

    /** @param shared the template with maximumPoolSize set to the global budget */
    public SchemaRouter(SluiceConfig shared, int tenantMaximumPoolSize) throws SQLException {
        this.pool = new Pool(shared);
        this.name = shared.poolName();
        this.globalMaximumPoolSize = shared.maximumPoolSize();
        this.limits = new TenantLimits(tenantMaximumPoolSize, name);
        this.schemaSwitch = SchemaSwitch.forUrl(shared.jdbcUrl());
    }

    @Override
    public Connection borrow(String tenant, long timeoutNanos, boolean scoped, long scopeLeftNanos) throws SQLException {
        // A free slot costs no clock read; only a wait for one is taken off the pool's timeout.
        TenantLimits.Slots slot = limits.acquireNow(tenant);
        long spent = 0;
        if (slot == null) {
            long start = System.nanoTime();
            slot = limits.acquire(tenant, timeoutNanos);
            spent = System.nanoTime() - start;
        }
        TenantSlotClaim claim = new TenantSlotClaim(tenant, slot);
        Connection c = null;
        try {
            c = pool.acquire(Math.max(0, timeoutNanos - spent), scoped, scopeLeftNanos - spent, claim);
            boolean check = !found.contains(tenant);
            schemaSwitch.apply(c, tenant, check, name);
            if (check) {
                found.add(tenant);
            }
            claim.served();
            return TenantConnection.wrap(c, claim);
        } catch (SQLException | RuntimeException | Error e) {
            if (c != null) {
                closeQuietly(c, e);
            }
            claim.borrowEnded(); // the close above ended it already, unless the pool never handed one out
            throw e;
        }
    }

    private static void closeQuietly(Connection c, Throwable primary) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }

    @Override
    public TenantStats stats() {
        PoolStats s = pool.stats();
        Map<String, TenantStats.Usage> tenants = limits.usage();
        return new TenantStats(TenantMode.SCHEMA, globalMaximumPoolSize, s.open() + s.creating(), s.inUse(), s.idle(), s.pending(),
                TenantRouter.inUseByTenant(tenants), Map.of(), s, tenants, s.waitCount(), 0, 0);
    }

    @Override
    public void close() {
        pool.close();
    }
}
