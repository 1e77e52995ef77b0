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
 * one CAS on its state, starting the scan at a slot derived from its thread id so threads tend to
 * reuse "their" connection and rarely collide. Returning is a volatile store.
 *
 * <p>Fairness. A caller that finds nothing idle joins a FIFO queue of waiters and parks. A
 * returning thread that sees waiters hands its connection directly to the oldest live waiter
 * instead of making it idle, so a newcomer cannot overtake someone who has waited longer: no
 * starved waiters, a short tail. Without waiters nothing of this runs: one volatile read of the
 * waiter count is all the return path pays.
 *
 * <p>No lost wake-up: a waiter publishes itself (count, then queue) before re-scanning for idle
 * entries, and a returner publishes IDLE before reading the count. With both sides using volatile
 * accesses, at least one of them sees the other.
 */
final class ConnectionBag {
    /** Marks a waiter that gave up (deadline or interrupt): nothing may be handed to it. */
    private static final Object CANCELLED = new Object();

    private final ReentrantLock structureLock = new ReentrantLock();
    private volatile PooledConnection[] entries = new PooledConnection[0];
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    /** Hand-outs of entries no longer in the array; written under structureLock. */
    private volatile long retiredBorrows;

    /** Claims an idle entry, or returns null. Lock-free, allocation-free. */
    PooledConnection poll(long threadId) {
        PooledConnection[] a = entries;
        int n = a.length;
        if (n == 0) {
            return null;
        }
        int start = (int) ((threadId & 0x7fffffffL) % n);
        for (int i = 0, idx = start; i < n; i++) {
            PooledConnection e = a[idx];
            // Plain state read first: a CAS on an entry someone holds would only bounce its cache line.
            if (e.state() == PooledConnection.IDLE && e.compareAndSetState(PooledConnection.IDLE, PooledConnection.IN_USE)) {
                return e;
            }
            if (++idx == n) {
                idx = 0;
            }
        }
        return null;
    }

    /**
     * Makes an entry the caller holds (IN_USE or RESERVED) available: to the oldest waiter if
     * there is one, else idle.
     */
    void offer(PooledConnection e) {
        e.setState(PooledConnection.IDLE);
        if (waiting.get() == 0) {
            return;
        }
        // Waiters exist: take the entry back (unless a scanning waiter already claimed it) and hand it over.
        if (!e.compareAndSetState(PooledConnection.IDLE, PooledConnection.IN_USE)) {
            return;
        }
        Waiter w;
        while ((w = waiters.poll()) != null) {
            if (w.complete(e)) {
                return;
            }
        }
        // The counted waiter has not queued yet; it re-scans after queuing and will find this entry.
        e.setState(PooledConnection.IDLE);
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
            onQueued.run();
            PooledConnection e = poll(threadId);
            if (e != null) {
                if (w.cancel()) {
                    return e;
                }
                // Someone handed us one while we scanned: keep theirs, give the scanned one back.
                offer(e);
                return w.result();
            }
            for (;;) {
                Object r = w.value;
                if (r != null) {
                    return w.result();
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return w.cancel() ? null : w.result();
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    if (w.cancel()) {
                        throw new InterruptedException();
                    }
                    Thread.currentThread().interrupt(); // got one anyway: keep it, keep the interrupt
                    return w.result();
                }
            }
        } finally {
            if (w.value == CANCELLED) {
                waiters.remove(w);
            }
        }
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
