package dev.sluice.internal;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A tenant's count of the borrows it made from a shared pool, kept the way the pool keeps its
 * own count: in the entry handed out, written only by the borrower that holds it, so a borrow
 * costs no atomic instruction. An entry counts the borrows in a row for one tally; when a borrow
 * for another tenant takes it, or it leaves the pool, its run is settled here. The count is the
 * settled runs plus the runs the pool's entries hold now.
 */
public final class BorrowTally {
    private final LongAdder settled = new LongAdder();

    void settle(long borrows) {
        settled.add(borrows);
    }

    /** Takes back a borrow the pool counted but the router failed after (its tenant never got the connection). */
    public void uncount() {
        settled.decrement();
    }

    /** The borrows so far, given the runs the pool's entries hold now ({@link Pool#unsettledBorrows()}). */
    public long count(Map<BorrowTally, Long> unsettled) {
        return settled.sum() + unsettled.getOrDefault(this, 0L);
    }
}
