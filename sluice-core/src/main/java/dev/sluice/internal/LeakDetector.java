package dev.sluice.internal;

import dev.sluice.BorrowStack;
import dev.sluice.CloseReason;
import java.util.function.Supplier;

/**
 * Watches borrowed connections for leaks: records where each was borrowed (when
 * leakDetectionThreshold is set), reports one held past the threshold with that site, follows
 * up when it comes back, and with abandonTimeout aborts one whose borrower is presumed lost.
 *
 * <p>Recording a site costs a stack walk (see {@link BorrowSite}), so it happens only on borrows
 * the pool times, and with a threshold set the pool times every borrow. The borrower's thread
 * only writes the entry's fields; the looking is done by the housekeeper, off every caller's path.
 */
final class LeakDetector {
    private final Pool pool;
    /** 0 = never reclaim. Not runtime-mutable. */
    private final long abandonNanos;
    /** Null unless configured: what the application adds to a leak report (request id, user). */
    private final Supplier<?> borrowContext;
    /** leakDetectionStacks=FULL. Not runtime-mutable. */
    private final boolean fullStacks;
    /** A tenant's pool (DATABASE mode): every borrow comes through the tenant router's frames. */
    private final boolean tenantPool;

    /** @param tenantPool the pool is a tenant's, so its borrows reach it through the router */
    LeakDetector(Pool pool, boolean tenantPool) {
        this.pool = pool;
        this.tenantPool = tenantPool;
        this.abandonNanos = pool.config.abandonTimeout().toNanos();
        this.borrowContext = pool.config.borrowContext();
        this.fullStacks = pool.config.leakDetectionStacks() == BorrowStack.FULL;
    }

    /** Whether abandon reclaim needs every borrow timed. */
    boolean reclaims() {
        return abandonNanos > 0;
    }

    void recordBorrowSite(PooledConnection e) {
        LeakRecord r = e.leak;
        if (r == null) {
            // Published by a plain write: a housekeeper that sees the record before its fields finds no site
            // and looks again on its next run.
            e.leak = r = new LeakRecord();
        }
        // A borrow with a tenant's claim (SCHEMA mode) also came through the router.
        r.site = BorrowSite.capture(fullStacks, tenantPool || e.claim != null);
        r.thread = Thread.currentThread().getName();
        if (borrowContext != null) {
            try {
                r.context = borrowContext.get();
            } catch (RuntimeException ex) {
                r.context = "borrowContext supplier failed: " + ex;
            }
        }
        r.reported = false; // last, a volatile write: it publishes the fields above to the housekeeper
    }

    /** On return of an entry with a recorded site: the follow-up of an earlier report, and the site forgotten. */
    void returned(PooledConnection e, long held) {
        LeakRecord r = e.leak;
        if (r.reported) {
            pool.events.leakResolved(e, held);
        }
        r.site = null;
        r.context = null;
    }

    /** From the housekeeper, for each borrowed entry. */
    void check(PooledConnection e, long now) {
        if (pool.leakThresholdNanos > 0) {
            checkLeak(e, now);
        }
        if (abandonNanos > 0 && e.holdTimed && now - e.borrowedAtNanos > abandonNanos) {
            reclaimAbandoned(e, now);
        }
    }

    private void checkLeak(PooledConnection e, long now) {
        // The volatile read first: the borrower wrote reported last, so the site it recorded is seen whole.
        LeakRecord r = e.leak;
        if (r == null || r.reported) {
            return;
        }
        Object site = r.site;
        long held = now - e.borrowedAtNanos;
        long threshold = pool.leakThresholdNanos;
        if (site != null && held > threshold) {
            r.reported = true;
            pool.metrics.leaksSuspected.increment();
            pool.events.leakSuspected(e, held, threshold, BorrowSite.asThrowable(site), r.context);
        }
    }

    /**
     * abandonTimeout: the borrower is presumed lost; the physical connection is aborted and its
     * slot freed. The borrower's handle then fails on use, and its eventual close is harmless.
     */
    private void reclaimAbandoned(PooledConnection e, long now) {
        long held = now - e.borrowedAtNanos;
        e.retireOnReturn = CloseReason.ABORTED;
        if (!e.markRemoved()) {
            return;
        }
        pool.bag.remove(e);
        pool.metrics.abandoned.increment();
        pool.closer.recordClose(e, CloseReason.ABORTED);
        pool.events.abandoned(e, held, abandonNanos);
        pool.closer.abortQuietly(e);
        Pool.endClaim(e);
        pool.supply.fill();
    }
}
