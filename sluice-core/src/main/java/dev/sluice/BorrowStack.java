package dev.sluice;

/**
 * How much of the borrower's stack leak detection records at each borrow
 * ({@code leakDetectionStacks}). Every leak report names the borrower's frame either way.
 */
public enum BorrowStack {
    /**
     * Only the borrower's frame: the first one outside Sluice and {@code java.sql}/{@code javax.sql}
     * (class, method, file and line). The walk stops there, so its cost does not grow with the
     * depth of the application's stack.
     */
    FRAME,
    /** The whole stack of the borrowing thread, as HikariCP records it: costs more the deeper that stack is. */
    FULL
}
