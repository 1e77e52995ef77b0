package dev.sluice.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's connections and the callers waiting for one.
 *
 * <p>Why it is shaped this way. Borrowing and returning are the hot path, so they take no lock
 * and allocate nothing: the entries live in a copy-on-write array (changed only when a connection
 * is opened or closed, which is rare and slow anyway), and a borrower claims an idle entry with
 * one CAS on its state. Returning is a volatile store.
 *
 * <p>Where a scan starts. Each thread starts at the slot where its last scan that had to move on
 * ended (at first, a slot derived from its thread id), so two threads running at once settle on
 * different entries and stop pulling one entry's cache line back and forth between their cores.
 * A fixed slot per thread id could not do that once threads outnumber connections: with 16
 * threads on 4 connections, the two running threads shared a start slot a fifth of the time, and a
 * tenth of all borrows paid a cache miss (p90 of getConnection 0.2 µs against 0.04 µs with hints).
 *
 * <p>Fairness without convoys. A caller that finds nothing idle joins a FIFO queue of waiters
 * and parks. A returning thread that sees waiters makes its connection idle and wakes the oldest
 * waiter to compete for it; a thread that is already running (often the returner itself, coming
 * back for more) usually wins, which avoids a context switch per hand-out. Once the oldest waiter
 * has waited {@link #STARVATION_NANOS}, returns hand connections to it directly, so barging can
 * delay a waiter but never starve it. Without waiters nothing of this runs: one volatile read of
 * the waiter count is all the return path pays.
 *
 * <p>A returner that woke a waiter yields once if its connection is still idle. When threads
 * outnumber cores, the woken waiter needs a core to take the connection, and the returner is the
 * thread that would otherwise take it back. Measured with 16 threads on 4 connections and 2 cores:
 * throughput 6 → 10 ops/µs, mean getConnection 7.5 → 0.8 µs, p99.9 2 ms → 5 µs. Waits became
 * rarer (0.2% → 0.02% of borrows) and shorter (1.2 ms → 0.2–0.4 ms). On a machine with a core to
 * spare, yield returns at once.
 *
 * <p>Hand-offs are exactly-once and never pass through IDLE. A waiter's {@code value} moves once,
 * by CAS, from null to an entry, a failure or CANCELLED, so a waiter that times out or is
 * interrupted as an entry is handed to it either wins that CAS (nothing was handed) or keeps the
 * entry. An entry handed directly (a starving waiter, a new connection) goes from its holder to the
 * waiter without being published as idle, so nobody can take it in between.
 *
 * <p>Leaving the queue is O(1). A waiter that gives up only marks its node CANCELLED; the head is
 * trimmed of such nodes as returns look at it. Removing the node from the middle of the queue
 * instead costs a walk of the queue, which with thousands of virtual threads waiting took ~12% of
 * the CPU. So that abandoned nodes cannot pile up behind a waiter that never leaves, every
 * {@code max(}{@value #SWEEP_AFTER}{@code , waiting)} abandonments one walk sweeps them out:
 * amortised O(1) per waiter.
 *
 * <p>No lost wake-up: a waiter publishes itself (count, then queue) before scanning for idle
 * entries, and a returner publishes IDLE before reading the count; a woken waiter gives back
 * the wake token before it scans, and a returner reads the token after publishing IDLE. With
 * both sides using volatile accesses, at least one of them sees the other.
 */
final class ConnectionBag {
    /** Marks a waiter that gave up (deadline or interrupt): nothing may be handed to it. */
    private static final Object CANCELLED = new Object();
    /**
     * How long a waiter competes with newcomers before entries are handed to it directly (Go's
     * sync.Mutex switches to hand-off after the same 1 ms). Short enough that nobody starves,
     * long enough that a burst is served by threads already running instead of by a context
     * switch per hand-out. Measured with 16 threads on 4 connections and 2 cores: direct
     * hand-off always ran at 0.18 ops/µs; 1 ms at ~3 ops/µs with most/least-served thread ≤ ~1.8;
     * 100 µs at ~1.3 ops/µs. Waiters that yield instead of parking (tried: 4 and 16 yields) gained
     * little throughput and lost fairness (ratios up to 49). Since the returner yields (see the class
     * comment), 250 µs measured the same as 1 ms within noise, so the bound stayed.
     */
    static final long STARVATION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The fewest abandoned queue nodes worth a sweep: below this a walk costs more than the nodes it frees. */
    static final int SWEEP_AFTER = 64;

    /** Threads map to {@value #HINT_SLOTS} start hints by thread id; threads that share one only share a start. */
    private static final int HINT_SLOTS = 64;
    /** Ints per 64-byte cache line: each hint on its own line, since each is written by the threads that own it. */
    private static final int HINT_STRIDE = 16;

    /** The pool's clock: how long waiters have waited, and when their deadline comes. */
    private final Ticker ticker;
    private final ReentrantLock structureLock = new ReentrantLock();
    /**
     * Where each thread's next scan starts, plus one (0: no hint yet). Plain ints: a stale hint only
     * moves a start. Null until a scan first has to pass a held entry: the array is 4 KB (a cache
     * line per slot), more than ten pooled connections' entries, and a pool whose borrowers never
     * meet another's connection (a quiet pool; one of many small tenant pools) has no use for it.
     * Made by a plain write: threads racing to make it may each write one, and a hint written into
     * the array not kept is lost, which only moves a start.
     */
    private int[] startHints;
    private volatile PooledConnection[] entries = new PooledConnection[0];
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** Nodes abandoned since the last sweep (an upper bound: trimming the head also drops some). */
    private final AtomicInteger abandoned = new AtomicInteger();
    /** The waiter woken to compete for an idle entry that has not looked yet, or null. */
    @SuppressWarnings("unused") // accessed through WOKEN
    private volatile Waiter woken;
    /** Hand-outs of entries no longer in the array; written under structureLock. */
    private volatile long retiredBorrows;

    ConnectionBag(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Claims an idle entry, or returns null. Lock-free, and allocation-free but for the first scan that passes a held entry. */
    PooledConnection poll(long threadId) {
        PooledConnection[] a = entries;
        int n = a.length;
        if (n == 0) {
            return null;
        }
        int h = ((int) threadId & (HINT_SLOTS - 1)) * HINT_STRIDE;
        int[] hints = startHints;
        int hint = hints == null ? -1 : hints[h] - 1;
        int start = hint >= 0 && hint < n ? hint : (int) ((threadId & 0x7fffffffL) % n);
        for (int i = 0, idx = start; i < n; i++) {
            PooledConnection e = a[idx];
            // Plain state read first: a CAS on an entry someone holds would only bounce its cache line.
            if (e.state() == PooledConnection.IDLE && e.compareAndSetState(PooledConnection.IDLE, PooledConnection.IN_USE)) {
                if (i != 0) {
                    if (hints == null) {
                        startHints = hints = new int[HINT_SLOTS * HINT_STRIDE];
                    }
                    hints[h] = idx + 1;
                }
                return e;
            }
            if (++idx == n) {
                idx = 0;
            }
        }
        return null;
    }

    /**
     * Makes an entry the caller holds (IN_USE or RESERVED) available. With nobody waiting it simply
     * becomes idle. With waiters it becomes idle too, and the oldest waiter is woken to compete for
     * it with whoever else comes (barging), unless that waiter has waited longer than
     * {@link #STARVATION_NANOS}: then the entry is handed to it directly.
     */
    void offer(PooledConnection e) {
        offer(e, false);
    }

    /** {@link #offer} for a borrower's return: see the class comment for why the returner may yield. */
    void offerReturned(PooledConnection e) {
        offer(e, true);
    }

    private void offer(PooledConnection e, boolean byReturner) {
        long now = 0;
        boolean read = false;
        if (waiting.get() > 0) {
            Waiter first = oldestLive();
            if (first != null) {
                now = ticker.read();
                read = true;
                if (now - first.since >= STARVATION_NANOS && handToOldest(e)) {
                    return; // starvation mode, straight from the holder: never idle, so nobody can barge in between
                }
            }
        }
        e.setState(PooledConnection.IDLE);
        if (waiting.get() == 0) {
            return;
        }
        Waiter oldest = oldestLive();
        if (oldest == null) {
            return; // the counted waiter has not queued yet; it scans after queuing and will find this entry
        }
        // One clock read per return: a reading a moment old can only take a starving waiter for a
        // young one, which the next return hands off.
        if ((read ? now : ticker.read()) - oldest.since < STARVATION_NANOS) {
            wake(oldest);
            if (byReturner && e.state() == PooledConnection.IDLE) {
                Thread.yield();
            }
            return;
        }
        handOff(e); // starvation mode
    }

    /**
     * Makes a newly opened entry available: straight to the oldest live waiter, since it was opened
     * for the callers waiting; idle if nobody waits.
     */
    void offerNew(PooledConnection e) {
        if (waiting.get() > 0 && handToOldest(e)) {
            return;
        }
        e.setState(PooledConnection.IDLE);
        if (waiting.get() > 0) {
            handOff(e); // a waiter that counted itself meanwhile may have scanned before the store
        }
    }

    /** Takes a just-published idle entry back (unless someone claimed it already) and hands it to the oldest waiter. */
    private void handOff(PooledConnection e) {
        if (e.compareAndSetState(PooledConnection.IDLE, PooledConnection.IN_USE) && !handToOldest(e)) {
            e.setState(PooledConnection.IDLE);
        }
    }

    /** Hands {@code e}, which the caller holds, to the oldest live waiter; false (e still held) if there is none. */
    private boolean handToOldest(PooledConnection e) {
        e.setState(PooledConnection.IN_USE); // the waiter's, if it is taken; RESERVED would hide it from stats
        Waiter w;
        while ((w = waiters.poll()) != null) {
            if (w.complete(e)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Wakes the oldest waiter if an entry is idle. A woken waiter calls this after it took an
     * entry: returns that came while it held the wake token woke nobody, so the entries they
     * left idle would otherwise wait, unseen, for the next return.
     */
    private void propagate() {
        if (waiting.get() == 0) {
            return;
        }
        for (PooledConnection e : entries) {
            if (e.state() == PooledConnection.IDLE) {
                Waiter w = oldestLive();
                if (w != null) {
                    wake(w);
                }
                return;
            }
        }
    }

    /** The oldest waiter still waiting; abandoned nodes in front of it are unlinked on the way (O(1) each). */
    private Waiter oldestLive() {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (w.value == null) {
                return w;
            }
            it.remove();
        }
        return null;
    }

    /**
     * Wakes {@code w} to look for an idle entry, unless a woken waiter has not looked yet: one
     * awake competitor is enough, and more would only burn context switches. A waiter gives the
     * token back before it looks, so an entry offered after its look wakes someone again.
     */
    private void wake(Waiter w) {
        while (w != null && woken == null && WOKEN.compareAndSet(this, null, w)) {
            // Re-check after publishing the token: a waiter that left between oldestLive() and here would
            // hold it forever. Either this read sees it gone, or its exit sees the token (both volatile).
            if (w.value == null) {
                LockSupport.unpark(w.thread);
                return;
            }
            WOKEN.compareAndSet(this, w, null);
            w = oldestLive();
        }
    }

    /**
     * Waits for an entry until {@code deadlineNanos}. Returns the entry (IN_USE, owned by the
     * caller), or null at the deadline. Throws the failure a connect attempt delivered to waiters
     * (e.g. wrong password), so they fail at once instead of at their deadline.
     *
     * @param onQueued runs once the waiter is counted and queued, before parking: the pool starts
     *                 a connect there, so the demand it computes includes this waiter
     */
    PooledConnection await(long threadId, long deadlineNanos, Runnable onQueued) throws SQLException, InterruptedException {
        Waiter w = new Waiter(Thread.currentThread());
        waiting.incrementAndGet();
        waiters.add(w);
        try {
            try {
                onQueued.run();
            } catch (RuntimeException | Error failure) {
                if (!leave(w) && w.value instanceof PooledConnection handed) {
                    offer(handed); // handed one before failing on the way in: it goes on, not lost
                }
                throw failure;
            }
            for (;;) {
                if (w.value != null) {
                    return w.result();
                }
                // Give the wake token back before looking: an entry offered after this look wakes someone.
                WOKEN.compareAndSet(this, w, null);
                PooledConnection e = poll(threadId);
                if (e != null) {
                    if (leave(w)) {
                        propagate();
                        return e;
                    }
                    // Someone handed us one while we scanned: keep theirs, give the scanned one back.
                    offer(e);
                    return w.result();
                }
                long remaining = deadlineNanos - ticker.read();
                if (remaining <= 0) {
                    return leave(w) ? null : w.result();
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    if (leave(w)) {
                        throw new InterruptedException();
                    }
                    Thread.currentThread().interrupt(); // got one anyway: keep it, keep the interrupt
                    return w.result();
                }
            }
        } finally {
            if (woken == w && WOKEN.compareAndSet(this, w, null)) {
                propagate(); // woken to compete but leaving without looking again: pass the wake on
            }
        }
    }

    /**
     * Marks {@code w} abandoned unless something was handed to it first; true if it was. O(1): the node
     * stays queued until a hand-off skips it or a sweep removes it.
     */
    private boolean leave(Waiter w) {
        if (!w.cancel()) {
            return false;
        }
        int n = abandoned.incrementAndGet();
        // One caller wins the reset and sweeps; abandonments during the sweep count toward the next one.
        if (n >= Math.max(SWEEP_AFTER, waiting.get()) && abandoned.compareAndSet(n, 0)) {
            waiters.removeIf(x -> x.value != null);
        }
        return true;
    }

    /** Queue nodes, live and abandoned: for tests of the sweep's bound. */
    int queued() {
        return waiters.size();
    }

    /** Delivers a failure to every current waiter. */
    void failWaiters(SQLException failure) {
        Waiter w;
        while ((w = waiters.poll()) != null) {
            w.complete(failure);
        }
    }

    int waiting() {
        return waiting.get();
    }

    void add(PooledConnection e) {
        structureLock.lock();
        try {
            PooledConnection[] a = entries;
            PooledConnection[] b = Arrays.copyOf(a, a.length + 1);
            b[a.length] = e;
            entries = b;
        } finally {
            structureLock.unlock();
        }
    }

    /** Removes an entry from the array; it must already be marked REMOVED. */
    void remove(PooledConnection e) {
        structureLock.lock();
        try {
            PooledConnection[] a = entries;
            for (int i = 0; i < a.length; i++) {
                if (a[i] == e) {
                    PooledConnection[] b = new PooledConnection[a.length - 1];
                    System.arraycopy(a, 0, b, 0, i);
                    System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                    entries = b;
                    // After the array no longer holds it: a reader that counts it in both places would
                    // report a total that later shrinks; counting it in neither only lags.
                    retiredBorrows = retiredBorrows + e.borrows();
                    e.settleTally();
                    return;
                }
            }
        } finally {
            structureLock.unlock();
        }
    }

    /** Hand-outs so far, of every entry the bag ever held. */
    long borrows() {
        long n = retiredBorrows;
        for (PooledConnection e : entries) {
            n += e.borrows();
        }
        return n;
    }

    /** A snapshot of the entries, for housekeeping and stats. */
    PooledConnection[] snapshot() {
        return entries;
    }

    int size() {
        return entries.length;
    }

    /** Entries borrowed now, for adaptive sizing's samples. */
    int inUse() {
        return count(PooledConnection.IN_USE);
    }

    int idleCount() {
        return count(PooledConnection.IDLE);
    }

    /** Whether every entry is idle, by one look at each: none borrowed, claimed, reserved or being removed. */
    boolean allIdle() {
        for (PooledConnection e : entries) {
            if (e.state() != PooledConnection.IDLE) {
                return false;
            }
        }
        return true;
    }

    private int count(int state) {
        int n = 0;
        for (PooledConnection e : entries) {
            if (e.state() == state) {
                n++;
            }
        }
        return n;
    }

    /**
     * How long each borrow in flight has been held at {@code now}, for on-demand sizing. Read
     * without synchronising with the borrowers: a start time older than the entry's last return
     * belongs to the previous borrow, and that borrow counts as just begun.
     */
    long[] heldNanos(long now) {
        PooledConnection[] all = entries;
        long[] held = new long[all.length];
        int n = 0;
        for (PooledConnection e : all) {
            if (e.state() == PooledConnection.IN_USE) {
                long at = e.borrowedAtNanos;
                held[n++] = at - e.lastReturnedNanos >= 0 ? Math.max(0, now - at) : 0;
            }
        }
        return Arrays.copyOf(held, n);
    }

    private static final VarHandle WAITER_VALUE;
    private static final VarHandle WOKEN;

    static {
        try {
            WAITER_VALUE = MethodHandles.lookup().findVarHandle(Waiter.class, "value", Object.class);
            WOKEN = MethodHandles.lookup().findVarHandle(ConnectionBag.class, "woken", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * One parked caller. {@code value} goes from null to an entry, a failure, or CANCELLED, once;
     * whoever makes that move uncounts the waiter, so a served waiter that has not woken yet no
     * longer looks like demand for a new connection.
     */
    private final class Waiter {
        final Thread thread;
        final long since = ticker.read();
        volatile Object value;

        Waiter(Thread thread) {
            this.thread = thread;
        }

        boolean complete(Object v) {
            if (WAITER_VALUE.compareAndSet(this, null, v)) {
                waiting.decrementAndGet();
                LockSupport.unpark(thread);
                return true;
            }
            return false;
        }

        boolean cancel() {
            if (WAITER_VALUE.compareAndSet(this, null, CANCELLED)) {
                waiting.decrementAndGet();
                return true;
            }
            return false;
        }

        PooledConnection result() throws SQLException {
            Object v = value;
            if (v instanceof SQLException failure) {
                throw failure;
            }
            return (PooledConnection) v;
        }
    }
}
