package dev.sluice;

import java.time.Duration;

/**
 * A connection held longer than expected: who borrowed it, where, for how long, for which tenant,
 * and the caller context captured at borrow time (see {@link SluiceConfig.Builder#borrowContext}).
 *
 * @param poolName   the pool (a {@link TenantDataSource}'s tenant pool in DATABASE mode is named
 *                   after the data source and the tenant: {@code <poolName>-<tenant>})
 * @param threadName the borrowing thread
 * @param heldFor    how long it had been held when reported
 * @param borrowSite a throwable whose stack trace is the borrower's stack
 * @param context    what the borrow-context supplier returned at borrow time, or null
 * @param tenant     the tenant the connection was borrowed for through a {@link TenantDataSource}
 *                   (either mode), or null for a pool of its own
 */
public record LeakReport(String poolName, String threadName, Duration heldFor, Throwable borrowSite, Object context, String tenant) {

    /** A report for a connection borrowed for no tenant. */
    public LeakReport(String poolName, String threadName, Duration heldFor, Throwable borrowSite, Object context) {
        this(poolName, threadName, heldFor, borrowSite, context, null);
    }
}
