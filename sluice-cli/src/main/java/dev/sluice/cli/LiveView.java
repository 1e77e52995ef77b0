package dev.sluice.cli;

import dev.sluice.CloseReason;
import dev.sluice.PoolStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The once-a-second view of the pool while the demo runs. On a terminal it is a compact table
 * redrawn in place ({@link TerminalFrame}); anywhere else, one self-contained line per second,
 * which reads well in CI logs and greps well later. Rates are per interval; pool counters are
 * totals since the pool started.
 */
final class LiveView {
    /** How the view is drawn. */
    enum Style {
        /** Redrawn in place with ANSI escapes. */
        ANSI,
        /** One plain line per update. */
        PLAIN,
        /** Nothing until the summary. */
        OFF
    }

    private static final int BAR_WIDTH = 20;

    private final PrintWriter out;
    private final Style style;
    private final LoadShape shape;
    private final TerminalFrame frame;
    private WorkloadCounters.Snapshot previous;
    private Duration previousAt = Duration.ZERO;

    LiveView(PrintWriter out, Style style, LoadShape shape) {
        this.out = out;
        this.style = style;
        this.shape = shape;
        this.frame = new TerminalFrame(out);
    }

    /** Draws the state at {@code elapsed} into the run. */
    void update(Duration elapsed, PoolStats pool, WorkloadCounters.Snapshot work) {
        double seconds = Math.max(1e-3, (elapsed.toNanos() - previousAt.toNanos()) / 1e9);
        long ops = work.operations() - (previous == null ? 0 : previous.operations());
        long reads = work.completed(WorkloadCounters.Kind.READ)
                - (previous == null ? 0 : previous.completed(WorkloadCounters.Kind.READ));
        Rates rates = new Rates(ops / seconds, reads / seconds, (ops - reads) / seconds);
        previous = work;
        previousAt = elapsed;
        switch (style) {
            case ANSI -> frame.redraw(table(elapsed, pool, work, rates));
            case PLAIN -> {
                out.println(line(elapsed, pool, work, rates));
                out.flush();
            }
            case OFF -> { }
        }
    }

    private record Rates(double opsPerSecond, double readsPerSecond, double transfersPerSecond) {
    }

    private List<String> table(Duration elapsed, PoolStats p, WorkloadCounters.Snapshot work, Rates rates) {
        List<String> lines = new ArrayList<>();
        LoadShape.Phase phase = shape.phaseAt(elapsed);
        lines.add(String.format(Locale.ROOT, "  time      %5s / %-5s %s  %s, %d threads",
                DurationText.seconds(elapsed), DurationText.seconds(shape.duration()), progressBar(shape, elapsed),
                phase.label(), shape.activeThreadsAt(elapsed)));
        lines.add(String.format(Locale.ROOT, "  pool      in use %s  idle %-3d pending %-4d open %d/%d  creating %d",
                usageBar(p), p.idle(), p.pending(), p.open(), p.maximumPoolSize(), p.creating()));
        lines.add(String.format(Locale.ROOT, "  waits     %,d callers waited, %s in all   timeouts %,d",
                p.waitCount(), DurationText.format(p.waitTime()), p.acquireTimeouts()));
        lines.add(String.format(Locale.ROOT, "  acquire   p50 %-8s p99 %-8s max %s",
                DurationText.format(p.acquireLatency().p50()), DurationText.format(p.acquireLatency().p99()),
                DurationText.format(p.acquireLatency().max())));
        lines.add(String.format(Locale.ROOT, "  hold      p50 %-8s p99 %-8s max %-8s %s",
                DurationText.format(p.holdLatency().p50()), DurationText.format(p.holdLatency().p99()),
                DurationText.format(p.holdLatency().max()), holdSampling(p)).stripTrailing());
        lines.add(String.format(Locale.ROOT, "  conns     created %,d   closed %s   breaker %s", p.created(), closedByReason(p),
                p.breakerState()));
        lines.add(String.format(Locale.ROOT, "  ops/s     %,8.0f   reads %,.0f   transfers %,.0f   (%,d in all)",
                rates.opsPerSecond(), rates.readsPerSecond(), rates.transfersPerSecond(), work.operations()));
        lines.add(String.format(Locale.ROOT, "  errors    %s", errors(work)));
        return lines;
    }

    private String line(Duration elapsed, PoolStats p, WorkloadCounters.Snapshot work, Rates rates) {
        return String.format(Locale.ROOT,
                "t=%s phase=%s threads=%d inUse=%d idle=%d pending=%d waits=%d acquireP50=%s acquireP99=%s"
                        + " holdP99=%s%s created=%d closed=%s breaker=%s ops/s=%.0f errors=%d",
                DurationText.seconds(elapsed), shape.phaseAt(elapsed).key(),
                shape.activeThreadsAt(elapsed), p.inUse(), p.idle(), p.pending(), p.waitCount(),
                DurationText.format(p.acquireLatency().p50()), DurationText.format(p.acquireLatency().p99()),
                DurationText.format(p.holdLatency().p99()), holdSampled(p) ? "(sampled)" : "",
                p.created(), closedByReasonCompact(p), p.breakerState(), rates.opsPerSecond(), work.errorCount());
    }

    /**
     * Whether the hold figures come from a sample. The pool times every borrow only when leak
     * detection, {@code abandonTimeout}, a listener or adaptive sizing needs it, and otherwise one
     * borrow in sixteen per connection; the demo reads which from the counts rather than
     * restating the pool's rule, so the label stays right if the rule changes.
     */
    static boolean holdSampled(PoolStats p) {
        long returned = p.acquired() - p.inUse();
        return returned > 0 && p.holdLatency().count() * 2 < returned;
    }

    static String holdSampling(PoolStats p) {
        return holdSampled(p) ? String.format(Locale.ROOT, "(sampled: %,d of %,d borrows timed)",
                p.holdLatency().count(), p.acquired() - p.inUse()) : "";
    }

    /** The run's progress, with the burst window marked so the viewer knows what is coming. */
    static String progressBar(LoadShape shape, Duration elapsed) {
        long total = Math.max(1, shape.duration().toNanos());
        int filled = (int) Math.min(BAR_WIDTH, elapsed.toNanos() * BAR_WIDTH / total);
        StringBuilder b = new StringBuilder(BAR_WIDTH);
        for (int i = 0; i < BAR_WIDTH; i++) {
            Duration at = shape.duration().multipliedBy(i).dividedBy(BAR_WIDTH);
            boolean burst = shape.phaseAt(at) == LoadShape.Phase.BURST;
            // The burst window is marked on the bar so the viewer knows what is coming.
            b.append(i < filled ? (burst ? '▓' : '█') : (burst ? '▒' : '░'));
        }
        return b.toString();
    }

    /** One cell per connection the pool may open: in use, idle, or not open. */
    private static String usageBar(PoolStats p) {
        return String.format(Locale.ROOT, "%-3d %s ", p.inUse(), cells(p.maximumPoolSize(), p.inUse(), p.idle()));
    }

    /** One cell per connection that may be open (at most 16): in use, idle, or not open. */
    static String cells(int maximum, int inUse, int idle) {
        int cells = Math.min(maximum, 16);
        int used = Math.min(cells, inUse);
        int ready = Math.min(cells - used, idle);
        return "■".repeat(used) + "□".repeat(ready) + "·".repeat(cells - used - ready);
    }

    static String closedByReason(PoolStats p) {
        if (p.closed() == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%,d (%s)", p.closed(), reasons(p.closedByReason(), ", ", " "));
    }

    private static String closedByReasonCompact(PoolStats p) {
        return p.closed() == 0 ? "0" : p.closed() + "{" + reasons(p.closedByReason(), ",", "=") + "}";
    }

    private static String reasons(Map<CloseReason, Long> byReason, String separator, String between) {
        return byReason.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().name() + between + e.getValue())
                .collect(Collectors.joining(separator));
    }

    static String errors(WorkloadCounters.Snapshot work) {
        if (work.errorCount() == 0) {
            return "0";
        }
        return String.format(Locale.ROOT, "%,d (%s)", work.errorCount(), work.errors().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
    }
}
