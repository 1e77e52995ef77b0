package dev.sluice.internal;

import dev.sluice.CloseReason;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Retires connections at the end of their (jittered) lifetime, replacement first, within the
 * {@link RetirementBudget}, so connections opened together do not all close together.
 *
 * <p>A connection is only ever retired by whoever holds it: an idle one is reserved here, a
 * borrowed one is marked and retired by the return path ({@link #onReturn}) under the same budget.
 * While its replacement opens, the old one is set aside: it counts as open but not as capacity,
 * and is never handed out, so connections in use never exceed maximumPoolSize. If the replacement
 * cannot be made (database down) the old one serves on until maxLifetime itself, since an old
 * connection beats none; one whose turn has not come is looked at again a little later.
 */
final class LifetimeRetirement {
    private final Pool pool;
    private final RetirementBudget budget;
    /** Retired connections whose replacement is open, waiting for their turn in the close budget. */
    private final Set<PooledConnection> closingInTurn = ConcurrentHashMap.newKeySet();
    /** Replacements connecting now. */
    private final AtomicInteger replacing = new AtomicInteger();

    LifetimeRetirement(Pool pool) {
        this.pool = pool;
        this.budget = new RetirementBudget(pool.ticker::read);
    }

    /** Looks at a new connection again when its retirement time comes. */
    void schedule(PooledConnection e) {
        pool.scheduler.tryOnce(() -> lifetimeReached(e), e.retireAtNanos - pool.ticker.read()); // refused only when closing
    }

    private void lifetimeReached(PooledConnection e) {
        if (e.state() == PooledConnection.REMOVED || pool.isClosed()) {
            return;
        }
        if (e.state() == PooledConnection.IN_USE) {
            // Retired by onReturn, within the budget and replacement first; looked at again meanwhile in
            // case it comes back idle before then.
            e.retireOnReturn = CloseReason.MAX_LIFETIME;
            retryLater(e);
            return;
        }
        if (e.state() != PooledConnection.IDLE) {
            if (!e.setAsideForReplacement) { // set aside: its retirement is under way, and retried there if it fails
                retryLater(e); // RESERVED: being validated, or about to be set aside by onReturn
            }
            return;
        }
        long[] token = acquireTurn();
        if (token == null) {
            retryLater(e);
            return;
        }
        if (!e.reserve()) {
            budget.cancel(token);
            retryLater(e);
            return;
        }
        if (e.retireOnReturn == CloseReason.MAX_LIFETIME) {
            e.retireOnReturn = null;
        }
        replaceThenRetire(e, token, false);
    }

    /**
     * A share of the retirement budget, or null: not while maxConcurrentCreates replacements are
     * connecting. The budget also bounds how many retired connections are open beside their
     * replacements, so the connect turn counts only connects.
     */
    private long[] acquireTurn() {
        return replacing.get() < pool.config.maxConcurrentCreates() ? budget.acquire(pool.maximumPoolSize) : null;
    }

    /**
     * The return path of a connection whose lifetime ended while it was borrowed: retired like an
     * idle one if the budget allows, else back in service until a later return (or its lifetime
     * check, once idle) retires it.
     */
    void onReturn(PooledConnection e, long now) {
        e.lastUsedNanos = now;
        e.lastReturnedNanos = now;
        long[] token = acquireTurn();
        if (token == null) {
            pool.bag.offerReturned(e);
        } else {
            e.retireOnReturn = null;
            e.setState(PooledConnection.RESERVED); // never handed out again while its replacement opens
            replaceThenRetire(e, token, false);
        }
    }

    /**
     * A connection found past maxLifetime itself (its retirement never got a turn: replacements
     * connected too slowly), held by the caller: it never serves again. If the budget has a turn it
     * is still replaced before it closes, so the database does not see the pool shrink and its
     * closes stay spaced; otherwise it closes now.
     */
    void expired(PooledConnection e) {
        long[] token = acquireTurn();
        if (token == null) {
            pool.closer.discard(e, CloseReason.MAX_LIFETIME);
            return;
        }
        e.retireOnReturn = null;
        e.setState(PooledConnection.RESERVED);
        replaceThenRetire(e, token, true);
    }

    /**
     * Retires {@code e} (RESERVED, held by the caller) at the end of its lifetime, its replacement
     * opened first; {@code token} is its share of the retirement budget. One {@code expired} (past
     * maxLifetime) cannot go back into service if the replacement fails.
     */
    private void replaceThenRetire(PooledConnection e, long[] token, boolean expired) {
        if (pool.minimumIdle == 0 && pool.bag.waiting() == 0 || pool.share != null && !pool.share.take()) {
            // Nobody needs a replacement, or a shared budget has no room for one next to the old connection.
            // Closed at once: held for a turn, it would count as capacity while serving nobody.
            pool.closer.discard(e, CloseReason.MAX_LIFETIME);
            budget.closed(token);
            return;
        }
        ConnectionSupply supply = pool.supply;
        supply.setAsideForReplacement(e);
        replacing.incrementAndGet();
        supply.openReplacement().whenComplete((replacement, ex) -> {
            replacing.decrementAndGet();
            if (replacement != null) {
                supply.added(replacement);
                closeInTurn(e, token);
            } else if (expired) {
                supply.replacementFailed(e);
                pool.closer.discard(e, CloseReason.MAX_LIFETIME);
                budget.closed(token);
                supply.createFailed(ex);
            } else {
                budget.cancel(token);
                supply.replacementFailed(e);
                pool.bag.offer(e);
                supply.createFailed(ex);
                retryLater(e);
            }
        });
    }

    /** Closes a connection set aside at the end of its lifetime, its replacement open, when the close budget allows. */
    private void closeInTurn(PooledConnection e, long[] token) {
        long delay = budget.closeDelay(pool.maximumPoolSize);
        if (delay <= 0) {
            pool.closer.discard(e, CloseReason.MAX_LIFETIME);
            budget.closed(token);
            return;
        }
        closingInTurn.add(e);
        Runnable close = () -> {
            if (closingInTurn.remove(e)) { // else closing the pool closed it first
                pool.closer.discard(e, CloseReason.MAX_LIFETIME);
                budget.closed(token);
            }
        };
        if (!pool.scheduler.tryOnce(close, delay)) {
            close.run();
        }
    }

    /**
     * Not before the connect backoff ends, and spread over 100–500 ms so retirements do not bunch;
     * sooner as the hard expiry nears, so when retirements wait for the budget together, the one with
     * the least time left most likely gets the next turn (at maxLifetime a connection is closed
     * before its replacement opens).
     */
    private void retryLater(PooledConnection e) {
        long now = pool.ticker.read();
        long spread = TimeUnit.MILLISECONDS.toNanos(100 + ThreadLocalRandom.current().nextInt(400));
        long urgent = Math.max(TimeUnit.MILLISECONDS.toNanos(10), (e.expiresAtNanos - now) / 16);
        long delay = Math.max(pool.supply.backoffUntilNanos() - now, Math.min(spread, urgent));
        pool.scheduler.tryOnce(() -> lifetimeReached(e), delay); // refused only when closing
    }

    /** At close: connections retired already, only waiting for their turn, close now. */
    void closeWaiting() {
        for (PooledConnection e : closingInTurn) {
            if (closingInTurn.remove(e)) {
                pool.closer.discard(e, CloseReason.MAX_LIFETIME);
            }
        }
    }
}
