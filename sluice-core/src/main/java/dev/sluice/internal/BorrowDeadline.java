package dev.sluice.internal;

/**
 * The times a connection's borrows inside a scoped {@link dev.sluice.Deadline} need. Made for a
 * connection the first time such a borrow takes it and reused after, so connections never
 * borrowed under a Deadline do not carry them. Written and read by the borrowing thread only.
 */
final class BorrowDeadline {
    /** The deadline of the current borrow on the pool's {@link Ticker}. */
    long deadlineNanos;
    /** When the server-side limit in force was set; see {@link QueryDeadline}. */
    long statementLimitSetAtNanos;
}
