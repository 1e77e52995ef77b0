package dev.sluice.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the pool's threads after the pool and makes them daemons, so a forgotten pool never blocks JVM exit. */
final class PoolThreads {
    private PoolThreads() {
    }

    static ThreadFactory factory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
