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
 * <p>Two limits, each a quarter of the pool per second: retirements started ({@link #acquire}),
 * which spreads the replacements' connects and bounds how many retired connections are open beside
 * their replacements (a retirement counts until its close, and at least a second), and retired
 * connections closed ({@link #closeDelay}), which spreads the closes. The close limit is kept by
 * holding a retired connection, set aside and serving nobody, until its turn; so the start limit
 * need not wait a further second after the close, and a replacement that connects slowly (over a
 * second, as PostgreSQL under full load on a small machine) holds back the next retirement only
 * for the time of its connect.
 */
final class RetirementBudget {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Room for the asynchronous physical close, which may lag the retirement by some milliseconds under load. */
    static final long CLOSE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Retirements that count: {start, 1 once closed}; cancelled ones leave. */
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
     * Starts one retirement within the budget of a pool of {@code poolSize}: a token to pass to
     * {@link #closed} or {@link #cancel}, or null when the budget is spent. It counts until it is
     * closed, and for at least one second from now.
     */
    long[] acquire(int poolSize) {
        int perSecond = Math.max(1, poolSize / 4);
        long now = clock.getAsLong();
        lock.lock();
        try {
            recent.removeIf(t -> t[1] != 0 && now - t[0] >= WINDOW_NANOS);
            if (recent.size() >= perSecond) {
                return null;
            }
            long[] token = {now, 0};
            recent.add(token);
            return token;
        } finally {
            lock.unlock();
        }
    }

    /**
     * When the connection a retirement set aside may be closed, in nanoseconds from now (0: now),
     * so that no window of one second (plus {@link #CLOSE_MARGIN_NANOS}) holds more than a quarter
     * of the pool's closes. The start budget cannot promise that: replacements connect in
     * varying times, so closes of retirements started a second apart can land together.
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

    /** The retired connection was closed: its retirement counts until a second after its start. */
    void closed(long[] token) {
        lock.lock();
        try {
            token[1] = 1;
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
