package dev.sluice.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Limits lifetime retirements to a quarter of the pool per second. Connections opened together
 * (start-up, recovery after an outage) would otherwise reach maxLifetime together and be replaced
 * in a burst of connects and TLS handshakes; with this budget, a retirement that finds it spent
 * is simply looked at again a little later.
 */
final class RetirementBudget {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Long> recent = new ArrayDeque<>();

    RetirementBudget(LongSupplier clock) {
        this.clock = clock;
    }

    /** Takes one retirement from the budget of a pool of {@code poolSize}; false when spent. */
    boolean tryAcquire(int poolSize) {
        int perSecond = Math.max(1, poolSize / 4);
        long now = clock.getAsLong();
        lock.lock();
        try {
            while (!recent.isEmpty() && now - recent.peekFirst() >= WINDOW_NANOS) {
                recent.removeFirst();
            }
            if (recent.size() >= perSecond) {
                return false;
            }
            recent.addLast(now);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
