package dev.sluice.micrometer;

import java.util.function.LongSupplier;

/**
 * A snapshot taken at most once per {@code ttl} and shared by every reader in between: a scrape
 * reads dozens of meters one after another, and one snapshot for all of them costs one walk
 * over the pool (or the tenants) and puts values of one moment side by side. Readers within the
 * ttl take no lock; the one that finds it stale takes the next snapshot while the others wait
 * for it rather than take their own.
 */
final class ReusedSnapshot<V> {
    /** Takes the next snapshot, given the previous one (to keep totals when the source cannot be read). */
    interface Taker<V> {
        V take(V previous, long nowNanos);
    }

    private record Stamped<V>(V value, long takenAtNanos) {
    }

    private final LongSupplier ticker;
    private final long ttlNanos;
    private final Taker<V> taker;
    private volatile Stamped<V> current;

    /** @param initial what readers see until the first snapshot is taken (the first read takes it) */
    ReusedSnapshot(V initial, LongSupplier ticker, long ttlNanos, Taker<V> taker) {
        this.ticker = ticker;
        this.ttlNanos = ttlNanos;
        this.taker = taker;
        this.current = new Stamped<>(initial, ticker.getAsLong() - ttlNanos - 1);
    }

    V get() {
        Stamped<V> s = current;
        // Subtraction, not comparison of absolute values: nanoTime may be negative and may wrap.
        if (ticker.getAsLong() - s.takenAtNanos < ttlNanos) {
            return s.value;
        }
        return refresh();
    }

    private synchronized V refresh() {
        long now = ticker.getAsLong();
        Stamped<V> s = current;
        if (now - s.takenAtNanos < ttlNanos) {
            return s.value; // another reader refreshed it while this one waited for the lock
        }
        V next = taker.take(s.value, now);
        current = new Stamped<>(next, now);
        return next;
    }
}
