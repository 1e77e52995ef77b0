package dev.sluice;

/** Why the pool closed a physical connection; counted in {@link PoolStats#closedByReason()}. */
public enum CloseReason {
    /** Returned while {@code maxIdle} connections were already idle (Go's MaxIdleClosed). */
    MAX_IDLE,
    /** Idle longer than {@code idleTimeout} while more than {@code minimumIdle} were idle. */
    IDLE_TIMEOUT,
    /** Idle longer than {@code maxIdleTime} (Go's MaxIdleTimeClosed). */
    MAX_IDLE_TIME,
    /** Older than {@code maxLifetime} (less its jitter). */
    MAX_LIFETIME,
    /** The driver reported the connection broken while it was in use (SQLState class 08 and kin). */
    BROKEN,
    /** Failed validation before hand-out or during keepalive. */
    VALIDATION_FAILED,
    /** Evicted by an operator or by a failed reset on return. */
    EVICTED,
    /** Aborted because its borrower did not return it before shutdown ended. */
    ABORTED,
    /** Closed because the pool closed. */
    POOL_CLOSED,
    /**
     * Opened before a failover: an error on a sibling (read-only transaction, server shutting down,
     * connection failure) started a new pool generation, and connections of older ones are not reused.
     */
    FAILOVER
}
