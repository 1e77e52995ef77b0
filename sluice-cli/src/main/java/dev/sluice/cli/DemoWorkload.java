package dev.sluice.cli;

import dev.sluice.cli.WorkloadCounters.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * The demo's traffic: worker threads that each behave like a request handler of a small shop.
 *
 * <ul>
 *   <li>Most requests are short reads: one account by primary key. They hold a connection for
 *       well under a millisecond.</li>
 *   <li>Some are transfers: two balance updates (in id order, so two transfers never deadlock),
 *       a pause while still holding the connection, as an application calling another service
 *       mid-transaction would, then an order insert and a commit. These are what keep
 *       connections busy.</li>
 *   <li>Between requests a worker pauses briefly without a connection, so the steady load leaves
 *       the pool some slack and only the burst makes callers queue.</li>
 * </ul>
 *
 * Every worker thread exists from the start; the {@link LoadShape} decides which are active, so
 * the burst starts and ends at once rather than as threads are created.
 */
final class DemoWorkload {
    /** Percentage of requests that are transfers. */
    private static final int TRANSFER_PERCENT = 10;
    private static final long PAUSE_MIN_MICROS = 1_000;
    private static final long PAUSE_MAX_MICROS = 3_000;
    private static final long IN_TRANSACTION_MIN_MICROS = 5_000;
    private static final long IN_TRANSACTION_MAX_MICROS = 15_000;
    /** After a failure a worker backs off, so a database that is down is not hammered in a tight loop. */
    private static final long AFTER_FAILURE_MICROS = 50_000;
    private static final long INACTIVE_POLL_MICROS = 10_000;

    private final DataSource dataSource;
    private final DemoSchema schema;
    private final LoadShape shape;
    private final WorkloadCounters counters;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;
    private long startNanos;

    DemoWorkload(DataSource dataSource, DemoSchema schema, LoadShape shape, WorkloadCounters counters) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.shape = shape;
        this.counters = counters;
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
                if (random.nextInt(100) < TRANSFER_PERCENT) {
                    transfer(random);
                    counters.completed(Kind.TRANSFER);
                } else {
                    read(random);
                    counters.completed(Kind.READ);
                }
                pauseMicros(random.nextLong(PAUSE_MIN_MICROS, PAUSE_MAX_MICROS + 1));
            } catch (SQLException | RuntimeException e) {
                counters.failed(e);
                pauseMicros(AFTER_FAILURE_MICROS);
            }
        }
    }

    private void read(ThreadLocalRandom random) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(DemoSchema.READ_ACCOUNT)) {
            ps.setLong(1, randomAccount(random));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rs.getLong(3);
                }
            }
        }
    }

    private void transfer(ThreadLocalRandom random) throws SQLException {
        long from = randomAccount(random);
        long to = randomAccount(random);
        if (from == to) {
            to = from == schema.accountCount() ? 1 : from + 1;
        }
        long amount = 1 + random.nextLong(10_000);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement adjust = c.prepareStatement(DemoSchema.ADJUST_BALANCE)) {
                    long first = Math.min(from, to);
                    long second = Math.max(from, to);
                    adjust(adjust, first, first == from ? -amount : amount);
                    adjust(adjust, second, second == from ? -amount : amount);
                }
                pauseMicros(random.nextLong(IN_TRANSACTION_MIN_MICROS, IN_TRANSACTION_MAX_MICROS + 1));
                try (PreparedStatement order = c.prepareStatement(DemoSchema.INSERT_ORDER)) {
                    order.setLong(1, schema.nextOrderId());
                    order.setLong(2, from);
                    order.setLong(3, amount);
                    order.setLong(4, System.currentTimeMillis());
                    order.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException alsoFailed) {
                    e.addSuppressed(alsoFailed); // the first failure is the one worth counting
                }
                throw e;
            }
        }
    }

    private static void adjust(PreparedStatement ps, long account, long deltaCents) throws SQLException {
        ps.setLong(1, deltaCents);
        ps.setLong(2, account);
        ps.executeUpdate();
    }

    private long randomAccount(ThreadLocalRandom random) {
        return 1 + random.nextLong(schema.accountCount());
    }

    private static void pauseMicros(long micros) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
    }
}
