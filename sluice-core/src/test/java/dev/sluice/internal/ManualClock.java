package dev.sluice.internal;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock that moves only when a test says so, and the scheduler that goes with it: give one to a
 * {@link Pool} as both its {@link Ticker} and its {@link Scheduler}, and its housekeeping,
 * lifetimes, leak checks and backoffs happen inside {@link #advance}, on the test's thread, in
 * the order their times come.
 *
 * <p>The coarse reading is the precise one, so a test sees the knobs' exact boundaries; or, built
 * with a lag, it trails the precise one by that whole lag, the worst the pool must allow for.
 * What still runs on real time: connect attempts run on the pool's own threads, and a thread that
 * parks until a deadline (a caller waiting for a connection, close waiting for borrowed ones)
 * measures that deadline on this clock, so it waits until the test has moved the clock past it.
 *
 * <p>Thread-safe: the pool's threads schedule tasks and read the time while the test advances it.
 */
final class ManualClock implements Ticker, Scheduler {
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final long coarseLagNanos;
    /** Starts far from zero, as System.nanoTime does, so code that mistakes 0 for "never" is caught. */
    private volatile long now = TimeUnit.DAYS.toNanos(365);
    private long sequence;
    private boolean shutDown;

    ManualClock() {
        this(Duration.ZERO);
    }

    /** A clock whose coarse reading is always {@code coarseLag} behind its precise one. */
    ManualClock(Duration coarseLag) {
        this.coarseLagNanos = coarseLag.toNanos();
    }

    @Override
    public long read() {
        return now;
    }

    @Override
    public long coarse() {
        return now - coarseLagNanos;
    }

    @Override
    public long coarseLagNanos(long coarseReading) {
        return coarseLagNanos;
    }

    @Override
    public long coarseLagNanos() {
        return coarseLagNanos;
    }

    @Override
    public void limitCoarseLag(long nanos) {
        // the lag is fixed: the worst case a test chose
    }

    @Override
    public void advanceCoarse(long reading) {
        // the coarse reading keeps its fixed lag: the worst case, which no slow-path reading improves
    }

    /**
     * Moves time forward by {@code d}, running every task that comes due on the way, each at its
     * own time (the clock reads its due time while it runs), in time order, on this thread. A
     * periodic task is re-armed one period after its run; a task scheduled by a task runs in the
     * same call if it comes due within it.
     */
    void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: " + d);
        }
        long target = now + d.toNanos();
        for (;;) {
            Task due;
            synchronized (this) {
                Task head = queue.peek();
                if (head == null || head.dueNanos - target > 0) {
                    now = target;
                    return;
                }
                due = queue.poll();
                if (due.dueNanos - now > 0) {
                    now = due.dueNanos;
                }
            }
            if (!due.cancelled) {
                due.run();
            }
        }
    }

    /** Tasks scheduled and not yet run or cancelled. */
    synchronized int pending() {
        int n = 0;
        for (Task t : queue) {
            if (!t.cancelled) {
                n++;
            }
        }
        return n;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return add(task, delayNanos, 0);
    }

    @Override
    public ScheduledFuture<?> scheduleEvery(Runnable task, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodNanos + "ns");
        }
        return add(task, periodNanos, periodNanos);
    }

    @Override
    public synchronized void shutdown() {
        shutDown = true;
        queue.forEach(t -> t.cancelled = true);
        queue.clear();
    }

    private synchronized Task add(Runnable task, long delayNanos, long periodNanos) {
        if (shutDown) {
            throw new RejectedExecutionException("the manual clock's scheduler is shut down");
        }
        Task t = new Task(task, now + Math.max(0, delayNanos), periodNanos, sequence++);
        queue.add(t);
        return t;
    }

    private synchronized void rearm(Task t) {
        if (!shutDown && !t.cancelled) {
            t.dueNanos = now + t.periodNanos;
            t.sequence = sequence++;
            queue.add(t);
        }
    }

    /** One scheduled run; ties in time run in the order they were scheduled. */
    private final class Task implements ScheduledFuture<Object> {
        final Runnable body;
        final long periodNanos;
        long dueNanos;
        long sequence;
        volatile boolean cancelled;
        volatile boolean done;

        Task(Runnable body, long dueNanos, long periodNanos, long sequence) {
            this.body = body;
            this.dueNanos = dueNanos;
            this.periodNanos = periodNanos;
            this.sequence = sequence;
        }

        void run() {
            body.run();
            if (periodNanos > 0) {
                rearm(this);
            } else {
                done = true;
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (done || cancelled) {
                return false;
            }
            cancelled = true;
            synchronized (ManualClock.this) {
                queue.remove(this);
            }
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("a manual clock's task is not waited for");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return get();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof Task t) {
                int byTime = Long.compare(dueNanos - t.dueNanos, 0);
                return byTime != 0 ? byTime : Long.compare(sequence, t.sequence);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
