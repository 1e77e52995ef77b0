package dev.sluice.cli;

import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The JVM {@link PatrolCommandTest} patrols, run as a child process: a pool on in-memory H2 in the
 * shape asked for, "ready" on stdout once the shape holds, and an exit of its own after a bound,
 * so a test that dies before killing it leaves nothing running for long.
 *
 * <p>Shapes: {@code healthy} (an idle pool of one), {@code saturated} (a pool of one whose only
 * connection is held while another caller's acquires time out), {@code none} (no pool at all).
 */
public final class PatrolTarget {
    private PatrolTarget() {
    }

    public static void main(String[] args) throws Exception {
        String shape = args[0];
        Duration life = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 60);
        SluiceDataSource pool = "none".equals(shape) ? null : new SluiceDataSource(SluiceConfig.builder()
                .poolName("patrol-" + shape)
                .jdbcUrl("jdbc:h2:mem:patrol-" + shape)
                .username("sa")
                .maximumPoolSize(1)
                // Room for H2's first connect in a cold JVM on a loaded machine (2 s was not always enough)...
                .connectionTimeout(Duration.ofSeconds(30))
                .registerMbeans(true)
                .build());
        if (pool != null) {
            pool.setConnectionTimeout(Duration.ofSeconds(2)); // ...then short, so the saturated shape's waiter times out soon
        }
        if ("saturated".equals(shape)) {
            saturate(pool);
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(life.toMillis());
        System.exit(0);
    }

    /** Holds the only connection and keeps asking for another until one acquire has timed out. */
    private static void saturate(SluiceDataSource pool) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch timedOut = new CountDownLatch(1);
        daemon(() -> {
            try (Connection c = pool.getConnection()) {
                held.countDown();
                Thread.sleep(Long.MAX_VALUE);
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        held.await();
        daemon(() -> {
            for (;;) {
                try (Connection c = pool.getConnection()) {
                    throw new IllegalStateException("the held pool of one handed out a second connection");
                } catch (SQLException expected) {
                    timedOut.countDown();
                }
            }
        });
        if (!timedOut.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no acquire timed out in 30 s");
        }
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "patrol-target-load");
        t.setDaemon(true);
        t.start();
    }
}
