package dev.sluice.spring.boot;

import dev.sluice.TenantMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code spring.datasource.sluice.tenants.*}: with {@code enabled=true} the application's
 * {@code DataSource} is a {@link dev.sluice.TenantDataSource} serving every tenant from one budget
 * of connections, and the tenant of a borrow comes from the application's
 * {@link dev.sluice.TenantResolver} bean. Every other {@code spring.datasource.*} and
 * {@code spring.datasource.sluice.*} property configures the template all tenant pools are made from.
 */
public class SluiceTenantProperties {

    /** Serve the application's DataSource as a tenant-routing one (needs a TenantResolver bean). */
    private boolean enabled;

    /**
     * How tenants are separated: SCHEMA (a schema, or on MariaDB/MySQL a database, per tenant, in the
     * database of spring.datasource.url) or DATABASE (a database per tenant, at tenant-url).
     */
    private TenantMode mode = TenantMode.SCHEMA;

    /** Physical connections across all tenants, never exceeded. Default: maximum-pool-size; at least 1. */
    private Integer globalMaximumPoolSize;

    /** The most connections one tenant holds at once; its further callers wait. Default: global-maximum-pool-size. */
    private Integer tenantMaximumPoolSize;

    /**
     * DATABASE mode: a tenant's JDBC URL, with {tenant} where the tenant id goes, e.g.
     * jdbc:postgresql://db:5432/{tenant}. Required in DATABASE mode, refused in SCHEMA mode.
     */
    private String tenantUrl;

    /** DATABASE mode: a tenant's pool is closed after this long without a borrow. At least 100ms. */
    private Duration tenantIdleTimeout = Duration.ofMinutes(5);

    /**
     * DATABASE mode: connections of the budget kept for a tenant, by tenant id (reserve.gold=3).
     * Each 1 to tenant-maximum-pool-size; together less than global-maximum-pool-size.
     */
    private Map<String, Integer> reserve = new LinkedHashMap<>();

    /** DATABASE mode: a tenant's weight when the budget is short, by tenant id (weight.gold=3). 1 to 1000, default 1. */
    private Map<String, Integer> weight = new LinkedHashMap<>();

    /**
     * Micrometer: how many of the busiest tenants get a tenant tag of their own; the others are
     * summed under tenant=_other. 0 to 10000.
     */
    private int maxTaggedTenants = 100;

    public int getMaxTaggedTenants() {
        return maxTaggedTenants;
    }

    public void setMaxTaggedTenants(int maxTaggedTenants) {
        this.maxTaggedTenants = maxTaggedTenants;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public TenantMode getMode() {
        return mode;
    }

    public void setMode(TenantMode mode) {
        this.mode = mode;
    }

    public Integer getGlobalMaximumPoolSize() {
        return globalMaximumPoolSize;
    }

    public void setGlobalMaximumPoolSize(Integer globalMaximumPoolSize) {
        this.globalMaximumPoolSize = globalMaximumPoolSize;
    }

    public Integer getTenantMaximumPoolSize() {
        return tenantMaximumPoolSize;
    }

    public void setTenantMaximumPoolSize(Integer tenantMaximumPoolSize) {
        this.tenantMaximumPoolSize = tenantMaximumPoolSize;
    }

    public String getTenantUrl() {
        return tenantUrl;
    }

    public void setTenantUrl(String tenantUrl) {
        this.tenantUrl = tenantUrl;
    }

    public Duration getTenantIdleTimeout() {
        return tenantIdleTimeout;
    }

    public void setTenantIdleTimeout(Duration tenantIdleTimeout) {
        this.tenantIdleTimeout = tenantIdleTimeout;
    }

    public Map<String, Integer> getReserve() {
        return reserve;
    }

    public void setReserve(Map<String, Integer> reserve) {
        this.reserve = reserve;
    }

    public Map<String, Integer> getWeight() {
        return weight;
    }

    public void setWeight(Map<String, Integer> weight) {
        this.weight = weight;
    }
}
