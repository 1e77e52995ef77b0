package dev.sluice.internal.tenant;

import dev.sluice.internal.BorrowClaim;
import dev.sluice.internal.BorrowTally;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One SCHEMA-mode borrow's hold on a tenant's slot. The shared pool ends it when the pooled
 * connection goes back however it goes back (the tenant's connection closed, the pool's own
 * handle reached through {@code statement.getConnection()} or {@code unwrap}, an abort, abandon
 * reclaim, shutdown), and the router ends it when the borrow fails half-way; whichever comes
 * first releases the slot, the rest do nothing.
 */
final class TenantSlotClaim implements BorrowClaim {
    private final String tenant;
    private final TenantLimits.Slots slot;
    /** A field of the claim rather than an AtomicBoolean: one object per borrow, not two. */
    private static final AtomicIntegerFieldUpdater<TenantSlotClaim> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(TenantSlotClaim.class, "ended");
    private volatile int ended;

    TenantSlotClaim(String tenant, TenantLimits.Slots slot) {
        this.tenant = tenant;
        this.slot = slot;
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public BorrowTally tally() {
        return slot.borrows;
    }

    @Override
    public void borrowEnded() {
        if (ENDED.compareAndSet(this, 0, 1)) {
            slot.semaphore.release();
        }
    }
}
