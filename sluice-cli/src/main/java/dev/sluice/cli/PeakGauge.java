package dev.sluice.cli;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The highest value a gauge reached, sampled on a thread of its own every few milliseconds: the
 * once-a-second live view would miss a peak between two frames, and the point of watching the
 * tenant budget is that no peak goes past it.
 */
final class PeakGauge implements AutoCloseable {
    private final Thread sampler;
    private volatile int peak;
    private volatile boolean running = true;

    PeakGauge(String name, IntSupplier gauge, Duration period) {
        long periodNanos = period.toNanos();
        sampler = new Thread(() -> {
            while (running) {
                int now = gauge.getAsInt();
                if (now > peak) {
                    peak = now; // the only writer: no lost update
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(periodNanos);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The highest value seen so far. */
    int peak() {
        return peak;
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops sampling, so the peak can be reported while the gauge's source is closing. Idempotent. */
    void stop() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
