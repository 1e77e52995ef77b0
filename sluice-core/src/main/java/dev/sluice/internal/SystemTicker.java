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
        return CoarseClock.now();
    }

    @Override
    public long coarseLagNanos() {
        return CoarseClock.TICK_NANOS;
    }

    @Override
    public void advanceCoarse(long reading) {
        CoarseClock.advance(reading);
    }
}
