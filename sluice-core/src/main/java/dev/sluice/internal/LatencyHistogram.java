package dev.sluice.internal;

import dev.sluice.LatencySummary;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free latency histogram with logarithmic buckets (four per power of two, so a reported
 * percentile is within 25% of the true value). Recording costs an index computation and a
 * {@link LongAdder} increment, which stripes under contention instead of bouncing one cache line
 * between threads: cheap enough for every borrow and return.
 *
 * <p>A bucket's adder is created the first time a value lands in it: latencies of one pool fill a
 * dozen of the 256 buckets, and three histograms of eager adders were ~25 KB of every pool's heap,
 * more than the pool's connections themselves. For the same reason the buckets are held in chunks
 * of {@value #CHUNK} (four powers of two), each created with its first value: a flat array of 256
 * references was 1 KB per histogram, while one pool's latencies reach two or three chunks
 * (~80 bytes each). A racing first record of the same chunk or bucket is settled by a CAS, so no
 * count is lost.
 */
final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 2;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    private static final int BUCKETS = 64 * SUB_BUCKETS;
    private static final int CHUNK_BITS = 4;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(LongAdder[][].class);
    private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(LongAdder[].class);

    /**
     * Bucket {@code i} is {@code chunks[i / CHUNK][i % CHUNK]}. A chunk, and a bucket in it, is null
     * until its first value; both are read and published through {@link #CHUNKS} and {@link #COUNTS}.
     */
    private final LongAdder[][] chunks = new LongAdder[BUCKETS / CHUNK][];
    private final LongAdder sum = new LongAdder();
    private final AtomicLong max = new AtomicLong();

    void record(long nanos) {
        if (nanos <= 0) {
            bucket(0).increment();
            return;
        }
        bucket(index(nanos)).increment();
        sum.add(nanos);
        long m = max.get();
        while (nanos > m && !max.compareAndSet(m, nanos)) {
            m = max.get();
        }
    }

    private LongAdder bucket(int i) {
        LongAdder[] chunk = (LongAdder[]) CHUNKS.getAcquire(chunks, i >>> CHUNK_BITS);
        if (chunk == null) {
            chunk = chunk(i >>> CHUNK_BITS);
        }
        int j = i & (CHUNK - 1);
        LongAdder a = (LongAdder) COUNTS.getAcquire(chunk, j);
        if (a != null) {
            return a;
        }
        LongAdder created = new LongAdder();
        LongAdder won = (LongAdder) COUNTS.compareAndExchangeRelease(chunk, j, null, created);
        return won == null ? created : won;
    }

    private LongAdder[] chunk(int c) {
        LongAdder[] created = new LongAdder[CHUNK];
        LongAdder[] won = (LongAdder[]) CHUNKS.compareAndExchangeRelease(chunks, c, null, created);
        return won == null ? created : won;
    }

    /** The bucket's count; 0 for a bucket no value has reached. */
    private long countOf(int i) {
        LongAdder[] chunk = (LongAdder[]) CHUNKS.getAcquire(chunks, i >>> CHUNK_BITS);
        if (chunk == null) {
            return 0;
        }
        LongAdder a = (LongAdder) COUNTS.getAcquire(chunk, i & (CHUNK - 1));
        return a == null ? 0 : a.sum();
    }

    static int index(long v) {
        int msb = 63 - Long.numberOfLeadingZeros(v);
        if (msb < SUB_BUCKET_BITS) {
            return (int) v;
        }
        int sub = (int) ((v >>> (msb - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1));
        return (msb - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** The upper bound of a bucket's values. */
    static long upperBound(int index) {
        if (index < SUB_BUCKETS) {
            return index;
        }
        int msb = index / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        int sub = index % SUB_BUCKETS;
        long base = (long) (SUB_BUCKETS + sub) << (msb - SUB_BUCKET_BITS);
        return base + (1L << (msb - SUB_BUCKET_BITS)) - 1;
    }

    /** Observations so far (cheaper than a summary: for windowed rates). */
    long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += countOf(i);
        }
        return n;
    }

    /** Sum of observed nanoseconds so far. */
    long sumNanos() {
        return sum.sum();
    }

    LatencySummary summary() {
        return summary(0);
    }

    /** The summary with {@code untimedZeros} more observations of zero (events too quick to time). */
    LatencySummary summary(long untimedZeros) {
        long[] c = new long[BUCKETS];
        c[0] = Math.max(0, untimedZeros);
        long total = c[0];
        for (int i = 0; i < BUCKETS; i++) {
            long v = countOf(i);
            c[i] += v;
            total += v;
        }
        if (total == 0) {
            return LatencySummary.EMPTY;
        }
        long maxNanos = max.get();
        return new LatencySummary(total, Duration.ofNanos(sum.sum() / total),
                Duration.ofNanos(Math.min(maxNanos, percentile(c, total, 0.50))),
                Duration.ofNanos(Math.min(maxNanos, percentile(c, total, 0.90))),
                Duration.ofNanos(Math.min(maxNanos, percentile(c, total, 0.99))),
                Duration.ofNanos(maxNanos));
    }

    private static long percentile(long[] c, long total, double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < c.length; i++) {
            seen += c[i];
            if (seen >= rank) {
                return upperBound(i);
            }
        }
        return upperBound(c.length - 1);
    }
}
