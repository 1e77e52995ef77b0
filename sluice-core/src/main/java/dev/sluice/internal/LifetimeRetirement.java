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
 *
 * <p>When replacements connect slowly (seconds, on a loaded database), the budget cannot retire
 * all of the connections opened together within their spread, and some reach maxLifetime without
 * a turn. Such a connection leaves service there but stays open, serving nobody, until a turn
 * frees ({@link #expired}): closing each at once would undo the spreading exactly when the database
 * is slow, with several closes together and the pool shrunk until the refill catches up, which
 * runs at the same connect rate as the turns. It still counts as capacity, so nothing is opened
 * beside it outside the budget (connections open stay within maximumPoolSize plus the retirements
 * under way), and it waits no longer than turns can take to come ({@link #overdueBoundNanos}).
 */
final class LifetimeRetirement {
    private final Pool pool;
    private final RetirementBudget budget;
    /** Retired connections whose replacement is open, waiting for their turn in the close budget. */
    private final Set<PooledConnection> closingInTurn = ConcurrentHashMap.newKeySet();
    /** Replacements connecting now. */
    private final AtomicInteger replacing = new AtomicInteger();
    /** Past maxLifetime without a turn: out of service, open until a turn frees (see {@link #expired}). */
    private final Set<PooledConnection> overdue = ConcurrentHashMap.newKeySet();
    /** How often an overdue connection asks for a turn: often, since it is the most urgent retirement there is. */
    private static final long OVERDUE_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

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
            // Set aside: its retirement is under way, and retried there if it fails. Overdue: it asks for its own turn.
            if (!e.setAsideForReplacement && !overdue.contains(e)) {
                retryLater(e); // RESERVED: being validated, or about to be set aside by onReturn
            }
            return;
        }
        long[] token = acquireTurn();
        if (token == null) {
            if (pool.ticker.read() - e.expiresAtNanos >= 0 && e.reserve()) {
                expired(e); // out of service at maxLifetime, open until its turn
                return;
            }
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
     * The longest an overdue connection waits for a turn: as long as the budget takes to retire the
     * whole pool, a quarter at a time, when every replacement takes its full connectionTimeout (a
     * connect is abandoned then) and its close a further second. Turns free at least that fast, so
     * a longer wait means none is coming, and an old connection must not linger for ever.
     */
    private long overdueBoundNanos() {
        int size = pool.maximumPoolSize;
        int perTurn = Math.max(1, size / 4);
        long rounds = (size + perTurn - 1) / perTurn;
        return rounds * (pool.connectionTimeoutNanos + TimeUnit.SECONDS.toNanos(1));
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
     * connected too slowly), held by the caller: it never serves again. It is still replaced before
     * it closes, so the database does not see the pool shrink and its closes stay spaced: now if the
     * budget has a turn, else when one frees, meanwhile set aside (overdue) within the bound of the
     * class comment.
     */
    void expired(PooledConnection e) {
        long[] token = acquireTurn();
        e.retireOnReturn = null;
        e.setState(PooledConnection.RESERVED);
        if (token != null) {
            replaceThenRetire(e, token, true);
            return;
        }
        overdue.add(e);
        if ((pool.isClosed() || !pool.scheduler.tryOnce(() -> overdueTurn(e), OVERDUE_RETRY_NANOS)) && overdue.remove(e)) {
            pool.closer.discard(e, CloseReason.MAX_LIFETIME); // the pool is closing: no turn will come
        }
    }

    /** An overdue connection asks for its turn again; past its bound it closes without one. */
    private void overdueTurn(PooledConnection e) {
        if (!overdue.contains(e)) {
            return; // closing the pool closed it
        }
        if (pool.isClosed()) {
            if (overdue.remove(e)) {
                pool.closer.discard(e, CloseReason.MAX_LIFETIME);
            }
            return;
        }
        long[] token = acquireTurn();
        if (token != null) {
            if (overdue.remove(e)) {
                replaceThenRetire(e, token, true);
            } else {
                budget.cancel(token);
            }
            return;
        }
        long overdueFor = pool.ticker.read() - e.expiresAtNanos;
        if (overdueFor >= overdueBoundNanos() || !pool.scheduler.tryOnce(() -> overdueTurn(e), OVERDUE_RETRY_NANOS)) {
            if (overdue.remove(e)) {
                pool.closer.discard(e, CloseReason.MAX_LIFETIME);
            }
        }
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
            // Counted as replacing until the old connection's close is arranged: one more turn taken
            // meanwhile would exceed maxConcurrentCreates no more than before, and a reader of
            // replacing() that sees 0 knows every retirement it started has reached its next step.
            try {
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
            } finally {
                replacing.decrementAndGet();
            }
        });
    }

    /** Replacements connecting, or connected with the old connection's close not yet arranged. */
    int replacing() {
        return replacing.get();
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

    /** At close: connections retired already or overdue, only waiting for their turn, close now. */
    void closeWaiting() {
        for (PooledConnection e : closingInTurn) {
            if (closingInTurn.remove(e)) {
                pool.closer.discard(e, CloseReason.MAX_LIFETIME);
            }
        }
        for (PooledConnection e : overdue) {
            if (overdue.remove(e)) {
                pool.closer.discard(e, CloseReason.MAX_LIFETIME);
            }
        }
    }
}
