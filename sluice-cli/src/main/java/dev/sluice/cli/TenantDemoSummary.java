package dev.sluice.cli;

import dev.sluice.PoolStats;
import dev.sluice.TenantStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The report printed when {@code sluice demo --tenants} ends: the borrows checked, the mix-ups
 * (must be 0), failures by cause, and whether the budget held. Its labels are stable
 * ({@code checked borrows}, {@code mix-ups}, {@code max open seen}) because scripts and tests read them.
 */
final class TenantDemoSummary {
    private final ConnectionTarget target;
    private final LoadShape shape;
    private final int tenants;

    TenantDemoSummary(ConnectionTarget target, LoadShape shape, int tenants) {
        this.target = target;
        this.shape = shape;
        this.tenants = tenants;
    }

    void print(PrintWriter out, Duration ran, boolean interrupted, TenantStats budget, int peakOpen,
            TenantLiveView.Progress done) {
        double seconds = Math.max(1e-3, ran.toNanos() / 1e9);
        PoolStats shared = budget.sharedPool();
        out.println();
        out.printf(Locale.ROOT, "Summary: %s%s on %s, %,d tenants (a schema each, Zipf s=%s)%n", DurationText.format(ran),
                interrupted ? " of " + DurationText.format(shape.duration()) + " (interrupted)" : "", target.description(),
                tenants, TenantRequest.ZIPF_S);
        out.printf(Locale.ROOT, "  checked borrows  %,d  (%,.0f/s)%n", done.checked(), done.checked() / seconds);
        out.printf(Locale.ROOT, "  mix-ups          %,d%n", done.mixUps());
        out.printf(Locale.ROOT, "  errors           %,d%n", done.work().errorCount());
        for (Map.Entry<String, Long> e : done.work().errors().entrySet()) {
            String first = target.redact(done.work().firstMessages().get(e.getKey()));
            out.printf(Locale.ROOT, "    %-17s %,d  first: %s%n", e.getKey(), e.getValue(), first);
        }
        out.printf(Locale.ROOT, "  budget           max open seen %d of %d; %d per tenant; %d threads%n", peakOpen,
                budget.globalMaximumPoolSize(), tenantLimit(budget.globalMaximumPoolSize()), shape.peakThreads());
        if (shared != null) {
            out.printf(Locale.ROOT, "  waits            %,d borrows had to wait, %s in all; %,d of them timed out%n",
                    shared.waitCount(), DurationText.format(shared.waitTime()), shared.acquireTimeouts());
        }
        out.flush();
    }

    /** The per-tenant limit the demo sets: half the budget, so the busiest tenant is seen waiting for its own slots. */
    static int tenantLimit(int budget) {
        return Math.max(1, budget / 2);
    }
}
