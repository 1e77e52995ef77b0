package dev.sluice;

/** How a {@link TenantDataSource} separates its tenants. */
public enum TenantMode {
    /**
     * One database, a schema per tenant (on MariaDB/MySQL a database per tenant, which is a
     * catalog on the same server). All tenants share one pool of {@code globalMaximumPoolSize}
     * connections; each borrowed connection is switched to the tenant's schema before it is
     * handed out.
     */
    SCHEMA,
    /**
     * A database per tenant, reached by its own URL ({@link TenantDataSource.Builder#tenantUrl}).
     * Each tenant gets a pool of its own (with its own circuit breaker); all of them open
     * physical connections only within the shared {@code globalMaximumPoolSize}.
     */
    DATABASE
}
