package dev.sluice;

import java.time.Duration;

/**
 * A connection borrowed now, as {@link SluiceDataSource#heldConnections()} saw it: which one, by
 * which thread, for how long, and where it was borrowed when leak detection records that.
 *
 * @param connectionId the pool's number for the physical connection (stable while it lives)
 * @param threadName   the borrowing thread's name, or {@code null} if it returned while being looked at
 * @param heldFor      how long it has been held, or {@code null} when that is not known (a borrow that ended
 *                     while being looked at); precise for timed borrows, to within the coarse clock's lag
 *                     (about 20 ms) for the others
 * @param borrowSite   a throwable whose stack trace is the borrower's, or {@code null} unless
 *                     {@code leakDetectionThreshold} is set
 */
public record HeldConnection(long connectionId, String threadName, Duration heldFor, Throwable borrowSite) {
}
