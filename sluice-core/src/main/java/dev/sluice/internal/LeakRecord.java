package dev.sluice.internal;

/**
 * Leak detection's record of a connection's current borrow: where and by whom it was borrowed,
 * and whether it was reported. Made for a connection the first time detection records one of its
 * borrows and reused after, so connections of a pool without leak detection do not carry it.
 *
 * <p>The borrower writes the fields, {@link #reported} last: that volatile write publishes the
 * others to the housekeeper, which reads {@link #reported} first.
 */
final class LeakRecord {
    /** What {@link BorrowSite#capture} recorded: read it through {@link BorrowSite#asThrowable}. Null once returned. */
    Object site;
    String thread;
    Object context;
    volatile boolean reported;
}
