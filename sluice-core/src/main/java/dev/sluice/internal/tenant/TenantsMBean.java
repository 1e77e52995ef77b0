package dev.sluice.internal.tenant;

import dev.sluice.SluiceTenantsMXBean;
import dev.sluice.TenantStats;
import dev.sluice.internal.MBeans;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The MXBean of a tenant data source. Each attribute read takes one stats snapshot (a walk over
 * the tenants); a JMX client reads a handful per refresh, so nothing is cached.
 */
public final class TenantsMBean implements SluiceTenantsMXBean {
    private static final Comparator<Map.Entry<String, TenantStats.Usage>> BUSIEST =
            Comparator.<Map.Entry<String, TenantStats.Usage>>comparingInt(e -> e.getValue().inUse())
                    .thenComparingInt(e -> e.getValue().waiting())
                    .thenComparingLong(e -> e.getValue().borrows())
                    .reversed()
                    .thenComparing(Map.Entry::getKey);

    private final String name;
    private final Supplier<TenantStats> stats;

    private TenantsMBean(String name, Supplier<TenantStats> stats) {
        this.name = name;
        this.stats = stats;
    }

    public static ObjectName objectName(String name) throws JMException {
        return new ObjectName("dev.sluice:type=Tenants,name=" + ObjectName.quote(name));
    }

    /** Registers the data source's MXBean; returns its name, or null if registration failed (logged, not fatal). */
    public static ObjectName register(String name, Supplier<TenantStats> stats) {
        try {
            return MBeans.register(new TenantsMBean(name, stats), objectName(name), name);
        } catch (JMException e) {
            return null; // a name ObjectName cannot quote: not possible for a quoted value, kept for the checked exception
        }
    }

    @Override
    public String getDataSourceName() {
        return name;
    }

    @Override
    public String getMode() {
        return stats.get().mode().name();
    }

    @Override
    public int getGlobalMaximumPoolSize() {
        return stats.get().globalMaximumPoolSize();
    }

    @Override
    public int getOpenConnections() {
        return stats.get().open();
    }

    @Override
    public int getActiveConnections() {
        return stats.get().inUse();
    }

    @Override
    public int getIdleConnections() {
        return stats.get().idle();
    }

    @Override
    public int getPendingThreads() {
        return stats.get().waiting();
    }

    @Override
    public int getTenantCount() {
        return stats.get().tenants().size();
    }

    @Override
    public long getBudgetWaits() {
        return stats.get().budgetWaits();
    }

    @Override
    public long getIdleEvictedForOthers() {
        return stats.get().idleEvictedForOthers();
    }

    @Override
    public long getEvictedOnReturnForOthers() {
        return stats.get().evictedOnReturnForOthers();
    }

    @Override
    public TenantRow[] getBusiestTenants() {
        return stats.get().tenants().entrySet().stream().sorted(BUSIEST).limit(BUSIEST_SHOWN)
                .map(e -> new TenantRow(e.getKey(), e.getValue())).toArray(TenantRow[]::new);
    }
}
