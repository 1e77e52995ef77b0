package dev.sluice.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task that is pending at most once: asking for it again while it waits does nothing. The fill
 * after a connect backoff and the breaker's half-open probe are such tasks: every caller that
 * finds the pool backing off asks for the next fill, and one is enough.
 *
 * <p>The pending mark is cleared just before the task runs, so a request made while it runs
 * schedules it again rather than being lost.
 */
final class PacedTask {
    private final Scheduler scheduler;
    private final Runnable task;
    private final AtomicBoolean pending = new AtomicBoolean();

    PacedTask(Scheduler scheduler, Runnable task) {
        this.scheduler = scheduler;
        this.task = task;
    }

    boolean isPending() {
        return pending.get();
    }

    /** Runs the task {@code delayNanos} from now unless it is pending already, or the scheduler is shut down. */
    void schedule(long delayNanos) {
        if (pending.compareAndSet(false, true) && !scheduler.tryOnce(this::run, delayNanos)) {
            pending.set(false);
        }
    }

    private void run() {
        pending.set(false);
        task.run();
    }
}
