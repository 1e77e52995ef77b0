package dev.sluice.internal;

/**
 * A hard limit on one pool's physical connections, counting those still closing. On its own a
 * pool opens a retiring connection's replacement before it closes the old one, so for a moment
 * the server sees one more than maximumPoolSize; a pool whose maximum is a promise to the server
 * (the shared pool of a SCHEMA-mode tenant data source, whose maximum is the global budget) takes
 * a permit from a cap before each connect instead, and with no room the old connection closes
 * first, exactly as under a budget shared by several pools.
 */
public final class ConnectionCap implements ConnectionBudget {
    private final int maximum;
    private int used;
    /** The pool asked and was refused since the last permit came back: it waits for {@link PoolShare#budgetFreed()}. */
    private boolean refused;

    public ConnectionCap(int maximum) {
        this.maximum = maximum;
    }

    @Override
    public synchronized boolean tryTake(PoolShare pool) {
        if (used < maximum) {
            used++;
            return true;
        }
        refused = true;
        return false;
    }

    @Override
    public void release(PoolShare pool) {
        boolean wake;
        synchronized (this) {
            used--;
            wake = refused;
            refused = false;
        }
        if (wake) {
            pool.budgetFreed();
        }
    }

    /** Permits held now: connections open, connecting or closing, which is what the server may see. */
    public synchronized int used() {
        return used;
    }
}
