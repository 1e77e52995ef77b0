package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualClockTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ManualClock clock = new ManualClock();
    private final long start = clock.read();
    /** What ran, as "name@millis since start". */
    private final List<String> ran = new ArrayList<>();

    private Runnable note(String name) {
        return () -> ran.add(name + "@" + (clock.read() - start) / MS);
    }

    @Test
    void timeMovesOnlyWhenAdvancedAndBothReadingsAgree() {
        assertThat(clock.read()).isEqualTo(start);
        clock.advance(Duration.ofMillis(1500));
        assertThat(clock.read() - start).isEqualTo(1500 * MS);
        assertThat(clock.coarse()).isEqualTo(clock.read());
        assertThat(clock.coarseLagNanos()).isZero();
        clock.advanceCoarse(clock.read() + 5 * MS);
        assertThat(clock.coarse()).as("a slow-path reading cannot move this clock").isEqualTo(start + 1500 * MS);
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCoarseLagKeepsTheCoarseReadingThatFarBehind() {
        ManualClock lagging = new ManualClock(Duration.ofMillis(20));
        lagging.advance(Duration.ofMillis(100));
        assertThat(lagging.read() - lagging.coarse()).isEqualTo(20 * MS);
        assertThat(lagging.coarseLagNanos()).isEqualTo(20 * MS);
        lagging.advanceCoarse(lagging.read());
        assertThat(lagging.read() - lagging.coarse()).isEqualTo(20 * MS);
    }

    @Test
    void dueTasksRunInTimeOrderEachAtItsOwnTime() {
        clock.schedule(note("c"), 30 * MS);
        clock.schedule(note("a"), 10 * MS);
        clock.schedule(note("b"), 20 * MS);
        clock.schedule(note("later"), 100 * MS);
        clock.advance(Duration.ofMillis(50));
        assertThat(ran).containsExactly("a@10", "b@20", "c@30");
        assertThat(clock.read() - start).isEqualTo(50 * MS);
        assertThat(clock.pending()).isEqualTo(1);
    }

    @Test
    void tasksDueAtTheSameTimeRunInTheOrderTheyWereScheduled() {
        for (String name : List.of("first", "second", "third")) {
            clock.schedule(note(name), 10 * MS);
        }
        clock.advance(Duration.ofMillis(10));
        assertThat(ran).containsExactly("first@10", "second@10", "third@10");
    }

    @Test
    void aPeriodicTaskIsReArmedAfterEachRunUntilCancelled() {
        ScheduledFuture<?> every = clock.scheduleEvery(note("tick"), 100 * MS);
        clock.advance(Duration.ofMillis(350));
        assertThat(ran).containsExactly("tick@100", "tick@200", "tick@300");
        assertThat(every.cancel(false)).isTrue();
        assertThat(every.isCancelled()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ran).hasSize(3);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void aTaskScheduledByATaskRunsInTheSameAdvanceIfItComesDueWithinIt() {
        clock.schedule(() -> {
            ran.add("outer@" + (clock.read() - start) / MS);
            clock.schedule(note("inner"), 5 * MS);
            clock.schedule(note("beyond"), 500 * MS);
        }, 10 * MS);
        clock.advance(Duration.ofMillis(100));
        assertThat(ran).containsExactly("outer@10", "inner@15");
        clock.advance(Duration.ofMillis(410));
        assertThat(ran).containsExactly("outer@10", "inner@15", "beyond@510");
    }

    @Test
    void aCancelledTaskNeverRunsAndAPastDueTimeRunsAtTheNextAdvance() {
        ScheduledFuture<?> cancelled = clock.schedule(note("cancelled"), 10 * MS);
        cancelled.cancel(false);
        clock.schedule(note("overdue"), -5 * MS);
        clock.advance(Duration.ZERO);
        assertThat(ran).containsExactly("overdue@0");
        assertThat(cancelled.isDone()).isTrue();
    }

    @Test
    void afterShutdownTasksAreRefusedAndPendingOnesDropped() {
        clock.schedule(note("dropped"), 10 * MS);
        clock.shutdown();
        assertThatThrownBy(() -> clock.schedule(note("refused"), 10 * MS)).isInstanceOf(RejectedExecutionException.class);
        assertThat(clock.tryOnce(note("refused"), 10 * MS)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ran).isEmpty();
    }
}
