package dev.sluice.console;

import dev.sluice.PoolStats;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the console knows about one {@link TenantDataSource}: the shared budget, sampled once a
 * second into a {@link HistoryRing} (open, in use, idle, waiting; no latency columns), and the
 * tenants, busiest first. Only the {@link #TOP} busiest tenants are listed one by one; the rest are
 * summed into one "others" row, so a service with thousands of tenants still gets a small page
 * and a tick of bounded size.
 */
final class TenantWatch {
    static final int TOP = 50;

    /** Busiest first: most borrowed, then most open, then by name so the order is stable. */
    static final Comparator<TenantRow> BUSIEST_FIRST = Comparator.comparingInt(TenantRow::inUse).reversed()
            .thenComparing(Comparator.comparingInt(TenantRow::open).reversed()).thenComparing(TenantRow::tenant);

    final TenantDataSource ds;
    final String name;
    final HistoryRing history = new HistoryRing();

    /** One tenant's share: what it has borrowed, and its own pool's counts in DATABASE mode (else -1). */
    record TenantRow(String tenant, int inUse, int open, int idle, int pending, long acquired, long timeouts, String breaker) {
    }

    TenantWatch(String name, TenantDataSource ds) {
        this.name = name;
        this.ds = ds;
    }

    /** Takes this second's sample and returns the live document (without history). */
    String sample(long epochSecond) {
        TenantStats s = ds.stats();
        history.add(epochSecond, s.open(), s.inUse(), s.idle(), s.waiting(), -1, -1, -1);
        return document(name, epochSecond, s);
    }

    static String document(String name, long epochSecond, TenantStats s) {
        Json j = new Json().object().field("name", name).field("second", epochSecond).field("mode", s.mode().name());
        j.name("budget").object().field("max", s.globalMaximumPoolSize()).field("open", s.open()).field("inUse", s.inUse())
                .field("idle", s.idle()).field("waiting", s.waiting()).end();
        if (s.sharedPool() != null) {
            PoolStats p = s.sharedPool();
            j.name("shared").object().field("open", p.open()).field("inUse", p.inUse()).field("idle", p.idle())
                    .field("pending", p.pending()).field("acquired", p.acquired()).field("timeouts", p.acquireTimeouts())
                    .field("breaker", p.breakerState().name()).end();
        }
        List<TenantRow> rows = rows(s);
        j.field("tenantCount", rows.size()).name("tenants").array();
        for (TenantRow r : rows.subList(0, Math.min(TOP, rows.size()))) {
            row(j, r);
        }
        j.endArray();
        if (rows.size() > TOP) {
            List<TenantRow> rest = rows.subList(TOP, rows.size());
            j.name("others").object().field("tenants", rest.size())
                    .field("inUse", rest.stream().mapToInt(TenantRow::inUse).sum())
                    .field("open", rest.stream().mapToInt(r -> Math.max(0, r.open())).sum())
                    .field("idle", rest.stream().mapToInt(r -> Math.max(0, r.idle())).sum())
                    .field("pending", rest.stream().mapToInt(r -> Math.max(0, r.pending())).sum()).end();
        }
        return j.end().toString();
    }

    /** Every tenant that has borrowed something or has a pool of its own, busiest first. */
    static List<TenantRow> rows(TenantStats s) {
        Set<String> tenants = new HashSet<>(s.inUseByTenant().keySet());
        tenants.addAll(s.tenantPools().keySet());
        List<TenantRow> rows = new ArrayList<>(tenants.size());
        for (String t : tenants) {
            int inUse = s.inUseByTenant().getOrDefault(t, 0);
            PoolStats p = s.tenantPools().get(t);
            rows.add(p == null ? new TenantRow(t, inUse, -1, -1, -1, -1, -1, null)
                    : new TenantRow(t, Math.max(inUse, p.inUse()), p.open(), p.idle(), p.pending(), p.acquired(),
                            p.acquireTimeouts(), p.breakerState().name()));
        }
        rows.sort(BUSIEST_FIRST);
        return rows;
    }

    private static void row(Json j, TenantRow r) {
        j.object().field("tenant", r.tenant()).field("inUse", r.inUse());
        if (r.open() >= 0) {
            j.name("pool").object().field("open", r.open()).field("idle", r.idle()).field("pending", r.pending())
                    .field("acquired", r.acquired()).field("timeouts", r.timeouts()).field("breaker", r.breaker()).end();
        }
        j.end();
    }
}
