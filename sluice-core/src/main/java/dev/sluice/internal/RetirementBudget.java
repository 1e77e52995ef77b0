package dev.sluice.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Limits lifetime retirements to a quarter of the pool per second. Connections opened together
 * (start-up, recovery after an outage) would otherwise reach maxLifetime together and be replaced
 * in a burst of connects and TLS handshakes; with this budget, a retirement that finds it spent
 * is simply looked at again a little later.
 *
 * <p>A retirement counts from its start until one second after the old connection was closed
 * ({@link #closed}); one that was abandoned ({@link #cancel}) stops counting. Counting only the
 * starts would let closes bunch up: a retirement started just before a second ends, its
 * replacement connects a little faster than the previous one's, and three closes fall within one
 * second. With the close counted, no window of one second holds more closes
 * than the budget, as long as a replacement connects in under a second and the physical close
 * follows the retirement within {@link #CLOSE_MARGIN_NANOS}.
 */
final class RetirementBudget {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Room for the asynchronous physical close, which may lag the retirement by some milliseconds under load. */
    static final long CLOSE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** One entry per retirement that still counts: its start, or once closed, its close. */
    private final List<long[]> recent = new ArrayList<>();
    /** When retired connections were closed, or are due to be: see {@link #closeDelay}. */
    private final List<Long> closes = new ArrayList<>();

    RetirementBudget(LongSupplier clock) {
        this.clock = clock;
    }

    /** Takes one retirement from the budget of a pool of {@code poolSize}; false when spent. */
    boolean tryAcquire(int poolSize) {
        return acquire(poolSize) != null;
    }

    /**
     * Takes one retirement from the budget of a pool of {@code poolSize}: a token to pass to
     * {@link #closed} or {@link #cancel}, or null when the budget is spent.
     */
    long[] acquire(int poolSize) {
        int perSecond = Math.max(1, poolSize / 4);
        long now = clock.getAsLong();
        lock.lock();
        try {
            recent.removeIf(t -> now - t[0] >= WINDOW_NANOS);
            if (recent.size() >= perSecond) {
                return null;
            }
            long[] token = {now};
            recent.add(token);
            return token;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The retired connection was closed now: it counts for one more second from here, and a little
     * more ({@link #CLOSE_MARGIN_NANOS}), because the physical close runs afterwards on another thread.
     */
    void closed(long[] token) {
        long now = clock.getAsLong();
        lock.lock();
        try {
            token[0] = now + CLOSE_MARGIN_NANOS;
            if (!recent.contains(token)) {
                recent.add(token);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * When the connection a retirement set aside may be closed, in nanoseconds from now (0: now),
     * so that no window of one second (plus {@link #CLOSE_MARGIN_NANOS}) holds more than a quarter
     * of the pool's closes. The start budget alone cannot promise that: a replacement that connects
     * slowly (over a second, as PostgreSQL under full load on a 2-core machine) lets later
     * retirements start, and their closes then land together with its own. The old connection waits set aside, serving nobody, until its turn.
     */
    long closeDelay(int poolSize) {
        int perSecond = Math.max(1, poolSize / 4);
        long span = WINDOW_NANOS + CLOSE_MARGIN_NANOS;
        long now = clock.getAsLong();
        lock.lock();
        try {
            closes.removeIf(c -> now - c >= span);
            long at = now;
            for (;;) {
                long from = at - span;
                long to = at + span;
                int near = 0;
                long earliest = Long.MAX_VALUE;
                for (long c : closes) {
                    if (c - from > 0 && to - c > 0) {
                        near++;
                        earliest = Math.min(earliest, c);
                    }
                }
                if (near < perSecond) {
                    closes.add(at);
                    return at - now;
                }
                at = Math.max(at, earliest + span + 1);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The retirement did not happen (the connection stays in service): it no longer counts. */
    void cancel(long[] token) {
        lock.lock();
        try {
            recent.remove(token);
        } finally {
            lock.unlock();
        }
    }
}
