package dev.sluice.internal;

/** The production {@link Ticker}: the JVM's monotonic clock and the shared {@link CoarseClock}. */
final class SystemTicker implements Ticker {
    static final SystemTicker INSTANCE = new SystemTicker();

    private SystemTicker() {
    }

    @Override
    public long read() {
        return System.nanoTime();
    }

    @Override
    public long coarse() {
        return CoarseClock.SYSTEM.now();
    }

    @Override
    public long coarseLagNanos(long coarseReading) {
        return CoarseClock.lagNanos(coarseReading);
    }

    @Override
    public long coarseLagNanos() {
        return CoarseClock.maxLagNanos();
    }

    @Override
    public void limitCoarseLag(long nanos) {
        CoarseClock.SYSTEM.limitLag(nanos);
    }

    @Override
    public void advanceCoarse(long reading) {
        CoarseClock.SYSTEM.advance(reading);
    }
}
