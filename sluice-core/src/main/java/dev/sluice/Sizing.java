package dev.sluice;

/** How the pool chooses its size. */
public enum Sizing {
    /** maximumPoolSize and minimumIdle as configured (the default). */
    FIXED,
    /**
     * The pool sizes itself from measured load, between minimumIdle and maximumPoolSize (and the
     * resource ceiling): target = arrival rate × (mean hold + mean connect time) × headroom; grows
     * at once when callers wait, shrinks slowly, freezes when the database itself slows down.
     */
    ADAPTIVE,
    /** Computes and logs the same decisions as ADAPTIVE without applying them: a dry run. */
    ADVISORY
}
