package dev.sluice.internal.tenant;

import dev.sluice.internal.ConnectionBudget;
import dev.sluice.internal.PoolShare;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * DATABASE mode's global budget: the physical connections of all tenant pools together never
 * exceed {@code globalMaximumPoolSize}. Every connect takes a permit; every close gives it back
 * after the physical close.
 *
 * <p>When the budget is used up and a tenant's callers wait, the budget makes room: it closes the
 * least recently used idle connection of the tenant holding the most connections (with equal
 * shares for all tenants, "furthest above its fair share" is "holds the most"), and the permit
 * goes to the waiting tenant. A connection in use is never taken. With nothing idle anywhere the
 * caller waits, within its deadline, for a permit to come back. Tenants refused a permit are
 * served in the order they were refused (FIFO over tenants); a weighted fair queue is not done yet.
 *
 * <p>A tenant may have a reserve: that many permits are kept for it whether its pool is open or
 * not, and an eviction for another tenant never takes it below its reserve. The invariant
 * {@code used + unfilledReserves <= maximum} holds at every step (a take within a reserve moves a
 * permit from one term to the other; any other take needs a permit outside both), so a tenant
 * below its reserve always gets a permit at once. The builder checks that the reserves fit.
 *
 * <p>Evictions run on a thread of their own: {@link #tryTake} is called under a pool's fill lock,
 * and closing another pool's connection from there would nest two pools' locks.
 */
public final class GlobalBudget implements ConnectionBudget {
    private static final long RETRY_MILLIS = 10;
    private final int maximum;
    private final Supplier<Collection<PoolShare>> pools;
    private final ReentrantLock lock = new ReentrantLock();
    /** Permits out: open physical connections plus connects under way. Guarded by lock. */
    private int used;
    /** Pools refused a permit, in the order refused. Guarded by lock. */
    private final LinkedHashSet<PoolShare> refused = new LinkedHashSet<>();
    /** Evictions asked for whose permit has not come back yet. Guarded by lock. */
    private int evicting;
    /** Reserved permits per pool name; tenants without a reserve are not in it. */
    private final Map<String, Integer> reserves;
    /** Permits held per pool name of a reserved tenant (all its pools together: a swept pool's closes count too). Guarded by lock. */
    private final Map<String, Integer> heldByReserved = new HashMap<>();
    /** Reserved permits not held now: kept free for their tenants. Guarded by lock. */
    private int unfilledReserves;
    private final ScheduledExecutorService evictor;
    /** A makeRoom() is queued; there is never more than one. */
    private final AtomicBoolean roomRequested = new AtomicBoolean();

    /** @param reserves reserved permits by pool name; their sum must leave at least one permit unreserved */
    public GlobalBudget(int maximum, String name, Supplier<Collection<PoolShare>> pools, Map<String, Integer> reserves) {
        this.maximum = maximum;
        this.pools = pools;
        this.reserves = Map.copyOf(reserves);
        for (int r : this.reserves.values()) {
            unfilledReserves += r;
        }
        if (unfilledReserves >= maximum) {
            throw new IllegalArgumentException("reserves (" + unfilledReserves + ") must leave a permit of " + maximum + " unreserved");
        }
        this.evictor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-budget");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean tryTake(PoolShare pool) {
        lock.lock();
        try {
            if (mayTake(pool)) {
                used++;
                String name = pool.name();
                Integer reserve = reserves.get(name);
                if (reserve != null) {
                    int held = heldByReserved.merge(name, 1, Integer::sum);
                    if (held <= reserve) {
                        unfilledReserves--;
                    }
                }
                refused.remove(pool);
                return true;
            }
            refused.add(pool);
        } finally {
            lock.unlock();
        }
        requestRoom(0);
        return false;
    }

    @Override
    public void release(PoolShare pool) {
        lock.lock();
        try {
            used--;
            String name = pool.name();
            Integer reserve = reserves.get(name);
            if (reserve != null) {
                int held = heldByReserved.merge(name, -1, Integer::sum);
                if (held < reserve) {
                    unfilledReserves++;
                }
            }
            if (evicting > 0) {
                evicting--;
            }
        } finally {
            lock.unlock();
        }
        offerFreedPermits();
    }

    /** Guarded by lock. Within its reserve a pool takes from what is kept for it; otherwise only from what nobody has reserved. */
    private boolean mayTake(PoolShare pool) {
        Integer reserve = reserves.get(pool.name());
        if (reserve != null && heldByReserved.getOrDefault(pool.name(), 0) < reserve) {
            return used < maximum; // always true while the invariant holds
        }
        return used + unfilledReserves < maximum;
    }

    /** Guarded by lock. Whether an eviction may take one of this pool's connections: never below its reserve. */
    private boolean aboveReserve(PoolShare pool) {
        Integer reserve = reserves.get(pool.name());
        return reserve == null || heldByReserved.getOrDefault(pool.name(), 0) > reserve;
    }

    /**
     * Tells refused pools, oldest first, that a permit is free, until the permits are gone or every
     * refused pool had its turn: a pool whose callers gave up takes nothing, and the next one must
     * not be left waiting for a permit that is already free.
     */
    private void offerFreedPermits() {
        for (;;) {
            PoolShare next;
            lock.lock();
            try {
                next = null;
                for (PoolShare p : refused) {
                    if (mayTake(p)) {
                        next = p;
                        break;
                    }
                }
                if (next == null) {
                    return;
                }
                refused.remove(next);
            } finally {
                lock.unlock();
            }
            next.budgetFreed();
        }
    }

    private void requestRoom(long delayMillis) {
        if (roomRequested.compareAndSet(false, true)) {
            try {
                evictor.schedule(this::makeRoom, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RuntimeException closed) {
                roomRequested.set(false); // the data source is closing: nobody will be served anyway
            }
        }
    }

    /**
     * On the evictor thread: closes idle connections of other tenants for each refused pool whose
     * callers still wait. With nothing idle it looks again every {@value #RETRY_MILLIS} ms while
     * they wait: a connection that becomes idle in another tenant's pool does not call the budget
     * (that would put the budget on every pool's return path), so the budget comes to look.
     */
    private void makeRoom() {
        roomRequested.set(false);
        for (;;) {
            List<PoolShare> wanting;
            List<PoolShare> evictable = new ArrayList<>();
            lock.lock();
            try {
                wanting = new ArrayList<>(refused);
                wanting.removeIf(p -> p.waiting() == 0 || p.isClosed());
                if (wanting.stream().anyMatch(this::mayTake)) {
                    break;
                }
                if (wanting.size() <= evicting) {
                    return;
                }
                for (PoolShare p : pools.get()) {
                    if (!wanting.contains(p) && aboveReserve(p)) {
                        evictable.add(p);
                    }
                }
            } finally {
                lock.unlock();
            }
            PoolShare victim = null;
            for (PoolShare p : evictable) {
                if (p.idle() > 0 && (victim == null || p.open() > victim.open())) {
                    victim = p;
                }
            }
            if (victim == null) {
                requestRoom(RETRY_MILLIS); // nothing idle to take now
                return;
            }
            // Counted before the eviction: its permit may come back (release) before evict returns.
            lock.lock();
            try {
                evicting++;
            } finally {
                lock.unlock();
            }
            if (!victim.evictLeastRecentlyUsedIdle()) {
                lock.lock();
                try {
                    evicting = Math.max(0, evicting - 1);
                } finally {
                    lock.unlock();
                }
                requestRoom(RETRY_MILLIS); // it was borrowed meanwhile
                return;
            }
        }
        offerFreedPermits();
    }

    /** Permits out now. */
    public int used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }

    public int maximum() {
        return maximum;
    }

    public void close() {
        evictor.shutdownNow();
    }
}
