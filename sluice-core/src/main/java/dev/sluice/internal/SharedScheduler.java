package dev.sluice.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One pool's {@link Scheduler} on threads shared with other pools: a data source with a pool per
 * tenant would otherwise hold a housekeeper thread per tenant, a thousand threads for a thousand
 * tenants. Shutting the view down cancels this pool's tasks and refuses new ones, and leaves the
 * threads, which belong to whoever made them, running for the other pools.
 */
final class SharedScheduler implements Scheduler {
    /** Done one-shot tasks are dropped from {@link #mine} once it holds this many. */
    private static final int PURGE_AT = 64;
    private final ScheduledThreadPoolExecutor threads;
    private final Set<ScheduledFuture<?>> mine = ConcurrentHashMap.newKeySet();
    private volatile boolean shut;

    SharedScheduler(ScheduledThreadPoolExecutor threads) {
        this.threads = threads;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return track(threads.schedule(task, delayNanos, TimeUnit.NANOSECONDS));
    }

    @Override
    public ScheduledFuture<?> scheduleEvery(Runnable task, long periodNanos) {
        return track(threads.scheduleWithFixedDelay(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS));
    }

    private ScheduledFuture<?> track(ScheduledFuture<?> f) {
        if (shut) {
            f.cancel(false);
            throw new RejectedExecutionException("the pool is closed");
        }
        if (mine.size() >= PURGE_AT) {
            mine.removeIf(ScheduledFuture::isDone);
        }
        mine.add(f);
        if (shut) { // shutdown() ran between the check above and add: it may have missed this one
            f.cancel(false);
        }
        return f;
    }

    @Override
    public void shutdown() {
        shut = true;
        for (ScheduledFuture<?> f : mine) {
            f.cancel(false);
        }
        mine.clear();
    }
}
