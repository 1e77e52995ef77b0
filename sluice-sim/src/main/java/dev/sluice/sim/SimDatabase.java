package dev.sluice.sim;

import dev.sluice.stub.StubDatabase;
import java.time.Duration;

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
 * <p>The model is a {@link StubDatabase.ServiceTime} on the stub database the pool's own tests use,
 * which spends the service time parked, not spinning: the simulated server costs the simulating
 * machine almost no CPU, so the pool under test and the load generator keep the real cores.
 *
 * <p>Reached at {@link #url()}; {@link #close()} makes the URL unknown again.
 */
public final class SimDatabase implements AutoCloseable {
    private final String name;
    private final int cores;
    private final long baseNanos;
    private final long connectNanos;
    private final StubDatabase stub;
    /** Set by the load profile while a run goes on; read once per statement. */
    private volatile double slowdown = 1.0;

    private SimDatabase(String name, int cores, Duration base, Duration connect) {
        this.name = name;
        this.cores = cores;
        this.baseNanos = base.toNanos();
        this.connectNanos = connect.toNanos();
        this.stub = StubDatabase.create();
        stub.keepStatements = false; // a run creates a statement per borrow: the list would only grow
        stub.connectDelayMillis = connect.toMillis();
        stub.serviceTime = this::serviceNanos;
    }

    /** A new stand-in, reachable at {@link #url()} until closed; {@code name} is for reports. */
    public static SimDatabase create(String name, int cores, Duration base, Duration connect) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores=" + cores + " must be at least 1");
        }
        if (base.isNegative() || connect.isNegative()) {
            throw new IllegalArgumentException("base=" + base + " and connect=" + connect + " must not be negative");
        }
        return new SimDatabase(name, cores, base, connect);
    }

    public String url() {
        return stub.url();
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

    /** The service time of a statement that starts now, with {@code running} executing (itself included). */
    long serviceNanos(int running) {
        return serviceNanos(baseNanos, slowdown, cores, running);
    }

    /** Statements executing now. */
    public int running() {
        return stub.running();
    }

    /** The most statements that ever executed at once. */
    public int peakRunning() {
        return stub.peakRunning();
    }

    /** Sessions open now, as the server would count them. */
    public int openConnections() {
        return (int) stub.openConnections();
    }

    public long executions() {
        return stub.executions();
    }

    public long connects() {
        return stub.connectAttempts.get();
    }

    @Override
    public void close() {
        stub.close();
    }

    @Override
    public String toString() {
        return "SimDatabase[" + name + ", cores=" + cores + ", base=" + baseNanos / 1e6 + "ms, connect=" + connectNanos / 1e6
                + "ms, slowdown=" + slowdown + "]";
    }
}
