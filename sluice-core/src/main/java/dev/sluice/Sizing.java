package dev.sluice;

/** How the pool chooses its size. */
public enum Sizing {
    /** maximumPoolSize and minimumIdle as configured (the default). */
    FIXED,
    /**
     * The pool sizes itself from measured load, between minimumIdle and maximumPoolSize (and the
     * resource ceiling: the server's connection limit, the process's file descriptors). Grows at
     * once when a caller would wait, to (in use + waiting) × headroom; once per sizingInterval it
     * sizes for the measured load, busy = arrival rate × (mean hold + connect time per borrow),
     * target = max(busy × headroom, busy + 3 √busy); shrinks after 5 quiet intervals by half the
     * gap; freezes growth while the database itself is slow. See docs/sizing.md.
     */
    ADAPTIVE,
    /** Computes and logs the same decisions as ADAPTIVE without applying them: a dry run. */
    ADVISORY
}
