package dev.sluice.internal;

/**
 * What a tenant router attaches to one borrow of a pool: the tenant the connection was borrowed
 * for, which leak reports and Flight Recorder events name, and the tenant's share of a limit,
 * given back when the borrow ends, whichever way it ends. The pool ends it: the borrower's own
 * close, a close of the pool's handle reached some other way ({@code statement.getConnection()},
 * {@code unwrap}), an abort, abandon reclaim, shutdown. A router's wrapper may end it too, so
 * {@link #borrowEnded()} must act once however often it is called.
 */
public interface BorrowClaim {

    /** The tenant this borrow is for. */
    String tenant();

    /** The borrow ended. Called at least once per borrow, possibly more, possibly from two threads: act once. */
    void borrowEnded();

    /** Where the pool counts the borrows of this claim's tenant; the same for all of them. */
    BorrowTally tally();
}
