package dev.sluice.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pool's connections and the callers waiting for one.
 *
 * <p>Why it is shaped this way. Borrowing and returning are the hot path, so they take no lock
 * and allocate nothing: the entries live in a copy-on-write array (changed only when a connection
 * is opened or closed, which is rare and slow anyway), and a borrower claims an idle entry with
 * one CAS on its state. Returning with nobody waiting is a volatile store and two volatile reads.
 *
 * <p>Where a scan starts. Each thread starts at the slot where its last scan that had to move on
 * ended (at first, a slot derived from its thread id), so two threads running at once settle on
 * different entries and stop pulling one entry's cache line back and forth between their cores.
 * A fixed slot per thread id could not do that once threads outnumber connections: with 16
 * threads on 4 connections, the two running threads shared a start slot a fifth of the time, and a
 * tenth of all borrows paid a cache miss (p90 of getConnection 0.2 µs against 0.04 µs with hints).
 *
 * <p>First come, first served. A caller that finds nothing idle joins a FIFO queue of waiters and
 * parks. While anyone waits, an entry that comes back (returned, validated, newly opened) is never
 * made idle: it goes straight to the longest-waiting waiter that is still waiting, so neither the
 * returner coming back for more nor a newcomer can take it first. Each waiter's {@code value}
 * moves once, by CAS, from null to an entry, a failure or CANCELLED, so an entry is handed to a
 * waiter exactly once: a waiter that times out or is interrupted either wins that CAS (and nothing
 * was handed to it) or loses it and keeps what it was handed.
 *
 * <p>Leaving the queue is O(1). A waiter that gives up only marks its node CANCELLED; hand-offs
 * skip such nodes as they reach the head. Removing the node from the middle of the queue instead
 * costs a walk of the queue, which with thousands of virtual threads waiting took ~12% of the CPU.
 * So that abandoned nodes cannot pile up behind a waiter that never leaves, every
 * {@code max(}{@value #SWEEP_AFTER}{@code , waiting)} abandonments one walk sweeps them out:
 * amortised O(1) per waiter, and the queue never holds more than that many dead nodes beyond the
 * ones a walk is already removing.
 *
 * <p>No lost hand-off: a waiter counts itself, queues, and only then scans the entries once. A
 * returner that finds no live waiter in the queue publishes IDLE and then looks again; a waiter that
 * queued after that look scans after it and finds the entry idle, and one that queued before it is
 * found by the look, which takes the entry back and hands it over. With both sides using volatile
 * accesses, at least one of them sees the other.
 */
final class ConnectionBag {
    /** Marks a waiter that gave up (deadline, interrupt, or an entry of its own found by its scan). */
    private static final Object CANCELLED = new Object();
    /** The fewest abandoned queue nodes worth a sweep: below this a walk costs more than the nodes it frees. */
    static final int SWEEP_AFTER = 64;

    /** Threads map to {@value #HINT_SLOTS} start hints by thread id; threads that share one only share a start. */
    private static final int HINT_SLOTS = 64;
    /** Ints per 64-byte cache line: each hint on its own line, since each is written by the threads that own it. */
    private static final int HINT_STRIDE = 16;

    /** The pool's clock: when waiters' deadlines come. */
    private final Ticker ticker;
    private final ReentrantLock structureLock = new ReentrantLock();
    /** Where each thread's next scan starts, plus one (0: no hint yet). Plain ints: a stale hint only moves a start. */
    private final int[] startHints = new int[HINT_SLOTS * HINT_STRIDE];
    private volatile PooledConnection[] entries = new PooledConnection[0];
    /** Oldest first; live waiters and abandoned (CANCELLED) nodes not yet skipped or swept. */
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    /** Waiters not yet served, failed or gone: the demand the pool sees, and the return path's one check. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Nodes abandoned since the last sweep (an upper bound: hand-offs also drop some as they pass). */
    private final AtomicInteger abandoned = new AtomicInteger();
    /** Hand-outs of entries no longer in the array; written under structureLock. */
    private volatile long retiredBorrows;

    ConnectionBag(Ticker ticker) {
        this.ticker = ticker;
    }

    /** Claims an idle entry, or returns null. Lock-free, allocation-free. */
    PooledConnection poll(long threadId) {
        PooledConnection[] a = entries;
        int n = a.length;
        if (n == 0) {
            return null;
        }
        int h = ((int) threadId & (HINT_SLOTS - 1)) * HINT_STRIDE;
        int hint = startHints[h] - 1;
        int start = hint >= 0 && hint < n ? hint : (int) ((threadId & 0x7fffffffL) % n);
        for (int i = 0, idx = start; i < n; i++) {
            PooledConnection e = a[idx];
            // Plain state read first: a CAS on an entry someone holds would only bounce its cache line.
            if (e.state() == PooledConnection.IDLE && e.compareAndSetState(PooledConnection.IDLE, PooledConnection.IN_USE)) {
                if (i != 0) {
                    startHints[h] = idx + 1;
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
     * Makes an entry the caller holds (IN_USE or RESERVED) available: handed to the longest-waiting
     * live waiter if there is one, idle otherwise. Used for returns, for entries the pool itself
     * held (validation, retirement) and for newly opened ones alike.
     */
    void offer(PooledConnection e) {
        if (waiting.get() > 0 && handToOldest(e)) {
            return;
        }
        e.setState(PooledConnection.IDLE);
        // A waiter that queued after the look above scans after queuing and finds e idle, unless it scanned
        // just before this store; then it is in the queue now, and this loop takes e back and hands it over.
        while (waiting.get() > 0 && liveWaiterQueued() && e.compareAndSetState(PooledConnection.IDLE, PooledConnection.IN_USE)) {
            if (handToOldest(e)) {
                return;
            }
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

    private boolean liveWaiterQueued() {
        for (Waiter w : waiters) {
            if (w.value == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Waits for an entry until {@code deadlineNanos}. Returns the entry (IN_USE, owned by the
     * caller), or null at the deadline. Throws the failure a connect attempt delivered to waiters
     * (e.g. wrong password), so they fail at once instead of at their deadline. An entry handed
     * over as the deadline passes or the thread is interrupted is kept (the interrupt stays set):
     * the hand-off came first, and giving it back would only move the wait to the next waiter.
     *
     * @param onQueued runs once the waiter is counted and queued, before parking: the pool starts
     *                 a connect there, so the demand it computes includes this waiter
     */
    PooledConnection await(long threadId, long deadlineNanos, Runnable onQueued) throws SQLException, InterruptedException {
        Waiter w = new Waiter(Thread.currentThread());
        waiting.incrementAndGet();
        waiters.add(w);
        boolean left = false;
        try {
            onQueued.run();
            // Once, after queuing: an entry a returner made idle because it saw no waiter in the queue.
            PooledConnection e = poll(threadId);
            if (e != null) {
                if (leave(w)) {
                    left = true;
                    return e;
                }
                offer(e); // someone handed us one while we scanned: keep theirs, pass the scanned one on
            }
            for (;;) {
                if (w.value != null) {
                    left = true;
                    return w.result();
                }
                long remaining = deadlineNanos - ticker.read();
                if (remaining <= 0) {
                    left = true;
                    return leave(w) ? null : w.result();
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    left = true;
                    if (leave(w)) {
                        throw new InterruptedException();
                    }
                    Thread.currentThread().interrupt();
                    return w.result();
                }
            }
        } finally {
            if (!left && !leave(w) && w.value instanceof PooledConnection handed) {
                offer(handed); // leaving abnormally (onQueued threw) after a hand-off: the entry goes on, not lost
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

    static {
        try {
            WAITER_VALUE = MethodHandles.lookup().findVarHandle(Waiter.class, "value", Object.class);
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
