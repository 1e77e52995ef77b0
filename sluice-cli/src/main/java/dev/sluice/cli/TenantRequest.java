package dev.sluice.cli;

import dev.sluice.TenantDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One request of a tenant of {@code sluice demo --tenants}: a tenant drawn from a Zipf
 * distribution, a borrow for it, its marker read and compared with the tenant asked for (a
 * different row is a mix-up: a connection pointing at another tenant's schema), and the
 * connection held a little, as a request doing real work would, so the busiest tenants are seen
 * holding several at once.
 */
final class TenantRequest implements DemoWorkload.Request {
    /** Zipf's exponent: slightly above 1, the usual fit for how traffic spreads over customers. */
    static final double ZIPF_S = 1.1;
    private static final long HOLD_MIN_MICROS = 500;
    private static final long HOLD_MAX_MICROS = 3_000;

    private final TenantDataSource tenants;
    private final List<String> ids;
    private final ZipfSampler zipf;
    private final LongAdder checked = new LongAdder();
    private final LongAdder mixUps = new LongAdder();

    TenantRequest(TenantDataSource tenants, List<String> ids) {
        this.tenants = tenants;
        this.ids = List.copyOf(ids);
        this.zipf = new ZipfSampler(ids.size(), ZIPF_S);
    }

    @Override
    public void serve(ThreadLocalRandom random) throws SQLException {
        String tenant = ids.get(zipf.sample(random));
        try (Connection c = tenants.getConnection(tenant);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(TenantSchemas.READ_MARKER)) {
            String seen = rs.next() ? rs.getString(1) : null;
            if (!tenant.equals(seen)) {
                mixUps.increment();
            }
            checked.increment();
            DemoWorkload.pauseMicros(random.nextLong(HOLD_MIN_MICROS, HOLD_MAX_MICROS + 1));
        }
    }

    /** Borrows whose marker was read. */
    long checked() {
        return checked.sum();
    }

    /** Borrows that reached another tenant's schema: must stay 0. */
    long mixUps() {
        return mixUps.sum();
    }

    /** The share of the borrows the busiest tenant gets. */
    double busiestShare() {
        return zipf.share(0);
    }
}
