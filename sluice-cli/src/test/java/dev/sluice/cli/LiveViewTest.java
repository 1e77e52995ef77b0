package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.CloseReason;
import dev.sluice.LatencySummary;
import dev.sluice.PoolStats;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveViewTest {
    private final LoadShape shape = new LoadShape(8, 4, Duration.ofSeconds(20));
    private final StringWriter text = new StringWriter();

    @Test
    void ansiRedrawsTheSameLinesInPlace() {
        LiveView view = new LiveView(new PrintWriter(text), LiveView.Style.ANSI, shape);

        view.update(Duration.ofSeconds(1), stats(2, 0), work(1000));
        String first = text.toString();
        view.update(Duration.ofSeconds(2), stats(6, 20), work(3000));
        String second = text.toString().substring(first.length());

        long lines = first.chars().filter(c -> c == '\n').count();
        assertThat(first).doesNotContain("\u001b[" + lines + "F");
        assertThat(second).startsWith("\u001b[" + lines + "F").contains("pending 20");
        assertThat(second.chars().filter(c -> c == '\n').count()).isEqualTo(lines);
    }

    @Test
    void plainPrintsOneSelfContainedLinePerUpdate() {
        LiveView view = new LiveView(new PrintWriter(text), LiveView.Style.PLAIN, shape);

        view.update(Duration.ofSeconds(1), stats(2, 0), work(1000));
        view.update(Duration.ofSeconds(9), stats(6, 20), work(3000));

        assertThat(text.toString().lines()).containsExactly(
                "t=1s phase=steady threads=8 inUse=2 idle=4 pending=0 waits=7 acquireP50=0s acquireP99=12ms holdP99=0s(sampled)"
                        + " created=6 closed=1{MAX_LIFETIME=1} breaker=CLOSED ops/s=1000 errors=0",
                "t=9s phase=burst threads=32 inUse=6 idle=0 pending=20 waits=7 acquireP50=0s acquireP99=12ms holdP99=0s(sampled)"
                        + " created=6 closed=1{MAX_LIFETIME=1} breaker=CLOSED ops/s=250 errors=0");
    }

    @Test
    void holdLatencyIsMarkedSampledWhenFewerBorrowsWereTimedThanReturned() {
        LiveView view = new LiveView(new PrintWriter(text), LiveView.Style.ANSI, shape);

        view.update(Duration.ofSeconds(1), stats(2, 0), work(1000));

        assertThat(text.toString()).containsPattern("hold +p50 0s +p99 0s +max 0s +\\(sampled: 0 of 98 borrows timed\\)");
        assertThat(text.toString()).contains("acquire   p50 0s");
    }

    private static PoolStats stats(int inUse, int pending) {
        LatencySummary acquire = new LatencySummary(100, Duration.ofMillis(1), Duration.ZERO, Duration.ofMillis(5),
                Duration.ofMillis(12), Duration.ofMillis(20));
        return PoolStats.builder().poolName("demo").maximumPoolSize(6).minimumIdle(2).open(6).inUse(inUse)
                .idle(6 - inUse).pending(pending).acquired(100).waitCount(7).waitTime(Duration.ofMillis(40)).created(6)
                .closed(1).closedByReason(Map.of(CloseReason.MAX_LIFETIME, 1L)).acquireLatency(acquire).build();
    }

    private static WorkloadCounters.Snapshot work(long reads) {
        return new WorkloadCounters.Snapshot(Map.of(WorkloadCounters.Kind.READ, reads), Map.of(), Map.of());
    }
}
