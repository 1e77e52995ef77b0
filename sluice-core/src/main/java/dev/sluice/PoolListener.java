package dev.sluice;

import java.time.Duration;

/**
 * Receives every notable event of a pool: the one stream that logging, metrics, consoles and
 * tests all consume. Register with {@link SluiceConfig.Builder#listener(PoolListener)}.
 *
 * <p>Every method has an empty default, so implement only what you need. Calls are made on the
 * thread where the event happens (often the borrower's): keep them short and non-blocking. A
 * listener that throws is logged once and otherwise ignored; it cannot break the pool. With no
 * listener registered the pool pays nothing for this interface.
 */
public interface PoolListener {

    /**
     * Whether this listener wants {@link #connectionAcquired} and {@link #connectionReturned}.
     * While at least one registered listener does, the pool times every borrow (two precise clock
     * reads) to report each wait and hold; when none does, it keeps timing only a sample of
     * borrows, as with no listener at all. A listener that needs only the rare events (leaks,
     * breaker, sizing, closes) returns false and costs the borrow path nothing. Read once, when
     * the listener is registered.
     */
    default boolean observesBorrows() {
        return true;
    }

    /** A physical connection was opened, taking {@code connectTime}. */
    default void connectionCreated(String poolName, Duration connectTime) {
    }

    /** A connect attempt failed (classified). */
    default void connectFailed(String poolName, FailureReason reason, Throwable cause) {
    }

    /** A borrower got a connection after waiting {@code waitNanos} (0 when one was idle). Hot path: primitives only. */
    default void connectionAcquired(String poolName, long waitNanos) {
    }

    /** A borrower returned a connection it held for {@code holdNanos}. Hot path: primitives only. */
    default void connectionReturned(String poolName, long holdNanos) {
    }

    /**
     * A borrower got a connection for {@code tenant} through a {@link TenantDataSource}, after
     * waiting {@code waitNanos}. Called instead of {@link #connectionAcquired(String, long)} for
     * every tenant borrow, in both modes; by default it calls that method, so a listener that does
     * not care about tenants sees every borrow. Hot path: keep it cheap.
     */
    default void connectionAcquired(String poolName, String tenant, long waitNanos) {
        connectionAcquired(poolName, waitNanos);
    }

    /**
     * A borrower returned a connection it held for {@code tenant} for {@code holdNanos}. Called
     * instead of {@link #connectionReturned(String, long)} for tenant borrows; by default it calls
     * that method. Hot path: keep it cheap.
     */
    default void connectionReturned(String poolName, String tenant, long holdNanos) {
        connectionReturned(poolName, holdNanos);
    }

    /** A physical connection was closed. */
    default void connectionClosed(String poolName, CloseReason reason) {
    }

    /** A {@code getConnection} call failed after waiting {@code waited}. */
    default void acquireFailed(String poolName, FailureReason reason, Duration waited) {
    }

    /**
     * A {@code getConnection} call for {@code tenant} through a {@link TenantDataSource} failed
     * after waiting {@code waited}: a wait for the pool, or in SCHEMA mode for one of the tenant's
     * {@code tenantMaximumPoolSize} slots, or a tenant whose schema is missing. Called instead of
     * {@link #acquireFailed(String, FailureReason, Duration)}; by default it calls that method.
     */
    default void acquireFailed(String poolName, String tenant, FailureReason reason, Duration waited) {
        acquireFailed(poolName, reason, waited);
    }

    /** A connection was held longer than {@code leakDetectionThreshold}. */
    default void leakSuspected(LeakReport report) {
    }

    /** A connection reported by {@link #leakSuspected} came back after {@code heldFor}. */
    default void leakResolved(LeakReport report, Duration heldFor) {
    }

    /** A connection held past {@code abandonTimeout} was aborted and reclaimed. */
    default void connectionAbandoned(LeakReport report) {
    }

    /**
     * A thread that holds a connection of this pool asked for another and had to wait: with a
     * small pool this deadlocks under load. {@code heldSite} is null unless borrow sites are
     * recorded (leak detection on).
     */
    default void nestedAcquisition(String poolName, String threadName, Throwable heldSite, Throwable requestSite) {
    }

    /** The circuit breaker changed state; {@code lastFailure} is the connect failure behind it, if any. */
    default void breakerStateChanged(String poolName, BreakerState from, BreakerState to, Throwable lastFailure) {
    }

    /** The adaptive sizing controller decided (ADAPTIVE: applied; ADVISORY: only computed). */
    default void sizingDecision(String poolName, SizingDecision decision) {
    }

    /** The pool's size limits changed at runtime. */
    default void resized(String poolName, int maximumPoolSize, int minimumIdle) {
    }

    /**
     * A failover signal ({@code trigger}: the SQLState, or MariaDB's error code, seen on a live
     * connection) started pool generation {@code generation}: idle connections of older generations
     * were closed ({@link CloseReason#FAILOVER}), borrowed ones close when returned.
     */
    default void failover(String poolName, String trigger, long generation) {
    }

    /** The pool was suspended ({@code true}) or resumed ({@code false}). */
    default void suspended(String poolName, boolean suspended) {
    }
}
