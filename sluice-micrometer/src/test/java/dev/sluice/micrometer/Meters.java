package dev.sluice.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Reads one meter's value the way a registry's scrape does. */
final class Meters {
    private Meters() {
    }

    /** A gauge's value, a counter's count, or a timer's count; fails unless exactly one meter matches. */
    static double value(MeterRegistry registry, String name, String... tags) {
        Meter m = one(registry, name, tags);
        if (m instanceof Gauge g) {
            return g.value();
        }
        if (m instanceof FunctionCounter c) {
            return c.count();
        }
        if (m instanceof FunctionTimer t) {
            return t.count();
        }
        throw new AssertionError(name + " is a " + m.getClass().getSimpleName());
    }

    /** A function timer's total time in seconds. */
    static double totalSeconds(MeterRegistry registry, String name, String... tags) {
        return ((FunctionTimer) one(registry, name, tags)).totalTime(TimeUnit.SECONDS);
    }

    static Meter one(MeterRegistry registry, String name, String... tags) {
        var found = registry.get(name).tags(tags).meters();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " meters match " + name + " " + String.join(",", tags));
        }
        return found.iterator().next();
    }

    /**
     * Polls until {@code condition} holds. The binder reuses a snapshot for 100 ms, so a value
     * read right after an action may be older than the action: waiting for it is the point.
     * The 10 s bound only stops a broken test; a passing one waits about 100 ms.
     */
    static void awaitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Polls until the meter reads {@code expected}; fails with the last value otherwise. */
    static void awaitValue(MeterRegistry registry, double expected, String name, String... tags) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double v;
        while ((v = value(registry, name, tags)) != expected) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " " + String.join(",", tags) + " = " + v + ", expected " + expected);
            }
            Thread.sleep(10);
        }
    }
}
