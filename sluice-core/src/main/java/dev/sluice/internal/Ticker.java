package dev.sluice.internal;

/**
 * The clock of one pool: every part of it reads time here, never {@link System#nanoTime()}
 * directly, as Caffeine's caches read their {@code Ticker}. A test passes a clock it moves by
 * hand, so lifetimes, idle limits, leaks and the validation window are tested without sleeping;
 * a pool in production gets {@link #system()}.
 *
 * <p>Two readings, because the borrow and return path cannot afford a precise one (see
 * {@link CoarseClock}): {@link #read()} is exact, {@link #coarse()} may lag it by up to
 * {@link #coarseLagNanos(long)} of that reading, and whoever compares a coarse reading with a limit
 * widens the comparison by that lag so that the lag can only make the pool act early. Readings of both kinds
 * are nanoseconds on one monotonic scale: only differences between them mean anything.
 *
 * <p>The hot path calls this through a final field. Production loads one implementation only, so
 * the JIT binds the calls statically and inlines them: a coarse reading stays one volatile load.
 */
interface Ticker {
    /** The time now, in nanoseconds. */
    long read();

    /** The time now, give or take {@link #coarseLagNanos(long)} behind: cheap enough for every borrow. */
    long coarse();

    /** How far {@code coarseReading}, a value {@link #coarse()} returned, may lag {@link #read()} while the clock keeps up. */
    long coarseLagNanos(long coarseReading);

    /** The most any coarse reading may lag {@link #read()} while the clock keeps up. */
    long coarseLagNanos();

    /**
     * Asks the coarse clock to keep every reading's lag within {@code nanos}, if it can (never
     * below its shortest lag): a pool's validation-bypass window shrinks by the lag on its fast path.
     */
    void limitCoarseLag(long nanos);

    /**
     * A precise reading taken on a slow path: the coarse reading catches up with it if it is
     * behind, so the coarse clock lags less when its own refresh runs late.
     */
    void advanceCoarse(long reading);

    /** {@link System#nanoTime()}, with {@link CoarseClock} as the coarse reading: one for the JVM. */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}
