package dev.sluice.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.ToLongFunction;

/**
 * The runtime control of {@link ChaosDriver} connections: a named, thread-safe set of faults that
 * every connection opened through a {@code jdbc:chaos:name=<name>;...:} URL (or, without a name,
 * through any unnamed chaos URL: {@value ChaosDriver#DEFAULT_NAME}) consults on each operation.
 * Get one with {@link ChaosDriver#control(String)}.
 *
 * <pre>{@code
 * Chaos db = ChaosDriver.control("orders");        // URL: jdbc:chaos:name=orders:jdbc:h2:mem:orders
 * db.hangConnect(true);                            // connects block until their login timeout
 * db.failExecute("08006", 0.1);                    // one execute in ten fails with a broken link
 * db.isValid(Chaos.IsValid.FALSE);                 // validation says every connection is dead
 * db.reset();                                      // back to the URL's faults (here: none)
 * }</pre>
 *
 * <h2>Layers</h2>
 * The faults in the URL are each connection's baseline. A setting made here overrides the same
 * fault of the baseline for every connection of this name, old and new, from the next operation
 * on; {@link #reset()} removes the overrides (back to the URL's faults) and {@link #healthy()}
 * overrides every fault with "off" (no faults at all, whatever the URL says).
 *
 * <p>Changes act on calls already waiting, too: clearing a hang or shortening a delay releases
 * them at once (they then go on normally), so a test can end a fault and watch recovery without
 * waiting for timeouts.
 *
 * <p>Counters ({@link #connectAttempts()}, {@link #maxConnectsInFlight()} and the others) cover
 * all connections of this name since creation or {@link #resetCounters()}.
 */
public final class Chaos {

    /** How {@link java.sql.Connection#isValid(int)} behaves. */
    public enum IsValid {
        /** Asks the real connection. */
        OK,
        /** Returns {@code false} at once: validation declares every connection dead. */
        FALSE,
        /**
         * Blocks until the {@code isValid} timeout or the network timeout, whichever is shorter,
         * then returns {@code false}; without either, until the connection is closed or aborted,
         * the thread is interrupted, or the fault is cleared.
         */
        HANG
    }

    /** How a wait ended. */
    enum Outcome { PROCEED, TIMED_OUT, CANCELLED, INTERRUPTED }

    private final String name;
    /** Guards nothing but is the monitor every delayed or hanging call waits on; notified on every change. */
    final Object lock = new Object();
    private volatile Faults overrides = Faults.NONE;

    private final AtomicLong connectAttempts = new AtomicLong();
    private final AtomicLong connectsOpened = new AtomicLong();
    private final AtomicInteger connectsInFlight = new AtomicInteger();
    private final AtomicInteger maxConnectsInFlight = new AtomicInteger();
    private final AtomicLong executes = new AtomicLong();
    private final AtomicLong injectedFailures = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();

    Chaos(String name) {
        this.name = name;
    }

    /** The name connections refer to with {@code name=} in the URL. */
    public String name() {
        return name;
    }

    // ------------------------------------------------------------------------------------------
    // Faults

    /** Delays every connect by {@code delay} (bounded by the login timeout); {@link Duration#ZERO} for none. */
    public Chaos connectDelay(Duration delay) {
        Duration d = Faults.checkDuration("connectDelay", delay);
        return update(f -> new Faults(d, f.hangConnect(), f.failConnect(), f.failConnectState(), f.executeDelay(),
                f.hangExecute(), f.failExecute(), f.failExecuteState(), f.isValid()));
    }

    /**
     * Makes connects hang: each blocks until its login timeout (then fails with SQLState 08001
     * caused by a {@link java.net.SocketTimeoutException}), until the thread is interrupted, or until
     * this is set back to {@code false}.
     */
    public Chaos hangConnect(boolean hang) {
        return update(f -> new Faults(f.connectDelay(), hang, f.failConnect(), f.failConnectState(), f.executeDelay(),
                f.hangExecute(), f.failExecute(), f.failExecuteState(), f.isValid()));
    }

    /**
     * Makes every connect fail with an {@link java.sql.SQLException} of this SQLState, e.g.
     * {@code 08001} (connection refused: caused by a {@link java.net.ConnectException}) or
     * {@code 28P01} (authentication failed).
     */
    public Chaos failConnect(String sqlState) {
        return failConnect(sqlState, 1.0);
    }

    /** Makes each connect fail with this SQLState with the given probability (0 turns it off). */
    public Chaos failConnect(String sqlState, double probability) {
        String s = Faults.sqlState("failConnectState", sqlState);
        double p = Faults.checkProbability("failConnect", probability);
        return update(f -> new Faults(f.connectDelay(), f.hangConnect(), p, s, f.executeDelay(),
                f.hangExecute(), f.failExecute(), f.failExecuteState(), f.isValid()));
    }

    /**
     * Delays every statement execution ({@code execute*} methods) by {@code delay}, bounded by
     * the statement's query timeout and the connection's network timeout; {@link Duration#ZERO} for none.
     */
    public Chaos executeDelay(Duration delay) {
        Duration d = Faults.checkDuration("executeDelay", delay);
        return update(f -> new Faults(f.connectDelay(), f.hangConnect(), f.failConnect(), f.failConnectState(), d,
                f.hangExecute(), f.failExecute(), f.failExecuteState(), f.isValid()));
    }

    /**
     * Makes executions hang until the query timeout, the network timeout, {@code Statement.cancel},
     * the connection's close or abort, an interrupt, or until this is set back to {@code false}.
     */
    public Chaos hangExecute(boolean hang) {
        return update(f -> new Faults(f.connectDelay(), f.hangConnect(), f.failConnect(), f.failConnectState(),
                f.executeDelay(), hang, f.failExecute(), f.failExecuteState(), f.isValid()));
    }

    /**
     * Makes every execution fail with this SQLState. A state of class {@code 08} (connection
     * exception, e.g. {@code 08006}) also closes the connection, as a real driver does after an
     * I/O error.
     */
    public Chaos failExecute(String sqlState) {
        return failExecute(sqlState, 1.0);
    }

    /** Makes each execution fail with this SQLState with the given probability (0 turns it off). */
    public Chaos failExecute(String sqlState, double probability) {
        String s = Faults.sqlState("failExecuteState", sqlState);
        double p = Faults.checkProbability("failExecute", probability);
        return update(f -> new Faults(f.connectDelay(), f.hangConnect(), f.failConnect(), f.failConnectState(),
                f.executeDelay(), f.hangExecute(), p, s, f.isValid()));
    }

    /** Sets how {@link java.sql.Connection#isValid(int)} behaves. */
    public Chaos isValid(IsValid mode) {
        Objects.requireNonNull(mode, "mode");
        return update(f -> new Faults(f.connectDelay(), f.hangConnect(), f.failConnect(), f.failConnectState(),
                f.executeDelay(), f.hangExecute(), f.failExecute(), f.failExecuteState(), mode));
    }

    /** Removes every runtime setting: connections behave as their URL says. Counters are kept. */
    public Chaos reset() {
        return update(f -> Faults.NONE);
    }

    /** Turns every fault off, including those of the URL, until {@link #reset()} or new settings. */
    public Chaos healthy() {
        return update(f -> Faults.HEALTHY);
    }

    // ------------------------------------------------------------------------------------------
    // Counters

    /** Connects attempted through chaos URLs of this name. */
    public long connectAttempts() {
        return connectAttempts.get();
    }

    /** Connects that returned a connection. */
    public long connectsOpened() {
        return connectsOpened.get();
    }

    /** Connects under way now (delayed, hanging, or in the real driver). */
    public int connectsInFlight() {
        return connectsInFlight.get();
    }

    /** The most connects that were under way at once. */
    public int maxConnectsInFlight() {
        return maxConnectsInFlight.get();
    }

    /** Statement executions attempted. */
    public long executes() {
        return executes.get();
    }

    /** Failures injected (connect and execute), not counting timeouts. */
    public long injectedFailures() {
        return injectedFailures.get();
    }

    /** Timeouts that ended an injected delay or hang (login, query, network and isValid timeouts). */
    public long timeouts() {
        return timeouts.get();
    }

    /** Sets every counter back to zero (connects in flight excepted: they are a state, not a count). */
    public Chaos resetCounters() {
        connectAttempts.set(0);
        connectsOpened.set(0);
        maxConnectsInFlight.set(connectsInFlight.get());
        executes.set(0);
        injectedFailures.set(0);
        timeouts.set(0);
        return this;
    }

    @Override
    public String toString() {
        return "Chaos[" + name + ", overrides=" + overrides + "]";
    }

    // ------------------------------------------------------------------------------------------
    // For the driver

    /** The faults in force for a connection whose URL gave {@code base}. */
    Faults effective(Faults base) {
        return overrides.over(base);
    }

    void connectStarted() {
        connectAttempts.incrementAndGet();
        int now = connectsInFlight.incrementAndGet();
        maxConnectsInFlight.accumulateAndGet(now, Math::max);
    }

    void connectEnded(boolean opened) {
        connectsInFlight.decrementAndGet();
        if (opened) {
            connectsOpened.incrementAndGet();
        }
    }

    void executeStarted() {
        executes.incrementAndGet();
    }

    void failureInjected() {
        injectedFailures.incrementAndGet();
    }

    void timedOut() {
        timeouts.incrementAndGet();
    }

    /** Wakes every waiting call, to re-check its fault, its timeout and whether it was cancelled. */
    void signal() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Waits out an injected delay or hang. {@code delayOf} gives the delay in nanoseconds from the
     * faults in force ({@link Faults#HANG} for a hang), re-evaluated on every change. Ends with
     * {@code PROCEED} once the delay has passed (or the fault was cleared), {@code TIMED_OUT} at
     * {@code timeoutNanos} (0: none) if that comes first, {@code CANCELLED} as soon as
     * {@code cancelled} is true, and {@code INTERRUPTED} (interrupt status kept) on an interrupt.
     */
    Outcome await(Faults base, ToLongFunction<Faults> delayOf, long timeoutNanos, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        if (delayOf.applyAsLong(effective(base)) == 0) {
            return cancelled.getAsBoolean() ? Outcome.CANCELLED : Outcome.PROCEED;
        }
        synchronized (lock) {
            for (;;) {
                if (cancelled.getAsBoolean()) {
                    return Outcome.CANCELLED;
                }
                long delay = delayOf.applyAsLong(effective(base));
                long elapsed = System.nanoTime() - start;
                boolean bounded = timeoutNanos > 0;
                if (delay >= 0 && elapsed >= delay && (!bounded || delay <= timeoutNanos)) {
                    return Outcome.PROCEED;
                }
                if (bounded && elapsed >= timeoutNanos) {
                    timedOut();
                    return Outcome.TIMED_OUT;
                }
                long wait = Long.MAX_VALUE;
                if (delay >= 0) {
                    wait = delay - elapsed;
                }
                if (bounded) {
                    wait = Math.min(wait, timeoutNanos - elapsed);
                }
                try {
                    if (wait == Long.MAX_VALUE) {
                        lock.wait();
                    } else {
                        TimeUnit.NANOSECONDS.timedWait(lock, wait);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Outcome.INTERRUPTED;
                }
            }
        }
    }

    private Chaos update(java.util.function.UnaryOperator<Faults> change) {
        synchronized (lock) {
            overrides = change.apply(overrides);
            lock.notifyAll();
        }
        return this;
    }
}
