package dev.sluice.sim;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What happened to every borrow of a run: when it arrived, how long {@code getConnection} took,
 * whether it got a connection, and how long the whole borrow took (wait plus statement). Written by many worker threads at once without a lock: each
 * borrow claims a slot with one atomic increment; the arrays are sized up front from the profile,
 * and borrows beyond them are only counted ({@link #overflow()}), never dropped silently.
 */
final class WaitLog {
    static final byte OK = 0;
    static final byte TIMEOUT = 1;
    static final byte FAILED = 2;

    private final long[] arrivalNanos;
    private final long[] waitNanos;
    private final long[] responseNanos;
    private final byte[] outcome;
    private final AtomicInteger next = new AtomicInteger();

    WaitLog(int capacity) {
        arrivalNanos = new long[capacity];
        waitNanos = new long[capacity];
        responseNanos = new long[capacity];
        outcome = new byte[capacity];
    }

    /** @param totalNanos wait plus statement; for a borrow that got no connection, the wait */
    void record(long arrivalSinceStartNanos, long waitedNanos, long totalNanos, byte result) {
        int i = next.getAndIncrement();
        if (i < outcome.length) {
            arrivalNanos[i] = arrivalSinceStartNanos;
            waitNanos[i] = waitedNanos;
            responseNanos[i] = totalNanos;
            outcome[i] = result;
        }
    }

    /** Records made; read after every worker finished (the executor's termination orders the writes before). */
    int count() {
        return Math.min(next.get(), outcome.length);
    }

    int overflow() {
        return Math.max(0, next.get() - outcome.length);
    }

    long arrival(int i) {
        return arrivalNanos[i];
    }

    long wait(int i) {
        return waitNanos[i];
    }

    long response(int i) {
        return responseNanos[i];
    }

    byte outcome(int i) {
        return outcome[i];
    }
}
