package dev.sluice.cli;

import dev.sluice.LatencySummary;
import dev.sluice.PoolStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The report printed when the demo ends: what the workload got done, what failed and why, and
 * what the pool went through to serve it. The labels are stable ({@code operations},
 * {@code errors}, ...) because scripts and tests read them.
 */
final class DemoSummary {
    private final ConnectionTarget target;
    private final LoadShape shape;

    DemoSummary(ConnectionTarget target, LoadShape shape) {
        this.target = target;
        this.shape = shape;
    }

    void print(PrintWriter out, Duration ran, boolean interrupted, PoolStats p, WorkloadCounters.Snapshot work) {
        double seconds = Math.max(1e-3, ran.toNanos() / 1e9);
        out.println();
        out.printf(Locale.ROOT, "Summary: %s%s on %s%n", DurationText.format(ran),
                interrupted ? " of " + DurationText.format(shape.duration()) + " (interrupted)" : "", target.description());
        out.printf(Locale.ROOT, "  operations    %,d  (%,.0f/s)%n", work.operations(), work.operations() / seconds);
        for (WorkloadCounters.Kind kind : WorkloadCounters.Kind.values()) {
            out.printf(Locale.ROOT, "    %-11s %,d%n", kind.label(), work.completed(kind));
        }
        out.printf(Locale.ROOT, "  errors        %,d%n", work.errorCount());
        for (Map.Entry<String, Long> e : work.errors().entrySet()) {
            String first = target.redact(work.firstMessages().get(e.getKey()));
            out.printf(Locale.ROOT, "    %-17s %,d  first: %s%n", e.getKey(), e.getValue(), first);
        }
        out.printf(Locale.ROOT, "  acquire       %s%n", latency(p.acquireLatency()));
        out.printf(Locale.ROOT, "  hold          %s%n", (latency(p.holdLatency()) + "  " + LiveView.holdSampling(p)).strip());
        out.printf(Locale.ROOT, "  connect       %s%n", latency(p.createLatency()));
        out.printf(Locale.ROOT, "  waits         %,d borrows had to wait, %s in all; %,d of them timed out; %,d connections handed out%n",
                p.waitCount(), DurationText.format(p.waitTime()), p.acquireTimeouts(), p.acquired());
        out.printf(Locale.ROOT, "  connections   created %,d, closed %s, connect failures %,d, validation failures %,d%n",
                p.created(), LiveView.closedByReason(p), p.createFailures(), p.validationFailures());
        out.printf(Locale.ROOT, "  pool          %s: max %d, min idle %d; %d threads, %s%n",
                p.poolName(), p.maximumPoolSize(), p.minimumIdle(), shape.threads(), burst());
        if (p.lastConnectFailure() != null) {
            out.printf(Locale.ROOT, "  last connect failure  %s%n", p.lastConnectFailure());
        }
        out.flush();
    }

    private String burst() {
        if (!shape.hasBurst()) {
            return "no burst";
        }
        return String.format(Locale.ROOT, "burst of %d threads from %s to %s", shape.peakThreads(),
                DurationText.format(shape.burstStart()), DurationText.format(shape.burstEnd()));
    }

    private static String latency(LatencySummary s) {
        if (s.count() == 0) {
            return "none";
        }
        return String.format(Locale.ROOT, "n=%,d  mean %s  p50 %s  p90 %s  p99 %s  max %s", s.count(),
                DurationText.format(s.mean()), DurationText.format(s.p50()), DurationText.format(s.p90()),
                DurationText.format(s.p99()), DurationText.format(s.max()));
    }
}
