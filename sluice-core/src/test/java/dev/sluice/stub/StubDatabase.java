package dev.sluice.stub;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake database behind {@code jdbc:stub:<name>} URLs, with switches for the faults the pool must
 * survive. Each test uses its own name, so tests never share state.
 */
public final class StubDatabase {
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
    /** Sleep inside executeQuery, to model a query's duration. */
    public volatile long queryMillis;
    public final AtomicInteger connectAttempts = new AtomicInteger();
    public final AtomicInteger validations = new AtomicInteger();
    public final List<StubConnection> connections = new CopyOnWriteArrayList<>();

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
}
