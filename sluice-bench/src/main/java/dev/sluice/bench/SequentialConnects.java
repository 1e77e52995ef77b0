package dev.sluice.bench;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long one connect takes inside the pool, one at a time: a pool of 1 on PostgreSQL (the
 * target of {@link StartupFootprintBenchmark}) is evicted {@code N} times, each time waiting for its
 * replacement, and the pool's own connect histogram is printed. Not JMH: a connect is milliseconds
 * of network and server work, and what matters is the median of many, in one pool, so that what
 * the pool learns from its first connection is reused.
 *
 * <pre>java -cp sluice-bench/target/benchmarks.jar dev.sluice.bench.SequentialConnects [N, default 80]</pre>
 */
public final class SequentialConnects {
    private SequentialConnects() {
    }

    public static void main(String[] args) throws Exception {
        int n;
        try {
            n = args.length > 0 ? Integer.parseInt(args[0]) : 80;
        } catch (NumberFormatException e) {
            System.err.println("SequentialConnects: the argument is the number of connects, a whole number; got " + args[0]);
            System.exit(2);
            return;
        }
        PoolUnderTest.Target t = StartupFootprintBenchmark.target();
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().poolName("sequential-connects").jdbcUrl(t.url())
                .username(t.user()).password(t.password().isEmpty() ? null : t.password()).maximumPoolSize(1).minimumIdle(1).build())) {
            for (int i = 0; i < n; i++) {
                awaitIdle(ds);
                ds.evictAll();
            }
            awaitIdle(ds);
            System.out.println("connects: " + ds.stats().createLatency());
        }
    }

    private static void awaitIdle(SluiceDataSource ds) {
        while (ds.stats().idle() < 1) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
