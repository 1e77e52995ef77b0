package dev.sluice.stub;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake database behind {@code jdbc:stub:<name>} URLs, with switches for the faults the pool must
 * survive and a {@link ServiceTime} hook for how long statements take. Each user (a test, a
 * simulated run) creates its own, so they never share state. The pool's tests and the sizing
 * simulator both run against it; the benchmarks keep a leaner stub of their own.
 */
public final class StubDatabase implements AutoCloseable {
    private static final Map<String, StubDatabase> BY_NAME = new ConcurrentHashMap<>();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final String name;
    public volatile long connectDelayMillis;
    /** Connect blocks until the thread is interrupted (a blackholed network with a driver ignoring timeouts). */
    public volatile boolean connectHangs;
    public volatile SQLException connectFailure;
    public volatile boolean invalid;
    /** Statements fail with this (e.g. SQLState 08006, connection broken). */
    public volatile SQLException executeFailure;
    /** Sleep inside executeQuery, to model a query's duration; see {@link #serviceTime} for a model instead. */
    public volatile long queryMillis;
    /** When set, decides each statement's duration instead of {@link #queryMillis}. */
    public volatile ServiceTime serviceTime;
    /**
     * Whether connections remember every statement they created ({@link StubConnection#statements}),
     * for tests that check what the pool closed. A long simulation turns it off: the list would
     * only grow.
     */
    public volatile boolean keepStatements = true;
    public final AtomicInteger connectAttempts = new AtomicInteger();
    public final AtomicInteger validations = new AtomicInteger();
    public final List<StubConnection> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peakRunning = new AtomicInteger();
    private final AtomicLong executions = new AtomicLong();

    /** How long a statement takes, decided when it starts. */
    @FunctionalInterface
    public interface ServiceTime {
        /** The duration of a statement that starts while {@code running} statements (itself included) execute. */
        long nanos(int running);
    }

    private StubDatabase(String name) {
        this.name = name;
    }

    /** A fresh database with a unique name. */
    public static StubDatabase create() {
        StubDriver.register();
        String name = "db" + SEQUENCE.incrementAndGet();
        StubDatabase db = new StubDatabase(name);
        BY_NAME.put(name, db);
        return db;
    }

    static StubDatabase named(String name) {
        return BY_NAME.get(name);
    }

    public String url() {
        return "jdbc:stub:" + name;
    }

    public long openConnections() {
        return connections.stream().filter(c -> !c.closed).count();
    }

    public long abortedConnections() {
        return connections.stream().filter(c -> c.aborted).count();
    }

    /** Statements executing now. */
    public int running() {
        return running.get();
    }

    /** The most statements that ever executed at once. */
    public int peakRunning() {
        return peakRunning.get();
    }

    /** Statements admitted to execute (those refused by {@link #executeFailure} not counted). */
    public long executions() {
        return executions.get();
    }

    /** Admits a statement: counts it as running and returns its duration. Pair with {@link #endStatement()}. */
    long beginStatement() {
        int n = running.incrementAndGet();
        peakRunning.accumulateAndGet(n, Math::max);
        executions.incrementAndGet();
        ServiceTime model = serviceTime;
        return model != null ? model.nanos(n) : TimeUnit.MILLISECONDS.toNanos(queryMillis);
    }

    void endStatement() {
        running.decrementAndGet();
    }

    /** Makes {@link #url()} unknown to the driver from now on. */
    @Override
    public void close() {
        BY_NAME.remove(name, this);
    }

    @Override
    public String toString() {
        return "StubDatabase[" + url() + "]";
    }
}
