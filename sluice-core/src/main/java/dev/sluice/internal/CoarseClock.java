package dev.sluice.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A monotonic clock read with one volatile load: {@link System#nanoTime()} refreshed every
 * {@link #TICK_NANOS} by one daemon thread shared by every pool in the JVM.
 *
 * <p>Why it exists. The borrow and return path needs "how long has this connection been idle?"
 * and "has its lifetime ended?", and {@code System.nanoTime()} costs 20-30 ns on virtual machines:
 * two reads per cycle were most of a borrow's cost. None of those questions needs better than
 * a tick, provided every comparison is made conservative by one tick, so that a coarse answer can
 * make the pool validate a connection a little early but never skip a validation it owes:
 * the clock lags the true time by at most a tick while its thread keeps up, and code that reads
 * the real clock anyway on a slow path pushes it forward ({@link #advance}), so it lags less
 * when the machine is too busy to run the ticker on time.
 *
 * <p>Pools do not call it by name: it is the coarse reading of {@link Ticker#system()}, the clock a
 * pool is given in production, so that a test can give a pool a clock of its own instead.
 */
final class CoarseClock {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private static volatile long now = System.nanoTime();

    static {
        Thread ticker = new Thread(CoarseClock::tick, "sluice-clock");
        ticker.setDaemon(true);
        ticker.start();
    }

    private CoarseClock() {
    }

    /** The time at the last tick: at most about one tick behind {@link System#nanoTime()}. */
    static long now() {
        return now;
    }

    /** Moves the clock to a real reading taken elsewhere, if that is ahead; writes rarely, to spare the cache line. */
    static void advance(long realNanos) {
        if (realNanos - now > TICK_NANOS / 4) {
            now = realNanos;
        }
    }

    private static void tick() {
        for (;;) {
            LockSupport.parkNanos(TICK_NANOS);
            long t = System.nanoTime();
            if (t - now > 0) {
                now = t;
            }
        }
    }
}
