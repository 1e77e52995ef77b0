package dev.sluice;

/**
 * What the pool does when a thread that already holds one of its connections asks for another
 * and has to wait. With a pool smaller than the number of such threads this deadlocks: every
 * thread holds one connection and waits for a second that no one will return.
 */
public enum NestedAcquisition {
    /** Wait as usual, say nothing. */
    ALLOW,
    /** Wait as usual, and log a warning (once per thread and call site) naming both borrow sites. */
    WARN,
    /** Fail at once with {@link FailureReason#NESTED_ACQUISITION} instead of risking the deadlock. */
    FAIL
}
