package dev.sluice.internal;

import dev.sluice.SluiceConfig;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A {@link Pool} built directly on a {@link ManualClock}, for tests of timed behaviour. It lives in
 * this package because the clock is the pool's constructor argument, and the public data source
 * gives no way in: the API stays free of test hooks.
 *
 * <p>Time moves only through {@link #advance}; connects still run on the pool's own threads in
 * real time, so the clock moves in steps and waits for connects under way after each one, as a
 * real clock would give them the time.
 */
final class ClockedPool implements AutoCloseable {
    /** Small against every knob the tests set, large enough that a test runs few steps. */
    static final Duration STEP = Duration.ofMillis(100);

    final ManualClock clock;
    final Pool pool;

    ClockedPool(SluiceConfig.Builder config) throws SQLException {
        this(config, new ManualClock());
    }

    ClockedPool(SluiceConfig.Builder config, ManualClock clock) throws SQLException {
        this.clock = clock;
        this.pool = new Pool(config.build(), clock, clock);
    }

    /** Time since {@code startNanos}, a reading of this pool's clock. */
    Duration since(long startNanos) {
        return Duration.ofNanos(clock.read() - startNanos);
    }

    /** Moves the clock by {@code d} in {@link #STEP}s, letting connects under way finish after each. */
    void advance(Duration d) {
        advance(d, () -> { });
    }

    /** {@link #advance(Duration)}, calling {@code afterEachStep} once the pool has settled after each step. */
    void advance(Duration d, Runnable afterEachStep) {
        Duration left = d;
        while (!left.isZero()) {
            Duration step = left.compareTo(STEP) < 0 ? left : STEP;
            clock.advance(step);
            left = left.minus(step);
            settle();
            afterEachStep.run();
        }
    }

    /**
     * Waits (in real time) until no connect the pool started is still under way, and every
     * lifetime replacement that connected has arranged its old connection's close: a close
     * scheduled after the test's last step would otherwise wait for a clock that no longer moves.
     */
    void settle() {
        awaitUntil(() -> pool.creating.get() == 0 && pool.retirement.replacing() == 0, "the pool's connects to finish");
    }

    /**
     * Waits, in real time, for work the pool's own threads do (connects, asynchronous closes). A
     * bound to stop a broken test, not a timing assertion: it is generous for a loaded machine.
     */
    static void awaitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited 10 s for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    /**
     * Closes the pool. Close waits for borrowed connections on the pool's clock, so the clock is
     * moved along until it returns; a test that failed with a connection still borrowed ends too.
     */
    @Override
    public void close() {
        Thread closing = new Thread(pool::close, pool.name() + "-test-close");
        closing.start();
        try {
            while (closing.isAlive()) {
                closing.join(5);
                clock.advance(STEP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while closing " + pool.name(), e);
        }
    }
}
