package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stub.StubConnection;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Randomized stress with invariants: many threads fighting over few connections, with random
 * timeouts, random hold times, abandoned statements, session changes and broken connections.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConcurrencyInvariantsTest {

    @Test
    void noConnectionIsEverHeldByTwoBorrowersAndCountsAddUp() throws Exception {
        StubDatabase db = StubDatabase.create();
        SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("stress")
                .maximumPoolSize(4).minimumIdle(2).validationBypassWindow(Duration.ofMillis(2))
                .connectionTimeout(Duration.ofSeconds(5)).build());
        Map<StubConnection, Thread> holders = new ConcurrentHashMap<>();
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicLong borrows = new AtomicLong();
        AtomicInteger timeouts = new AtomicInteger();
        AtomicInteger queryErrors = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        List<Future<?>> futures = new ArrayList<>();
        futures.add(pool.submit(() -> {
            while (System.nanoTime() < end) {
                PoolStats s = ds.stats();
                if (s.open() > s.maximumPoolSize() || s.inUse() + s.idle() > s.open() || s.inUse() > s.maximumPoolSize()) {
                    violation.compareAndSet(null, "counts do not add up: " + s);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            return null;
        }));
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    Connection c;
                    try {
                        c = r.nextBoolean() ? ds.getConnection(Duration.ofMillis(r.nextInt(1, 30))) : ds.getConnection();
                    } catch (SQLException e) {
                        FailureReason reason = SluiceFailure.reasonOf(e).orElse(null);
                        if (reason != FailureReason.ACQUIRE_TIMEOUT && reason != FailureReason.VALIDATION_FAILED) {
                            violation.compareAndSet(null, "unexpected failure: " + e);
                        }
                        timeouts.incrementAndGet();
                        continue;
                    }
                    borrows.incrementAndGet();
                    StubConnection raw = StubConnection.of(c.unwrap(StubConnection.Physical.class));
                    Thread other = holders.putIfAbsent(raw, Thread.currentThread());
                    if (other != null) {
                        violation.compareAndSet(null, raw + " handed to " + Thread.currentThread().getName() + " while held by " + other.getName());
                    }
                    try {
                        int action = r.nextInt(10);
                        if (action == 0) {
                            c.setAutoCommit(false);
                        }
                        if (action == 1) {
                            raw.killed = true; // the server kills this backend under the borrower
                        }
                        Statement s = c.createStatement();
                        s.executeQuery("select 1").next();
                        if (action != 2) {
                            s.close(); // action 2 leaves it to the pool
                        }
                        if (r.nextInt(4) == 0) {
                            LockSupport.parkNanos(r.nextInt(1, 500_000));
                        }
                    } catch (SQLException e) {
                        queryErrors.incrementAndGet();
                    } finally {
                        holders.remove(raw, Thread.currentThread());
                        c.close();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(violation.get()).isNull();
        PoolStats s = ds.stats();
        assertThat(s.acquired()).isEqualTo(borrows.get());
        assertThat(s.acquireTimeouts()).isEqualTo(timeouts.get());
        assertThat(s.inUse()).isZero();
        // A killed backend is a failover signal: its idle siblings are closed on a pool thread, maybe just now.
        PoolBehaviourTest.awaitUntil(() -> ds.stats().open() == db.openConnections());
        assertThat(borrows.get()).isGreaterThan(1000);
        assertThat(s.closed(CloseReason.BROKEN)).as("killed connections are retired").isPositive();
        ds.close();
        assertThat(db.openConnections()).as("nothing open after close").isZero();
        assertThat(ds.stats().open()).isZero();
        for (StubConnection c : db.connections) {
            assertThat(c.statements).allSatisfy(st -> assertThat(st.closed).isTrue());
        }
    }

    @Test
    void bargingNeverLosesAWakeUpOrStarvesAWaiter() throws Exception {
        // 16 threads on 2 connections: nearly every borrow finds none idle. A lost wake-up would leave a
        // waiter parked beside an idle connection until its 2 s deadline; a starved one would be served never.
        StubDatabase db = StubDatabase.create();
        SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("barging")
                .maximumPoolSize(2).minimumIdle(2).build());
        int threads = 16;
        long[] served = new long[threads];
        AtomicLong worstWaitNanos = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<SQLException> firstFailure = new AtomicReference<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            futures.add(pool.submit(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try (Connection c = ds.getConnection(Duration.ofSeconds(2))) {
                        worstWaitNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        served[me]++;
                        if (r.nextInt(8) == 0) {
                            LockSupport.parkNanos(r.nextInt(1, 50_000));
                        }
                    } catch (SQLException e) {
                        if (failures.getAndIncrement() == 0) {
                            firstFailure.set(e);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        ds.close();
        assertThat(failures.get()).as("no borrow reached its 2 s deadline; first: %s", firstFailure.get()).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(worstWaitNanos.get())).as("worst wait, far below the 2 s deadline").isLessThan(1000);
        assertThat(Arrays.stream(served).min().orElse(0)).as("the least-served thread was served").isPositive();
    }
}
