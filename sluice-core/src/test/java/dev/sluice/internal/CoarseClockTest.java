package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The coarse clock's ticker, driven by hand: a fake real clock, the ticker woken exactly when its
 * last sleep ends, pools' slow paths advancing it, and readers checking every reading against the
 * lag that reading claims.
 */
class CoarseClockTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TICK = CoarseClock.TICK_NANOS;

    /** A real clock that moves when told; it starts just short of overflowing, as System.nanoTime may. */
    private long real = Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(5);
    private final CoarseClock clock = new CoarseClock(() -> real);
    private final SplittableRandom random = new SplittableRandom(42);
    /** When the ticker's current sleep ends. */
    private long wakeAt;
    private long lastSleep;

    @Test
    void aQuietClockTicksEveryTick() {
        for (int i = 0; i < 20; i++) {
            assertThat(wake()).isEqualTo(TICK);
            runUntilWake(false);
        }
    }

    @Test
    void theTickerBacksOffWhileSlowPathsKeepTheClockFreshAndEveryReadingStaysWithinItsLag() {
        wake();
        long longest = 0;
        for (int i = 0; i < 12; i++) {
            runUntilWake(true);
            longest = Math.max(longest, wake());
        }
        assertThat(longest).isEqualTo(TICK << CoarseClock.MAX_BACK_OFF);
        assertThat(lastSleep).as("it stays backed off while kept fresh").isEqualTo(TICK << CoarseClock.MAX_BACK_OFF);
        assertThat(CoarseClock.lagNanos(clock.now())).isGreaterThan(TICK << CoarseClock.MAX_BACK_OFF);
    }

    @Test
    void whenTheSlowPathsStopTheReadingsStillKeepTheirBoundAndTheBackOffResets() {
        wake();
        for (int i = 0; i < 8; i++) {
            runUntilWake(true);
            wake();
        }
        assertThat(lastSleep).isEqualTo(TICK << CoarseClock.MAX_BACK_OFF);
        // The pools fall silent right after the ticker went to sleep for its longest: the clock
        // grows stale for 320 ms, and every reading meanwhile says so.
        long staleFrom = clock.now();
        long worstLag = 0;
        while (real - wakeAt < 0) {
            real += 1 + random.nextLong(MS);
            if (real - wakeAt > 0) {
                real = wakeAt;
            }
            long reading = read();
            worstLag = Math.max(worstLag, real - reading);
        }
        assertThat(clock.now()).as("nobody advanced it").isEqualTo(staleFrom);
        assertThat(worstLag).as("the stale stretch was really reached").isGreaterThan(TICK << (CoarseClock.MAX_BACK_OFF - 1));
        assertThat(wake()).as("the first wake-up that finds the clock stale resets the back-off").isEqualTo(TICK);
        assertThat(CoarseClock.lagNanos(clock.now())).isLessThanOrEqualTo(TICK + 16);
        runUntilWake(false);
        assertThat(wake()).isEqualTo(TICK);
    }

    @Test
    void aSlowPathThatAdvancesTheClockJustBeforeTheLastBusyMomentKeepsTheLongLagInItsReading() {
        wake();
        for (int i = 0; i < 8; i++) {
            runUntilWake(true);
            wake();
        }
        real += 10 * MS;
        clock.advance(real); // the pools' last slow path, 10 ms into the ticker's 320 ms sleep
        long advanced = clock.now();
        while (real - wakeAt < 0) {
            real = Math.min(real + MS, wakeAt);
            read();
        }
        assertThat(clock.now()).as("nobody advanced it since").isEqualTo(advanced);
        assertThat(real - advanced).isGreaterThan(TICK << (CoarseClock.MAX_BACK_OFF - 1));
    }

    @Test
    void aBusyStretchThenAQuietOneAlternatingNeverLetsAReadingLagPastItsBound() {
        wake();
        for (int i = 0; i < 200; i++) {
            runUntilWake(random.nextInt(3) != 0); // read() asserts every reading's bound
            wake();
        }
    }

    @Test
    void aLimitKeepsTheBackOffWithinIt() {
        clock.limitLag(100 * MS);
        clock.limitLag(TimeUnit.SECONDS.toNanos(10)); // a looser limit later does not loosen it
        wake();
        for (int i = 0; i < 12; i++) {
            runUntilWake(true);
            wake();
            assertThat(lastSleep).isLessThanOrEqualTo(80 * MS);
            assertThat(CoarseClock.lagNanos(clock.now())).isLessThanOrEqualTo(100 * MS);
        }
        assertThat(lastSleep).isEqualTo(80 * MS);
    }

    @Test
    void aLimitBelowOneTickKeepsTheTickerTicking() {
        clock.limitLag(0);
        wake();
        for (int i = 0; i < 6; i++) {
            runUntilWake(true);
            assertThat(wake()).isEqualTo(TICK);
        }
    }

    @Test
    void anAdvanceMovesTheClockOnlyForwardAndKeepsTheBackOffOfTheReadingItReplaces() {
        wake();
        for (int i = 0; i < 3; i++) {
            runUntilWake(true);
            wake();
        }
        long before = clock.now();
        long lag = CoarseClock.lagNanos(before);
        assertThat(lag).isEqualTo((TICK << 3) + 16);

        clock.advance(real - MS); // behind the clock's own time: ignored
        assertThat(clock.now()).isEqualTo(before);
        real += TICK / 8;
        clock.advance(real); // ahead, but by less than a quarter tick: not worth a write
        assertThat(clock.now()).isEqualTo(before);
        real += TICK;
        clock.advance(real);
        assertThat(clock.now() - before).isPositive();
        assertThat(real - clock.now()).isBetween(1L, 15L);
        assertThat(CoarseClock.lagNanos(clock.now())).isEqualTo(lag);
    }

    @Test
    void theTickerNeverMovesTheClockBackBehindALaterSlowPathReading() {
        wake();
        long tickerReading = real;
        long slowPath = real + TICK;
        clock.advance(slowPath); // a slow path's reading taken after the ticker's real clock read
        real = tickerReading;
        wake();
        assertThat(slowPath - clock.now()).isBetween(1L, 15L);
    }

    @Test
    void theLagOfAnyReadingCoversTheLongestSleep() {
        assertThat(CoarseClock.maxLagNanos()).isGreaterThan(TICK << CoarseClock.MAX_BACK_OFF);
        assertThat(CoarseClock.lagNanos(0)).isEqualTo(TICK + 16);
        assertThat(System.nanoTime() - CoarseClock.SYSTEM.now()).isPositive();
    }

    /** The ticker wakes at the end of its sleep: it publishes and says how long it sleeps next. */
    private long wake() {
        lastSleep = clock.tick();
        wakeAt = real + lastSleep;
        return lastSleep;
    }

    /**
     * Time passes in random steps below a millisecond until the ticker's sleep ends, with readers
     * between; {@code busy}: pools' slow paths read the real clock and advance the coarse one.
     */
    private void runUntilWake(boolean busy) {
        while (real - wakeAt < 0) {
            real += 1 + random.nextLong(MS);
            if (real - wakeAt > 0) {
                real = wakeAt;
            }
            if (busy && random.nextInt(4) == 0) {
                clock.advance(real);
            }
            read();
        }
    }

    /** A reader: the reading is never ahead of the real clock, and behind it by no more than it claims. */
    private long read() {
        long reading = clock.now();
        assertThat(real - reading).as("never ahead of the real clock").isPositive();
        assertThat(real - reading).as("within the lag the reading claims").isLessThanOrEqualTo(CoarseClock.lagNanos(reading));
        return reading;
    }
}
