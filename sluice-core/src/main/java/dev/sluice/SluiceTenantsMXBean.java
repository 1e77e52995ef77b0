package dev.sluice;

/**
 * The JMX view of a {@link TenantDataSource}, registered as
 * {@code dev.sluice:type=Tenants,name=<poolName>} when the template's {@code registerMbeans} is
 * on: the budget, its counters, and a table of the busiest tenants. Read-only; no attribute
 * exposes a password.
 */
public interface SluiceTenantsMXBean {
    /** How many tenants {@link #getBusiestTenants()} lists at most. */
    int BUSIEST_SHOWN = 50;

    /** The data source's name: the template's poolName. */
    String getDataSourceName();

    /** SCHEMA or DATABASE. */
    String getMode();

    /** The budget: physical connections across all tenants. */
    int getGlobalMaximumPoolSize();

    /** Physical connections open now, plus connects under way. */
    int getOpenConnections();

    int getActiveConnections();

    int getIdleConnections();

    /** Callers waiting for a connection, over all tenants. */
    int getPendingThreads();

    /** Tenants known now (see {@link TenantStats#tenants()}). */
    int getTenantCount();

    /** See {@link TenantStats#budgetWaits()}. */
    long getBudgetWaits();

    /** See {@link TenantStats#idleEvictedForOthers()}. */
    long getIdleEvictedForOthers();

    /** See {@link TenantStats#evictedOnReturnForOthers()}. */
    long getEvictedOnReturnForOthers();

    /**
     * The busiest tenants, at most {@value #BUSIEST_SHOWN}: most connections in use first, then
     * most callers waiting, then most borrows so far. Shown in JMX tools as a table of
     * composite rows.
     */
    TenantRow[] getBusiestTenants();

    /** One row of {@link #getBusiestTenants()}: a tenant and its {@link TenantStats.Usage}. */
    final class TenantRow {
        private final String tenant;
        private final TenantStats.Usage usage;

        public TenantRow(String tenant, TenantStats.Usage usage) {
            this.tenant = tenant;
            this.usage = usage;
        }

        public String getTenant() {
            return tenant;
        }

        public int getInUse() {
            return usage.inUse();
        }

        public int getIdle() {
            return usage.idle();
        }

        public int getWaiting() {
            return usage.waiting();
        }

        public long getBorrows() {
            return usage.borrows();
        }

        public int getReserve() {
            return usage.reserve();
        }

        public int getWeight() {
            return usage.weight();
        }

        @Override
        public String toString() {
            return tenant + " " + usage;
        }
    }
}
