package dev.sluice.it;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;

/** Polls a condition until it holds or a bound passes: tests wait for asynchronous pool work without fixed sleeps. */
final class Await {
    private Await() {
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits until {@code condition} holds; fails naming {@code what} if it does not within {@code bound}. */
    static void until(Duration bound, Condition condition, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        Exception last = null;
        for (;;) {
            try {
                if (condition.holds()) {
                    return;
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("waited " + bound.toMillis() + "ms for " + what + (last == null ? "" : "; last attempt failed: " + last), last);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Milliseconds since {@code startNanos}. */
    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
