package dev.sluice.internal.tenant;

import dev.sluice.TenantStats;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** Where a tenant's connection comes from: one shared pool (SCHEMA mode) or a pool per tenant (DATABASE mode). */
public interface TenantRouter {

    /**
     * Refuses a tenant id that breaks the id rule, before any SQL or pool is made for it. A router
     * checks an id the first time it sees it: one it already holds a pool or slots for passed.
     */
    @FunctionalInterface
    interface IdCheck {
        void check(String tenant) throws SQLException;
    }

    /**
     * Borrows a connection for {@code tenant}, checking the id first unless the router knows it already.
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
