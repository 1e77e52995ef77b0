package dev.sluice.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A monotonic clock read with one volatile load: {@link System#nanoTime()} refreshed by one daemon
 * thread shared by every pool in the JVM, every {@link #TICK_NANOS} or, while the pools keep it
 * fresh themselves, less often; each reading says how far it may lag ({@link #lagNanos}).
 *
 * <p>Why it exists. The borrow and return path needs "how long has this connection been idle?"
 * and "has its lifetime ended?", and {@code System.nanoTime()} costs 20-30 ns on virtual machines:
 * two reads per cycle were most of a borrow's cost. None of those questions needs better than
 * a tick, provided every comparison is made conservative by the reading's lag, so that a coarse
 * answer can make the pool validate a connection a little early but never skip a validation it
 * owes. Code that reads the real clock anyway on a slow path pushes this one forward
 * ({@link #advance}), so it lags less than its bound while the pools are busy, and less when the
 * machine is too busy to run the ticker on time.
 *
 * <p>Why the ticker backs off. Woken 50 times a second, the ticker costs a busy pool 2-3% of its
 * throughput when the client's threads share one core with it, far more than its CPU time: each
 * wake-up lands between a query and its answer. While the pools' own readings keep the clock fresh
 * (one return in sixteen reads the real clock), the ticker is not needed to keep it fresh, only to
 * bound how stale it can get if they stop, and no reader can tell staleness without reading a real
 * clock. So each time it wakes to find the clock advanced by someone else since its last tick,
 * the ticker doubles its sleep, up to {@link #MAX_BACK_OFF} doublings; the first time it finds the
 * clock not kept fresh, it goes back to one tick. The sleep it chose travels in the reading's three
 * low bits: a reading lags the real clock by at most the sleep of the ticker that published it (or
 * whose reading a slow path replaced), so a reader widens its comparisons by {@link #lagNanos} of
 * the very reading it compares, and a longer sleep can only make the pool take its timed path
 * sooner, never skip a validation. A pool keeps the sleep within two thirds of its
 * validation-bypass window ({@link #limitLag}), so its fast path keeps at least a third of it.
 * Deadlines and timeouts never read this clock: they are on {@link System#nanoTime()}.
 *
 * <p>Pools do not call it by name: it is the coarse reading of {@link Ticker#system()}, the clock a
 * pool is given in production, so that a test can give a pool a clock of its own instead.
 */
final class CoarseClock {
    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** At most 20 ms doubled 4 times: 320 ms between wake-ups while the pools keep the clock fresh. */
    static final int MAX_BACK_OFF = 4;
    /** The low bits of a reading hold its back-off; the time is rounded down to a multiple of 8 ns. */
    private static final long BACK_OFF_BITS = 7;
    /** A reading is up to 15 ns below the real reading it came from: rounding, and room for the bits. */
    private static final long ENCODING_NANOS = 16;
    /** A reading taken this recently, by someone other than the ticker, means the pools keep the clock fresh. */
    private static final long KEPT_FRESH_NANOS = TICK_NANOS / 2;
    private static final VarHandle READING;

    static {
        try {
            READING = MethodHandles.lookup().findVarHandle(CoarseClock.class, "reading", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The JVM's clock, refreshed by the thread "sluice-clock". */
    static final CoarseClock SYSTEM = startedOnThread(new CoarseClock(System::nanoTime));

    private final LongSupplier realClock;
    private volatile long reading;
    /** How many times the ticker may double its sleep; only ever lowered, by {@link #limitLag}. */
    private volatile int maxBackOff = MAX_BACK_OFF;
    /** What the ticker last published; the ticker's thread alone reads and writes it. */
    private long published;

    CoarseClock(LongSupplier realClock) {
        this.realClock = realClock;
        this.reading = encode(realClock.getAsLong(), 0);
        this.published = reading;
    }

    private static CoarseClock startedOnThread(CoarseClock clock) {
        Thread ticker = new Thread(() -> {
            for (;;) {
                LockSupport.parkNanos(clock.tick());
            }
        }, "sluice-clock");
        ticker.setDaemon(true);
        ticker.start();
        return clock;
    }

    /** The time, at most {@link #lagNanos}{@code (reading)} behind the real clock while the ticker keeps up. */
    long now() {
        return reading;
    }

    /** How far {@code reading}, a value {@link #now} returned, may lag the real clock while the ticker keeps up. */
    static long lagNanos(long reading) {
        return (TICK_NANOS << (reading & BACK_OFF_BITS)) + ENCODING_NANOS;
    }

    /** The most any reading may lag: the lag at the longest back-off. */
    static long maxLagNanos() {
        return (TICK_NANOS << MAX_BACK_OFF) + ENCODING_NANOS;
    }

    /**
     * Moves the clock to a real reading taken elsewhere, if that is ahead; writes rarely, to spare
     * the cache line. The reading keeps the back-off it replaces, since the ticker that chose it
     * is still asleep for that long; if the ticker (or another slow path) wrote meanwhile, this
     * one gives way to theirs.
     */
    void advance(long realNanos) {
        long r = reading;
        if (realNanos - r > TICK_NANOS / 4) {
            READING.compareAndSet(this, r, encode(realNanos, (int) (r & BACK_OFF_BITS)));
        }
    }

    /**
     * Keeps every reading's lag within {@code nanos} (never below one tick): a pool asks for this
     * so that the ticker's back-off cannot eat its validation-bypass window. Only ever lowers the limit.
     */
    synchronized void limitLag(long nanos) {
        int backOff = 0;
        while (backOff < MAX_BACK_OFF && (TICK_NANOS << (backOff + 1)) + ENCODING_NANOS <= nanos) {
            backOff++;
        }
        if (backOff < maxBackOff) {
            maxBackOff = backOff;
        }
    }

    /**
     * One wake-up of the ticker: publishes the real time, with the back-off chosen from whether
     * the clock was kept fresh since the last wake-up, and returns how long to sleep.
     */
    long tick() {
        long t = realClock.getAsLong();
        for (;;) {
            long r = reading;
            boolean keptFresh = r != published && t - r <= KEPT_FRESH_NANOS;
            int backOff = keptFresh ? Math.min((int) (published & BACK_OFF_BITS) + 1, maxBackOff) : 0;
            // A slow path may have published a real reading taken after this one: never go back.
            long next = t - r > 0 ? encode(t, backOff) : (r & ~BACK_OFF_BITS) | backOff;
            if (READING.compareAndSet(this, r, next)) {
                published = next;
                return TICK_NANOS << backOff;
            }
        }
    }

    /**
     * A real reading, rounded down so that its back-off fits in the low bits: the result is below
     * {@code realNanos} by 1 to 15 ns, never above it.
     */
    private static long encode(long realNanos, int backOff) {
        return ((realNanos - 8) & ~BACK_OFF_BITS) | backOff;
    }
}
