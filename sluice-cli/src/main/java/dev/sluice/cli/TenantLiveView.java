package dev.sluice.cli;

import dev.sluice.TenantStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The once-a-second view of {@code sluice demo --tenants}: the budget (open, in use, idle,
 * waiting of the one pool all tenants share), the busiest tenants with the connections each holds,
 * served borrows per second, mix-ups and errors. Drawn like {@link LiveView}: in place on a
 * terminal, one line per second anywhere else.
 */
final class TenantLiveView {
    /** How many of the busiest tenants are shown: enough to see the Zipf head, short enough for one line. */
    static final int BUSIEST_SHOWN = 10;

    private final PrintWriter out;
    private final LiveView.Style style;
    private final LoadShape shape;
    private final TerminalFrame frame;
    private long previousChecked;
    private Duration previousAt = Duration.ZERO;

    TenantLiveView(PrintWriter out, LiveView.Style style, LoadShape shape) {
        this.out = out;
        this.style = style;
        this.shape = shape;
        this.frame = new TerminalFrame(out);
    }

    /** What the workload did so far. */
    record Progress(long checked, long mixUps, int peakOpen, WorkloadCounters.Snapshot work) {
    }

    void update(Duration elapsed, TenantStats budget, Progress progress) {
        double seconds = Math.max(1e-3, (elapsed.toNanos() - previousAt.toNanos()) / 1e9);
        double perSecond = (progress.checked() - previousChecked) / seconds;
        previousChecked = progress.checked();
        previousAt = elapsed;
        switch (style) {
            case ANSI -> frame.redraw(table(elapsed, budget, progress, perSecond));
            case PLAIN -> {
                out.println(line(elapsed, budget, progress, perSecond));
                out.flush();
            }
            case OFF -> { }
        }
    }

    private List<String> table(Duration elapsed, TenantStats b, Progress p, double perSecond) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "  time      %5s / %-5s %s  %s, %d threads",
                DurationText.seconds(elapsed), DurationText.seconds(shape.duration()), LiveView.progressBar(shape, elapsed),
                shape.phaseAt(elapsed).label(), shape.activeThreadsAt(elapsed)));
        lines.add(String.format(Locale.ROOT, "  budget    in use %-3d %s  idle %-3d waiting %-4d open %d/%d (max seen %d)",
                b.inUse(), LiveView.cells(b.globalMaximumPoolSize(), b.inUse(), b.idle()), b.idle(), b.waiting(), b.open(),
                b.globalMaximumPoolSize(), p.peakOpen()));
        lines.add("  busiest   " + busiest(b.inUseByTenant(), " ", ", "));
        lines.add(String.format(Locale.ROOT, "  borrows/s %,8.0f   checked %,d   mix-ups %,d   errors %s",
                perSecond, p.checked(), p.mixUps(), LiveView.errors(p.work())));
        return lines;
    }

    private String line(Duration elapsed, TenantStats b, Progress p, double perSecond) {
        return String.format(Locale.ROOT,
                "t=%s phase=%s threads=%d open=%d inUse=%d idle=%d waiting=%d maxOpen=%d borrows/s=%.0f checked=%d"
                        + " mixups=%d errors=%d busiest=%s",
                DurationText.seconds(elapsed), shape.phaseAt(elapsed).key(), shape.activeThreadsAt(elapsed), b.open(),
                b.inUse(), b.idle(), b.waiting(), p.peakOpen(), perSecond, p.checked(), p.mixUps(), p.work().errorCount(),
                busiest(b.inUseByTenant(), ":", ","));
    }

    /** The tenants holding the most connections now, most first (ties by id), e.g. {@code t1 3, t2 1}. */
    static String busiest(Map<String, Integer> inUseByTenant, String between, String separator) {
        if (inUseByTenant.isEmpty()) {
            return "-";
        }
        return inUseByTenant.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(BUSIEST_SHOWN)
                .map(e -> e.getKey() + between + e.getValue())
                .collect(Collectors.joining(separator));
    }
}
