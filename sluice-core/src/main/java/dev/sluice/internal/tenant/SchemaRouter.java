package dev.sluice.internal.tenant;

import dev.sluice.PoolStats;
import dev.sluice.SluiceConfig;
import dev.sluice.TenantMode;
import dev.sluice.TenantStats;
import dev.sluice.internal.BorrowClaim;
import dev.sluice.internal.ConnectionCap;
import dev.sluice.internal.ConnectionHandle;
import dev.sluice.internal.Pool;
import dev.sluice.internal.SessionUndo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * SCHEMA mode: every tenant borrows from one pool of {@code globalMaximumPoolSize} connections,
 * so the budget is that pool's own maximum and there are no per-tenant physical pools. A borrow
 * first takes one of the tenant's slots ({@link TenantLimits}) where its limit can bind, then a
 * pooled connection, then points it at the tenant's schema ({@link SchemaSwitch}); all within the
 * caller's one timeout.
 */
public final class SchemaRouter implements TenantRouter {
    private final Pool pool;
    /** The global budget: what the server may see of the shared pool, connections closing included. */
    private final ConnectionCap cap;
    private final String name;
    private final int globalMaximumPoolSize;
    private final TenantLimits limits;
    private final SchemaSwitch schemaSwitch;
    /** Null where the pool's own reset undoes the switch. */
    private final SessionUndo undo;
    private final IdCheck idCheck;

    /** @param shared the template with maximumPoolSize set to the global budget */
    public SchemaRouter(SluiceConfig shared, int tenantMaximumPoolSize, IdCheck idCheck) throws SQLException {
        this.cap = new ConnectionCap(shared.maximumPoolSize());
        this.pool = Pool.capped(shared, cap);
        this.name = shared.poolName();
        this.globalMaximumPoolSize = shared.maximumPoolSize();
        this.limits = new TenantLimits(tenantMaximumPoolSize, globalMaximumPoolSize, name);
        this.schemaSwitch = SchemaSwitch.forUrl(shared.jdbcUrl());
        this.undo = schemaSwitch.undo(shared.schema());
        this.idCheck = idCheck;
    }

    /**
     * The caller gets the pool's own handle, not a wrapper: the pool ends the tenant's claim
     * however the borrow ends, so there is nothing left for a wrapper to do, and
     * {@code statement.getConnection()} returns the very connection the statement came from.
     */
    @Override
    public Connection borrow(String tenant, long timeoutNanos, boolean scoped, long scopeLeftNanos) throws SQLException {
        TenantLimits.Slots slots = limits.slotsOf(tenant, idCheck);
        BorrowClaim claim = slots;
        // A free slot costs no clock read; only a wait for one is taken off the pool's timeout.
        long spent = 0;
        if (slots.semaphore != null) {
            if (!limits.takeNow(tenant, slots)) {
                long start = System.nanoTime();
                try {
                    limits.takeWaiting(tenant, slots, timeoutNanos);
                } catch (SQLException e) {
                    pool.tenantBorrowFailed(tenant, e, System.nanoTime() - start);
                    throw e;
                }
                spent = System.nanoTime() - start;
            }
            claim = new TenantSlotClaim(tenant, slots);
        }
        ConnectionHandle c = null;
        try {
            // Without a scoped Deadline, a wait for the slot or a timeout of its own, the pool's untimed fast path serves it.
            c = !scoped && spent == 0 && timeoutNanos == pool.connectionTimeoutNanos() ? pool.acquire(claim)
                    : pool.acquire(Math.max(0, timeoutNanos - spent), scoped, scopeLeftNanos - spent, claim);
            boolean check = !slots.schemaFound;
            if (undo != null) {
                c.undoOnReturn(undo); // first, so a switch that fails half-way is undone too
            }
            schemaSwitch.apply(c, tenant, check, name);
            if (check) {
                slots.schemaFound = true;
            }
            return c;
        } catch (SQLException | RuntimeException | Error e) {
            if (c != null) {
                closeQuietly(c, e);
                slots.borrows.uncount(); // the pool counted the hand-out, but the tenant never got the connection
                if (e instanceof SQLException failure) {
                    // The pool reported a failure of its own part; this one came after it handed out.
                    pool.tenantBorrowFailed(tenant, failure, spent);
                }
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
        Map<String, TenantStats.Usage> tenants = limits.usage(pool.inUseByTenant(), pool.unsettledBorrows());
        return new TenantStats(TenantMode.SCHEMA, globalMaximumPoolSize, cap.used(), s.inUse(), s.idle(), s.pending(),
                TenantRouter.inUseByTenant(tenants), Map.of(), s, tenants, s.waitCount(), 0, 0);
    }

    @Override
    public void close() {
        pool.close();
    }
}
