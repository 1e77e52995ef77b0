package dev.sluice.internal.tenant;

import dev.sluice.TenantStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Where a tenant's connection comes from: one shared pool (SCHEMA mode) or a pool per tenant (DATABASE mode). */
public interface TenantRouter {

    /**
     * Borrows a connection for {@code tenant} (an id already checked against the id rule).
     *
     * @param timeoutNanos   the most the borrow may take
     * @param scoped         the caller is inside a scoped {@link dev.sluice.Deadline}
     * @param scopeLeftNanos the time that Deadline has left
     */
    Connection borrow(String tenant, long timeoutNanos, boolean scoped, long scopeLeftNanos) throws SQLException;

    TenantStats stats();

    void close();

    /** {@link TenantStats#inUseByTenant()} read off the tenants' usage: the tenants holding a connection. */
    static Map<String, Integer> inUseByTenant(Map<String, TenantStats.Usage> tenants) {
        Map<String, Integer> m = new HashMap<>();
        tenants.forEach((tenant, u) -> {
            if (u.inUse() > 0) {
                m.put(tenant, u.inUse());
            }
        });
        return m;
    }
}
