package dev.sluice.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every timed task of one pool goes through here: housekeeping and sizing ticks, lifetimes, the
 * fill backoff, the breaker probe, retirement turns and connect-attempt budgets. It is passed to
 * the pool and its parts, as Caffeine passes its {@code Scheduler}, so a test can run them on a
 * scheduler it drives; the pool's own is {@link #onThread}, one daemon thread per pool.
 *
 * <p>A task scheduled after {@link #shutdown} is refused: {@link #schedule} throws, as an
 * executor does, and {@link #tryOnce} says so, for the many tasks that are simply not needed once
 * the pool is closing.
 */
interface Scheduler {
    /** Runs {@code task} once, {@code delayNanos} from now. */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos) throws RejectedExecutionException;

    /** Runs {@code task} every {@code periodNanos}, the first time one period from now. */
    ScheduledFuture<?> scheduleEvery(Runnable task, long periodNanos) throws RejectedExecutionException;

    /** Refuses new tasks and drops those pending. */
    void shutdown();

    /** Runs {@code task} once, {@code delayNanos} from now; false if the scheduler is shut down and it never will. */
    default boolean tryOnce(Runnable task, long delayNanos) {
        try {
            schedule(task, Math.max(0, delayNanos));
            return true;
        } catch (RuntimeException rejected) {
            return false;
        }
    }

    /** One daemon thread named {@code threadName}; a cancelled task leaves its queue at once. */
    static Scheduler onThread(String threadName) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, PoolThreads.factory(threadName));
        executor.setRemoveOnCancelPolicy(true);
        return new Scheduler() {
            @Override
            public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
                return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public ScheduledFuture<?> scheduleEvery(Runnable task, long periodNanos) {
                return executor.scheduleWithFixedDelay(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void shutdown() {
                executor.shutdownNow();
            }
        };
    }
}
