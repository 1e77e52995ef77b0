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
 * goes to the waiting tenant. A connection in use is never taken from its borrower: with nothing
 * idle, one is marked to close when it is returned. Which tenant is served and which gives up a
 * connection follows weighted shares (open connections / weight): the waiting tenant with the
 * smallest share first, taken from the tenant with the largest (see {@link #makeRoom}).
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
    private static final long SAFETY_NET_MILLIS = 100;
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
    /** Weights per pool name; 1 for a tenant not in it. */
    private final Map<String, Integer> weights;
    /** Permits held per pool name of a reserved tenant (all its pools together: a swept pool's closes count too). Guarded by lock. */
    private final Map<String, Integer> heldByReserved = new HashMap<>();
    /** The sequence number of each pool's latest permit, to take turns among equal shares. Guarded by lock. */
    private final Map<String, Long> lastGrant = new HashMap<>();
    private long grants;
    /** Times a pool was refused a permit while not already waiting for one. Guarded by lock. */
    private long refusals;
    /** Connections closed to make room for another pool: idle ones, and borrowed ones marked to close on return. Guarded by lock. */
    private long idleEvictions;
    private long returnEvictions;
    /** Reserved permits not held now: kept free for their tenants. Guarded by lock. */
    private int unfilledReserves;
    private final ScheduledExecutorService evictor;
    /** A makeRoom() is queued; there is never more than one. */
    private final AtomicBoolean roomRequested = new AtomicBoolean();

    /** @param reserves reserved permits by pool name; their sum must leave at least one permit unreserved */
    public GlobalBudget(int maximum, String name, Supplier<Collection<PoolShare>> pools, Map<String, Integer> reserves,
            Map<String, Integer> weights) {
        this.weights = Map.copyOf(weights);
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
                lastGrant.put(name, ++grants);
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
            if (refused.add(pool)) {
                refusals++;
            }
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
            if (pool.isClosed() && pool.open() == 0) {
                lastGrant.remove(name); // a forgotten tenant leaves nothing behind
            }
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
     * Tells refused pools, smallest weighted share first (the oldest refused among equals), that a permit is free, until the permits are gone or every
     * refused pool had its turn: a pool whose callers gave up takes nothing, and the next one must
     * not be left waiting for a permit that is already free.
     */
    private void offerFreedPermits() {
        for (;;) {
            PoolShare next;
            lock.lock();
            try {
                List<PoolShare> able = new ArrayList<>();
                for (PoolShare p : refused) {
                    if (mayTake(p)) {
                        able.add(p);
                    }
                }
                next = lowestShare(able);
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
     * On the evictor thread: makes room for the waiting tenant with the smallest weighted share,
     * taking from the tenant with the largest: an idle connection if it has one, else a borrowed
     * one, marked to close when it comes back (the pool's return path already reads that mark, so
     * no pool does anything new per borrow or return). Its permit then comes back through
     * {@link #release}, which is the signal; nobody polls. A tenant is taken from only while its
     * share stays at least the waiting one's share after the move, so shares level out and then
     * connections rotate among equals rather than one tenant keeping them. The look again after
     * {@value #SAFETY_NET_MILLIS} ms when nothing could be taken is a safety net, not the way
     * waiters are served.
     */
    private void makeRoom() {
        roomRequested.set(false);
        for (;;) {
            PoolShare idleVictim = null;
            PoolShare busyVictim = null;
            lock.lock();
            try {
                List<PoolShare> wanting = new ArrayList<>(refused);
                wanting.removeIf(p -> p.waiting() == 0 || p.isClosed());
                if (wanting.stream().anyMatch(this::mayTake)) {
                    break;
                }
                if (wanting.size() <= evicting) {
                    return;
                }
                PoolShare target = lowestShare(wanting);
                for (PoolShare p : pools.get()) {
                    // p's share open/w_p must stay at least target's (open+1)/w_t once the connection moves
                    if (p == target || !aboveReserve(p) || (long) p.open() * weight(target) < (long) (target.open() + 1) * weight(p)) {
                        continue;
                    }
                    if (p.idle() > 0 && (idleVictim == null || givesUpBefore(p, idleVictim))) {
                        idleVictim = p;
                    }
                    if (busyVictim == null || givesUpBefore(p, busyVictim)) {
                        busyVictim = p;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (busyVictim == null) {
                requestRoom(SAFETY_NET_MILLIS);
                return;
            }
            // Counted before the eviction: its permit may come back (release) before evict returns.
            lock.lock();
            try {
                evicting++;
            } finally {
                lock.unlock();
            }
            boolean idleTaken = idleVictim != null && idleVictim.evictLeastRecentlyUsedIdle();
            boolean taken = idleTaken || busyVictim.evictOneOnReturn();
            if (taken) {
                lock.lock();
                try {
                    if (idleTaken) {
                        idleEvictions++;
                    } else {
                        returnEvictions++;
                    }
                } finally {
                    lock.unlock();
                }
            } else {
                lock.lock();
                try {
                    evicting = Math.max(0, evicting - 1);
                } finally {
                    lock.unlock();
                }
                requestRoom(SAFETY_NET_MILLIS);
                return;
            }
        }
        offerFreedPermits();
    }

    private int weight(PoolShare p) {
        return weights.getOrDefault(p.name(), 1);
    }

    /** Whether a holds more than b for its weight: a.open/w_a > b.open/w_b. */
    private boolean higherShare(PoolShare a, PoolShare b) {
        return (long) a.open() * weight(b) > (long) b.open() * weight(a);
    }

    /**
     * Guarded by lock. Whether a gives up a connection before b: the larger weighted share, and
     * among equals the one granted a permit longest ago, so equals take turns rather than the
     * same tenant losing every time.
     */
    private boolean givesUpBefore(PoolShare a, PoolShare b) {
        if (higherShare(a, b)) {
            return true;
        }
        if (higherShare(b, a)) {
            return false;
        }
        return lastGrant.getOrDefault(a.name(), 0L) < lastGrant.getOrDefault(b.name(), 0L);
    }

    /** The pool with the smallest weighted share; the first refused among equals, so equals take turns. */
    private PoolShare lowestShare(Collection<PoolShare> among) {
        PoolShare best = null;
        for (PoolShare p : among) {
            if (best == null || higherShare(best, p)) {
                best = p;
            }
        }
        return best;
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

    /**
     * The budget's counters, read together.
     *
     * @param refusals        times a tenant pool was refused a permit (the budget was used up) while not already waiting for one
     * @param idleEvictions   idle connections closed to make room for another tenant
     * @param returnEvictions borrowed connections marked to close on return to make room for another tenant
     */
    public record Counters(long refusals, long idleEvictions, long returnEvictions) {
    }

    public Counters counters() {
        lock.lock();
        try {
            return new Counters(refusals, idleEvictions, returnEvictions);
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
