package dev.sluice.internal;

/**
 * 64 bytes of nothing at the start of an object. Subclass fields are laid out after superclass
 * fields, so an object extending this never shares a cache line with the end of the object
 * before it in memory.
 *
 * <p>Why. Pool entries are allocated one after another and stay neighbours when the collector
 * copies them; each is written on every borrow and return by whoever holds it, so without a gap
 * two threads holding neighbouring entries invalidate each other's cache line on every cycle
 * (measured: 8 threads on 2 cores ran at half the throughput of a padded layout).
 *
 * <p>Why the int. With compressed class pointers the object header is 12 bytes, and the JVM's
 * field layout (JDK 15+) fills the 4-byte gap before the first long with a subclass field: it put
 * {@code PooledConnection.state}, the field every borrow and return writes, at offset 12, in front
 * of the padding and in the same cache line as the end of the entry before it. Two threads on
 * neighbouring entries then ran getConnection → close at 10–16 ops/µs instead of about 73 (which a
 * collector that never moves objects, and so never makes them neighbours, showed every time).
 * Filling the gap here keeps every subclass field behind the padding.
 */
@SuppressWarnings("unused")
abstract class CacheLinePadding {
    private int p00;
    private long p01;
    private long p02;
    private long p03;
    private long p04;
    private long p05;
    private long p06;
    private long p07;
    private long p08;
}
