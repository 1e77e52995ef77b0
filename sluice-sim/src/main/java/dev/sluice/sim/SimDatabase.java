package dev.sluice.sim;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A database stand-in with a fixed number of "cores": the smallest model in which more
 * connections stop helping. Each statement's service time is decided when it starts,
 *
 * <pre>service = base × slowdown × max(1, executions running (itself included) / cores)</pre>
 *
 * a start-time approximation of a processor-sharing server: up to {@code cores} statements run at
 * full speed, beyond that they share the cores and all of them take longer. Throughput is capped
 * at {@code cores / (base × slowdown)} statements per second whatever the pool does, which is what
 * a saturated real server does and what the adaptive controller's freeze rule is about.
 *
 * <p>The service time is spent parked, not spinning: the simulated server costs the simulating
 * machine almost no CPU, so the pool under test and the load generator keep the real cores.
 *
 * <p>Reached through {@link SimDriver} at {@link #url()}; {@link #close()} unregisters it.
 */
public final class SimDatabase implements AutoCloseable {
    private static final ConcurrentMap<String, SimDatabase> REGISTRY = new ConcurrentHashMap<>();

    private final String name;
    private final int cores;
    private final long baseNanos;
    private final long connectNanos;
    /** Set by the load profile while a run goes on; read once per statement. */
    private volatile double slowdown = 1.0;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peakRunning = new AtomicInteger();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicLong executions = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();

    private SimDatabase(String name, int cores, Duration base, Duration connect) {
        this.name = name;
        this.cores = cores;
        this.baseNanos = base.toNanos();
        this.connectNanos = connect.toNanos();
    }

    /** A new stand-in, reachable at {@code jdbc:sim:<name>} until closed. */
    public static SimDatabase create(String name, int cores, Duration base, Duration connect) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores=" + cores + " must be at least 1");
        }
        if (base.isNegative() || connect.isNegative()) {
            throw new IllegalArgumentException("base=" + base + " and connect=" + connect + " must not be negative");
        }
        SimDatabase db = new SimDatabase(name, cores, base, connect);
        if (REGISTRY.putIfAbsent(name, db) != null) {
            throw new IllegalStateException("a simulated database named " + name + " exists already");
        }
        SimDriver.register();
        return db;
    }

    static SimDatabase named(String name) {
        return REGISTRY.get(name);
    }

    public String url() {
        return SimDriver.PREFIX + name;
    }

    public String name() {
        return name;
    }

    public int cores() {
        return cores;
    }

    /** Multiplies every statement's base service time from now on (1 = healthy). */
    public void slowdown(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("slowdown=" + factor + " must be positive");
        }
        this.slowdown = factor;
    }

    public double slowdown() {
        return slowdown;
    }

    /**
     * The model, pure: the service time of a statement that starts while {@code running}
     * statements (itself included) execute on {@code cores} cores.
     */
    static long serviceNanos(long baseNanos, double slowdown, int cores, int running) {
        double share = Math.max(1.0, (double) running / cores);
        return Math.round(baseNanos * slowdown * share);
    }

    /** Admits a statement: counts it as running and returns its service time. Pair with {@link #end()}. */
    long begin() {
        int n = running.incrementAndGet();
        peakRunning.accumulateAndGet(n, Math::max);
        executions.incrementAndGet();
        return serviceNanos(baseNanos, slowdown, cores, n);
    }

    void end() {
        running.decrementAndGet();
    }

    /** Executes one statement: holds the calling thread for its service time. */
    void execute() throws SQLException {
        long service = begin();
        try {
            park(service, "statement");
        } finally {
            end();
        }
    }

    /** Opens one session: takes the connect time. */
    void connect() throws SQLException {
        park(connectNanos, "connect");
        connects.incrementAndGet();
        openConnections.incrementAndGet();
    }

    void disconnect() {
        openConnections.decrementAndGet();
    }

    private static void park(long nanos, String what) throws SQLException {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new SQLException(what + " interrupted", "57014");
            }
        }
    }

    /** Statements executing now. */
    public int running() {
        return running.get();
    }

    /** The most statements that ever executed at once. */
    public int peakRunning() {
        return peakRunning.get();
    }

    /** Sessions open now, as the server would count them. */
    public int openConnections() {
        return openConnections.get();
    }

    public long executions() {
        return executions.get();
    }

    public long connects() {
        return connects.get();
    }

    @Override
    public void close() {
        REGISTRY.remove(name, this);
    }

    @Override
    public String toString() {
        return "SimDatabase[" + name + ", cores=" + cores + ", base=" + baseNanos / 1e6 + "ms, connect=" + connectNanos / 1e6
                + "ms, slowdown=" + slowdown + "]";
    }
}
