package dev.sluice.it.scenario;

import dev.sluice.Deadline;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * A closed-loop load: {@code threads} threads each repeat one request — borrow a connection, run
 * {@code select 1}, return it — and record every request's start, the moment {@code getConnection}
 * returned or failed, its end and its outcome, on the monotonic clock.
 *
 * <p>With a request deadline, each request runs inside a scoped {@link Deadline} of that length: the
 * deadline an application sets per request. Sluice bounds the borrow by it and applies it to the
 * borrowed connection's network timeout; another pool simply does not know about it, which is the
 * point of comparing them.
 *
 * <p>After a failed request a thread pauses {@code pauseAfterFailure} (a client that gets an error
 * does not retry in a hot loop), after a successful one {@code thinkTime}.
 */
final class Load {
    static final int OK = 0;
    static final int ACQUIRE_FAILED = 1;
    static final int QUERY_FAILED = 2;

    /** One request. Times are {@link System#nanoTime()}. */
    record Sample(long start, long acquired, long end, int outcome) {
        long acquireMillis() {
            return TimeUnit.NANOSECONDS.toMillis(acquired - start);
        }

        long totalMillis() {
            return TimeUnit.NANOSECONDS.toMillis(end - start);
        }
    }

    private final String name;
    private final DataSource ds;
    private final int threadCount;
    private final Duration requestDeadline;
    private final long thinkNanos;
    private final long pauseAfterFailureNanos;
    private final List<Worker> workers = new ArrayList<>();
    private final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    private volatile boolean running;

    Load(String name, DataSource ds, int threads, Duration requestDeadline, Duration thinkTime, Duration pauseAfterFailure) {
        this.name = name;
        this.ds = ds;
        this.threadCount = threads;
        this.requestDeadline = requestDeadline;
        this.thinkNanos = thinkTime.toNanos();
        this.pauseAfterFailureNanos = pauseAfterFailure.toNanos();
    }

    Load start() {
        running = true;
        for (int i = 0; i < threadCount; i++) {
            Worker w = new Worker();
            Thread t = new Thread(w, name + "-load-" + i);
            t.setDaemon(true);
            w.thread = t;
            workers.add(w);
            t.start();
        }
        return this;
    }

    /** Asks the threads to stop and waits up to {@code bound} for them; true if all ended. */
    boolean stop(Duration bound) throws InterruptedException {
        running = false;
        long until = System.nanoTime() + bound.toNanos();
        for (Worker w : workers) {
            long left = until - System.nanoTime();
            if (left > 0) {
                w.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return workers.stream().noneMatch(w -> w.thread.isAlive());
    }

    /** Every recorded request, all threads together (call after {@link #stop}). */
    List<Sample> samples() {
        List<Sample> all = new ArrayList<>();
        for (Worker w : workers) {
            synchronized (w) {
                all.addAll(w.samples);
            }
        }
        all.sort((a, b) -> Long.compare(a.start, b.start));
        return all;
    }

    /** Failures by kind: the pool's classified reason, else the exception type and SQLState. */
    java.util.Map<String, Long> failureKinds() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        failures.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    static String describe(SQLException e) {
        return SluiceFailure.reasonOf(e).map(Enum::name)
                .orElse(e.getClass().getSimpleName() + "(" + e.getSQLState() + ")");
    }

    private final class Worker implements Runnable {
        Thread thread;
        final List<Sample> samples = new ArrayList<>();

        @Override
        public void run() {
            while (running) {
                long start = System.nanoTime();
                long acquired = start;
                int outcome = ACQUIRE_FAILED;
                Deadline scope = requestDeadline == null ? null : Deadline.after(requestDeadline);
                try (Connection c = ds.getConnection()) {
                    acquired = System.nanoTime();
                    outcome = QUERY_FAILED;
                    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select 1")) {
                        r.next();
                    }
                    outcome = OK;
                } catch (SQLException | RuntimeException e) {
                    if (outcome == ACQUIRE_FAILED) {
                        acquired = System.nanoTime();
                    }
                    String kind = (outcome == ACQUIRE_FAILED ? "getConnection: " : "query: ")
                            + (e instanceof SQLException s ? describe(s) : e.getClass().getSimpleName());
                    failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
                } finally {
                    if (scope != null) {
                        scope.close();
                    }
                }
                long end = System.nanoTime();
                synchronized (this) {
                    samples.add(new Sample(start, acquired, end, outcome));
                }
                long pause = outcome == OK ? thinkNanos : pauseAfterFailureNanos;
                if (pause > 0) {
                    LockSupport.parkNanos(pause);
                }
            }
        }
    }
}
