package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.Test;

class PacedTaskTest {
    /** A scheduler the test drives: tasks run only when the test says so. */
    static final class ManualScheduler implements Scheduler {
        final List<Runnable> pending = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();
        boolean shutDown;

        @Override
        public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
            if (shutDown) {
                throw new RejectedExecutionException("shut down");
            }
            pending.add(task);
            delays.add(delayNanos);
            return null;
        }

        @Override
        public ScheduledFuture<?> scheduleEvery(Runnable task, long periodNanos) {
            return schedule(task, periodNanos);
        }

        @Override
        public void shutdown() {
            shutDown = true;
            pending.clear();
        }

        void runPending() {
            List<Runnable> due = new ArrayList<>(pending);
            pending.clear();
            due.forEach(Runnable::run);
        }
    }

    private final ManualScheduler scheduler = new ManualScheduler();
    private int runs;

    @Test
    void askingAgainWhileItWaitsSchedulesItOnce() {
        PacedTask task = new PacedTask(scheduler, () -> runs++);
        task.schedule(100);
        task.schedule(50);
        task.schedule(10);
        assertThat(scheduler.pending).hasSize(1);
        assertThat(scheduler.delays).containsExactly(100L);
        assertThat(task.isPending()).isTrue();
        scheduler.runPending();
        assertThat(runs).isEqualTo(1);
        assertThat(task.isPending()).isFalse();
    }

    @Test
    void aRequestMadeWhileItRunsIsNotLost() {
        PacedTask[] self = new PacedTask[1];
        self[0] = new PacedTask(scheduler, () -> {
            runs++;
            if (runs == 1) {
                self[0].schedule(10); // e.g. a fill that finds the pool still backing off
            }
        });
        self[0].schedule(10);
        scheduler.runPending();
        assertThat(scheduler.pending).as("scheduled again from inside its own run").hasSize(1);
        scheduler.runPending();
        assertThat(runs).isEqualTo(2);
    }

    @Test
    void aRefusedTaskIsNotLeftMarkedPending() {
        scheduler.shutdown();
        PacedTask task = new PacedTask(scheduler, () -> runs++);
        task.schedule(10);
        assertThat(task.isPending()).isFalse();
        assertThat(runs).isZero();
    }

    @Test
    void tryOnceSaysWhenTheSchedulerIsShutDown() {
        assertThat(scheduler.tryOnce(() -> runs++, -5)).isTrue();
        assertThat(scheduler.delays).as("a due time in the past runs now").containsExactly(0L);
        scheduler.shutdown();
        assertThat(scheduler.tryOnce(() -> runs++, 5)).isFalse();
    }
}
