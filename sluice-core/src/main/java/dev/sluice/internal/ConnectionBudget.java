package dev.sluice.internal;

/**
 * A limit on physical connections shared by several pools (the pools of a tenant data source).
 * A pool takes a permit before each connect and gives it back when the connect fails or the
 * connection is closed (after the physical close, so the server never sees more than the limit).
 * A pool without a budget never calls it: the single-pool borrow path does not know it exists.
 */
public interface ConnectionBudget {

    /**
     * Takes one permit for a connect of {@code pool}. False when the budget is used up: the
     * budget then remembers the pool and calls {@link PoolShare#budgetFreed()} when a permit comes
     * back. Called under the pool's fill lock: it must not block, and must not call back into
     * the pool on this thread.
     */
    boolean tryTake(PoolShare pool);

    /** Gives back a permit {@code pool} took: its connect failed, or its connection was closed. */
    void release(PoolShare pool);
}
