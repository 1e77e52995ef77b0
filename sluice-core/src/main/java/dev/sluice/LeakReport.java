package dev.sluice;

import java.time.Duration;

/**
 * A connection held longer than expected: who borrowed it, where, for how long, and the caller
 * context captured at borrow time (see {@link SluiceConfig.Builder#borrowContext}).
 *
 * @param poolName   the pool
 * @param threadName the borrowing thread
 * @param heldFor    how long it had been held when reported
 * @param borrowSite a throwable whose stack trace is the borrower's stack
 * @param context    what the borrow-context supplier returned at borrow time, or null
 */
public record LeakReport(String poolName, String threadName, Duration heldFor, Throwable borrowSite, Object context) {
}
