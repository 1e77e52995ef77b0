package dev.sluice.internal;

import dev.sluice.BreakerState;
import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Decides when a database is down for the pool's purposes, and when to look again.
 *
 * <p>It opens after {@code consecutiveThreshold} connect failures in a row, or when at least
 * {@code rateThresholdPercent} of the connect attempts in the last {@code windowNanos} failed
 * (once there were at least {@link #MIN_ATTEMPTS_FOR_RATE} of them). While open, a single probe is
 * allowed after a delay that starts at {@code minProbeNanos} and doubles, with jitter, up to
 * {@code maxProbeNanos}. The probe's success closes the breaker; its failure re-opens it with the
 * next delay. The cap is deliberately low by default: failing fast must not slow recovery.
 *
 * <p>Pure logic on an injected clock, so every transition is tested without sleeping. Guarded by a
 * lock rather than {@code synchronized}, and nothing inside blocks.
 */
final class CircuitBreaker {
    static final int MIN_ATTEMPTS_FOR_RATE = 10;

    private final int consecutiveThreshold;
    private final int rateThresholdPercent;
    private final long windowNanos;
    private final long minProbeNanos;
    private final long maxProbeNanos;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    /** Recent attempts within the window: {time, 1 = success / 0 = failure}. */
    private final ArrayDeque<long[]> window = new ArrayDeque<>();

    private volatile BreakerState state;
    private int consecutiveFailures;
    private int probeFailures;
    private long nextProbeAtNanos;
    private long openedAtNanos;
    private long opens;

    /** The outcome of recording an attempt: whether the state changed, from what to what. */
    record Transition(BreakerState from, BreakerState to) {
        boolean changed() {
            return from != to;
        }
    }

    CircuitBreaker(int consecutiveThreshold, int rateThresholdPercent, long windowNanos, long minProbeNanos, long maxProbeNanos,
            LongSupplier clock) {
        this.consecutiveThreshold = consecutiveThreshold;
        this.rateThresholdPercent = rateThresholdPercent;
        this.windowNanos = windowNanos;
        this.minProbeNanos = minProbeNanos;
        this.maxProbeNanos = Math.max(minProbeNanos, maxProbeNanos);
        this.clock = clock;
        this.state = consecutiveThreshold == 0 ? BreakerState.DISABLED : BreakerState.CLOSED;
    }

    BreakerState state() {
        return state;
    }

    /** Whether the pool may start ordinary connects (not probes). */
    boolean allowsConnect() {
        BreakerState s = state;
        return s == BreakerState.CLOSED || s == BreakerState.DISABLED;
    }

    boolean isOpen() {
        BreakerState s = state;
        return s == BreakerState.OPEN || s == BreakerState.HALF_OPEN;
    }

    long opens() {
        return opens;
    }

    long openedAtNanos() {
        return openedAtNanos;
    }

    int consecutiveFailures() {
        return consecutiveFailures;
    }

    Transition onSuccess() {
        lock.lock();
        try {
            BreakerState from = state;
            if (from == BreakerState.DISABLED) {
                return new Transition(from, from);
            }
            record(true);
            consecutiveFailures = 0;
            probeFailures = 0;
            state = BreakerState.CLOSED;
            return new Transition(from, state);
        } finally {
            lock.unlock();
        }
    }

    Transition onFailure() {
        lock.lock();
        try {
            BreakerState from = state;
            if (from == BreakerState.DISABLED) {
                return new Transition(from, from);
            }
            record(false);
            consecutiveFailures++;
            if (from == BreakerState.HALF_OPEN) {
                probeFailures++;
                open();
            } else if (from == BreakerState.CLOSED && (consecutiveFailures >= consecutiveThreshold || rateExceeded())) {
                probeFailures = 0;
                opens++;
                openedAtNanos = clock.getAsLong();
                open();
            }
            return new Transition(from, state);
        } finally {
            lock.unlock();
        }
    }

    private void open() {
        state = BreakerState.OPEN;
        long delay = Math.min(maxProbeNanos, minProbeNanos << Math.min(probeFailures, 20));
        long jitter = ThreadLocalRandom.current().nextLong(delay / 4 + 1);
        nextProbeAtNanos = clock.getAsLong() + delay - delay / 8 + jitter;
    }

    /** Nanoseconds until a probe may start (0 if now), or -1 when no probe is due (not open). */
    long nanosUntilProbe() {
        lock.lock();
        try {
            return state == BreakerState.OPEN ? Math.max(0, nextProbeAtNanos - clock.getAsLong()) : -1;
        } finally {
            lock.unlock();
        }
    }

    /** Moves OPEN → HALF_OPEN if the probe is due; true for the caller who must run the probe. */
    boolean tryStartProbe() {
        lock.lock();
        try {
            if (state == BreakerState.OPEN && clock.getAsLong() - nextProbeAtNanos >= 0) {
                state = BreakerState.HALF_OPEN;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void record(boolean ok) {
        long now = clock.getAsLong();
        window.addLast(new long[] {now, ok ? 1 : 0});
        while (!window.isEmpty() && (now - window.peekFirst()[0] > windowNanos || window.size() > 1000)) {
            window.removeFirst();
        }
    }

    private boolean rateExceeded() {
        if (rateThresholdPercent <= 0 || window.size() < MIN_ATTEMPTS_FOR_RATE) {
            return false;
        }
        long failed = window.stream().filter(a -> a[1] == 0).count();
        return failed * 100 >= (long) rateThresholdPercent * window.size();
    }
}
