package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Deadline;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.testkit.Chaos;
import dev.sluice.testkit.ChaosDriver;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "No caller ever waits past its deadline", under the conditions of the one overrun users saw
 * (getConnection with connectionTimeout=1000 returned after 4.7 s while connects took 4 s): a
 * lazily started pool ({@code initializationFailTimeout=-1}), minimumIdle 0, at most 2
 * connections, connects that are by turns fast, slow (past every caller's deadline) and hanging,
 * connections evicted now and then so connects keep happening, many callers with short deadlines,
 * and CPU-hog threads that keep both cores of the test machine busy.
 *
 * <p>The margin is wide on purpose: on a loaded 2-core machine a thread parked until its deadline
 * can wait a scheduling quantum or several to run again (and GC pauses add to it); the bug this
 * pins cost seconds. A watchdog prints the stack of every caller still inside getConnection a
 * margin past its deadline, so a failure names what held it.
 *
 * <p>{@code -Dsluice.stress.rounds=N} runs N rounds instead of 4 (each about 2.5 s).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadlineUnderLoadTest {
    private static final int CALLERS = 12;
    private static final int HOGS = 4;
    private static final long MARGIN_MILLIS = 400;
    private static final Duration ROUND = Duration.ofMillis(2500);
    private static final AtomicInteger IDS = new AtomicInteger();

    @Test
    void noGetConnectionReturnsLaterThanItsDeadlineWhileConnectsAreSlowAndTheCpuIsBusy() throws Exception {
        int rounds = Integer.getInteger("sluice.stress.rounds", 4);
        long worst = Long.MIN_VALUE;
        long calls = 0;
        for (int r = 0; r < rounds; r++) {
            long[] result = round();
            worst = Math.max(worst, result[0]);
            calls += result[1];
            System.out.printf("DeadlineUnderLoadTest round %d: worst lateness %d ms over %d getConnection calls%n", r + 1,
                    result[0], result[1]);
        }
        System.out.printf("DeadlineUnderLoadTest: worst lateness %d ms over %d rounds, %d calls%n", worst, rounds, calls);
        assertThat(calls).isPositive();
        assertThat(worst).as("worst lateness (ms) past a caller's deadline").isLessThan(MARGIN_MILLIS);
    }

    /** One round: returns {worst lateness in ms, number of getConnection calls}. */
    private static long[] round() throws Exception {
        int n = IDS.incrementAndGet();
        String name = "overrun" + n;
        Chaos chaos = ChaosDriver.control(name);
        SluiceConfig config = SluiceConfig.builder()
                .poolName(name)
                .jdbcUrl(ChaosDriver.url("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "name=" + name))
                .username("sa")
                .password("")
                .maximumPoolSize(2)
                .minimumIdle(0)
                .connectionTimeout(Duration.ofSeconds(1))
                .initializationFailTimeout(Duration.ofMillis(-1))
                .build();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong worst = new AtomicLong(Long.MIN_VALUE);
        AtomicLong calls = new AtomicLong();
        // Per caller: the deadline (nanoTime) of the getConnection it is in, or 0 when it is not in one.
        AtomicLongArray inCall = new AtomicLongArray(CALLERS);
        List<Thread> threads = new ArrayList<>();
        try (SluiceDataSource ds = new SluiceDataSource(config)) {
            for (int i = 0; i < HOGS; i++) {
                threads.add(start("hog-" + i, () -> {
                    long x = 0;
                    while (!stop.get()) {
                        x += Long.numberOfTrailingZeros(x * 31 + 7);
                    }
                    if (x == 42) {
                        System.out.print(""); // keeps the loop from being optimised away
                    }
                }));
            }
            Thread[] callers = new Thread[CALLERS];
            for (int i = 0; i < CALLERS; i++) {
                int me = i;
                callers[i] = start("caller-" + i, () -> call(ds, me, inCall, worst, calls, stop));
                threads.add(callers[i]);
            }
            threads.add(start("chaos", () -> {
                Duration[] delays = {Duration.ZERO, Duration.ofMillis(50), Duration.ofMillis(1500), Duration.ofSeconds(4)};
                while (!stop.get()) {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    if (rnd.nextInt(5) == 0) {
                        chaos.connectDelay(Duration.ZERO).hangConnect(true);
                    } else {
                        chaos.hangConnect(false).connectDelay(delays[rnd.nextInt(delays.length)]);
                    }
                    if (rnd.nextBoolean()) {
                        ds.evictAll();
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(150 + rnd.nextInt(300)));
                }
            }));
            threads.add(start("watchdog", () -> {
                boolean[] reported = new boolean[CALLERS];
                while (!stop.get()) {
                    long now = System.nanoTime();
                    for (int i = 0; i < CALLERS; i++) {
                        long d = inCall.get(i);
                        if (d == 0) {
                            reported[i] = false;
                        } else if (!reported[i] && now - d > TimeUnit.MILLISECONDS.toNanos(MARGIN_MILLIS / 2)) {
                            reported[i] = true;
                            report(callers[i], TimeUnit.NANOSECONDS.toMillis(now - d));
                        }
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
            }));
            LockSupport.parkNanos(ROUND.toNanos());
            stop.set(true);
            chaos.reset(); // releases hanging connects
            for (Thread t : threads) {
                t.join(10_000);
            }
        } finally {
            stop.set(true);
            chaos.reset();
        }
        return new long[] {worst.get(), calls.get()};
    }

    private static void call(SluiceDataSource ds, int me, AtomicLongArray inCall, AtomicLong worst, AtomicLong calls,
            AtomicBoolean stop) {
        while (!stop.get()) {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            boolean scoped = rnd.nextInt(4) != 0;
            long budgetMillis = scoped ? 50 + rnd.nextInt(450) : 1000; // else getConnection() with connectionTimeout
            long start = System.nanoTime();
            inCall.set(me, start + TimeUnit.MILLISECONDS.toNanos(budgetMillis));
            Connection c = null;
            Deadline scope = scoped ? Deadline.after(Duration.ofMillis(budgetMillis)) : null;
            try {
                c = ds.getConnection();
            } catch (SQLException expected) {
                // timeouts, connect timeouts and an open breaker are all fine here; being late is not
            } finally {
                inCall.set(me, 0);
                if (scope != null) {
                    scope.close();
                }
            }
            long late = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) - budgetMillis;
            worst.accumulateAndGet(late, Math::max);
            calls.incrementAndGet();
            if (c != null) {
                try (Connection held = c; Statement s = held.createStatement()) {
                    s.execute("select 1");
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(rnd.nextInt(20)));
                } catch (SQLException evictedOrBroken) {
                    // not what this test is about
                }
            }
        }
    }

    /** Prints where a late caller is, and, if it waits for a lock, where the lock's owner is. */
    private static void report(Thread caller, long lateMillis) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo info = mx.getThreadInfo(new long[] {caller.getId()}, false, false)[0];
        if (info == null) {
            return;
        }
        StringBuilder b = new StringBuilder("DeadlineUnderLoadTest: ").append(caller.getName()).append(" is ").append(lateMillis)
                .append(" ms past its deadline in getConnection, at:");
        appendStack(b, info);
        if (info.getLockOwnerId() != -1) {
            ThreadInfo owner = mx.getThreadInfo(new long[] {info.getLockOwnerId()}, false, false)[0];
            if (owner != null) {
                b.append("\n waiting for ").append(info.getLockName()).append(" held by ").append(owner.getThreadName()).append(", at:");
                appendStack(b, owner);
            }
        }
        System.out.println(b);
    }

    private static void appendStack(StringBuilder b, ThreadInfo info) {
        for (StackTraceElement f : info.getStackTrace()) {
            b.append("\n  ").append(f);
        }
    }

    private static Thread start(String name, Runnable r) {
        Thread t = new Thread(r, "DeadlineUnderLoadTest-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
