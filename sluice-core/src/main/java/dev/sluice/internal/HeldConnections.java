package dev.sluice.internal;

import dev.sluice.HeldConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The borrowed connections of a pool, read on demand for an operator (a console, a diagnostic
 * dump). Nothing is recorded for it on the borrow path: it reads what the borrow path writes
 * anyway (the borrower thread, the timed start, the leak detector's site).
 *
 * <p>The fields are read without synchronising with the borrowers, like the leak detector does,
 * so a row may mix a borrow that just ended with the next one. A start older than the entry's last
 * return belongs to an earlier borrow, and then the age is reported as unknown rather than wrong.
 * Untimed borrows start at the coarse clock's reading, which may lag the precise one by up to
 * {@code coarseLagNanos}: their ages may be that much too long, and their starts that much before
 * the last return.
 */
final class HeldConnections {
    private HeldConnections() {
    }

    /** Longest held first; borrows whose age is unknown last. */
    static List<HeldConnection> of(ConnectionBag bag, long now, long coarseLagNanos) {
        List<HeldConnection> held = new ArrayList<>();
        for (PooledConnection e : bag.snapshot()) {
            if (e.state() != PooledConnection.IN_USE) {
                continue;
            }
            Thread borrower = e.borrower;
            long at = e.borrowedAtNanos;
            long slack = e.holdTimed ? 0 : coarseLagNanos;
            boolean current = at - e.lastReturnedNanos >= -slack;
            Duration age = current ? Duration.ofNanos(Math.max(0, now - at)) : null;
            held.add(new HeldConnection(e.id, borrower != null ? borrower.getName() : null, age, BorrowSite.asThrowable(e.borrowSite())));
        }
        held.sort(Comparator.comparing(HeldConnection::heldFor, Comparator.nullsLast(Comparator.reverseOrder())));
        return held;
    }
}
