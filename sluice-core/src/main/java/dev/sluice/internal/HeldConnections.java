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
 */
final class HeldConnections {
    private HeldConnections() {
    }

    /** Longest held first; untimed borrows (age unknown) last. */
    static List<HeldConnection> of(ConnectionBag bag, long now) {
        List<HeldConnection> held = new ArrayList<>();
        for (PooledConnection e : bag.snapshot()) {
            if (e.state() != PooledConnection.IN_USE) {
                continue;
            }
            Thread borrower = e.borrower;
            long at = e.borrowedAtNanos;
            boolean timed = e.holdTimed && at - e.lastReturnedNanos >= 0;
            Duration age = timed ? Duration.ofNanos(Math.max(0, now - at)) : null;
            held.add(new HeldConnection(e.id, borrower != null ? borrower.getName() : null, age, BorrowSite.asThrowable(e.borrowSite)));
        }
        held.sort(Comparator.comparing(HeldConnection::heldFor, Comparator.nullsLast(Comparator.reverseOrder())));
        return held;
    }
}
