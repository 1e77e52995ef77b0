package dev.sluice.cli;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The demo's traffic: worker threads that each behave like a request handler, serving one
 * {@link Request} after another with a brief pause without a connection in between, so the
 * steady load leaves the pool some slack and only the burst makes callers queue. What a request
 * does is the {@link Request}'s business: the shop's reads and transfers ({@link ShopRequest}) or
 * a tenant's checked borrow ({@link TenantRequest}).
 *
 * Every worker thread exists from the start; the {@link LoadShape} decides which are active, so
 * the burst starts and ends at once rather than as threads are created.
 */
final class DemoWorkload {
    /** One request of a worker; a failure is counted by cause and the worker backs off. */
    @FunctionalInterface
    interface Request {
        void serve(ThreadLocalRandom random) throws SQLException;
    }

    private static final long PAUSE_MIN_MICROS = 1_000;
    private static final long PAUSE_MAX_MICROS = 3_000;
    /** After a failure a worker backs off, so a database that is down is not hammered in a tight loop. */
    private static final long AFTER_FAILURE_MICROS = 50_000;
    private static final long INACTIVE_POLL_MICROS = 10_000;

    private final LoadShape shape;
    private final WorkloadCounters counters;
    private final Request request;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    private long startNanos;

    DemoWorkload(LoadShape shape, WorkloadCounters counters, Request request) {
        this.shape = shape;
        this.counters = counters;
        this.request = request;
    }

    /** Starts the workers; the shape's clock starts now. */
    void start() {
        startNanos = System.nanoTime();
        running = true;
        for (int i = 0; i < shape.peakThreads(); i++) {
            int index = i;
            Thread t = new Thread(() -> work(index), "sluice-demo-worker-" + i);
            // A worker must never keep the JVM alive, even if the command fails before stop().
            t.setDaemon(true);
            workers.add(t);
            t.start();
        }
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Asks the workers to finish their current request and end. Idempotent, callable from any thread. */
    void stop() {
        running = false;
        stopped.countDown();
    }

    /** Waits up to {@code timeout} for {@link #stop()}; returns whether it was called. */
    boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Waits for the workers to end, at most {@code timeout} in all. */
    void join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : workers) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
    }

    private void work(int index) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (running) {
            if (index >= shape.activeThreadsAt(elapsed())) {
                pauseMicros(INACTIVE_POLL_MICROS);
                continue;
            }
            try {
                request.serve(random);
                pauseMicros(random.nextLong(PAUSE_MIN_MICROS, PAUSE_MAX_MICROS + 1));
            } catch (SQLException | RuntimeException e) {
                counters.failed(e);
                pauseMicros(AFTER_FAILURE_MICROS);
            }
        }
    }

    static void pauseMicros(long micros) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
    }
}
