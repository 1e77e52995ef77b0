package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Pool#retireIfUnused()} against callers borrowing at the same moment, as a tenant router's
 * sweeper meets them: while the pool is RETIRING nothing is handed out, and once it is closed no
 * caller holds a connection of it. Callers take both the untimed fast path and the timed path,
 * and with more callers than connections some wait in the bag.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolRetirementTest {
    private static final int CALLERS = 4;

    @Test
    void whileRetiringNothingIsHandedOutAndAfterTheCloseNoCallerHoldsAConnection() throws Exception {
        StubDatabase db = StubDatabase.create();
        Pool pool = new Pool(SluiceConfig.builder().jdbcUrl(db.url()).poolName("retire-" + db.url().substring(10))
                .maximumPoolSize(2).minimumIdle(2).connectionTimeout(Duration.ofSeconds(5)).build());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong served = new AtomicLong();
        AtomicLong refusedAsClosed = new AtomicLong();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            running.add(callers.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    try (Connection c = random.nextBoolean() ? pool.acquire() : pool.acquire(TimeUnit.SECONDS.toNanos(5), false, 0);
                            Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                        assertThat(rs.next()).isTrue();
                        served.incrementAndGet();
                    } catch (SQLException e) {
                        if (!pool.isClosed() || SluiceFailure.reasonOf(e).orElse(null) != FailureReason.POOL_CLOSED) {
                            throw e;
                        }
                        refusedAsClosed.incrementAndGet();
                        return null;
                    }
                    if (random.nextInt(4) == 0) {
                        LockSupport.parkNanos(random.nextLong(1_000, 100_000)); // room for a sweep to find all idle
                    }
                }
                return null;
            }));
        }
        long retirements = 0;
        long handedOutWhileRetiring = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() - end < 0) {
            if (pool.retireIfUnused()) {
                retirements++;
                // Callers arriving now may claim an entry for a moment, but must give it back unborrowed.
                long before = pool.bag.borrows();
                LockSupport.parkNanos(20_000);
                if (pool.bag.borrows() != before) {
                    handedOutWhileRetiring++;
                }
                pool.keepRunning();
            }
            // A sweep now and then, as a sweeper runs, so callers spend most of the time borrowing.
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(10_000, 200_000));
        }
        long servedBeforeClose = served.get();
        while (!pool.retireIfUnused()) {
            Thread.onSpinWait();
        }
        pool.close();
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS); // any caller failure but POOL_CLOSED after the close fails the test here
        }
        stop.set(true);
        callers.shutdown();

        assertThat(retirements).as("sweeps that found the pool unused while callers borrowed").isPositive();
        assertThat(handedOutWhileRetiring).as("sweeps during which a connection was handed out").isZero();
        assertThat(servedBeforeClose).as("callers held by RETIRING went on once it ran again").isGreaterThan(100);
        assertThat(refusedAsClosed.get()).as("every caller ends on POOL_CLOSED, none on a dead connection").isEqualTo(CALLERS);
        assertThat(pool.bag.size()).isZero();
        assertThat(db.openConnections()).as("no physical connection outlives the close").isZero();
        assertThat(db.abortedConnections()).as("nothing was borrowed at the close, so nothing was aborted").isZero();
    }
    @Test
    void aBorrowFailedByARoutersDropIsNoFailedAcquisitionButByAPlainCloseItIs() throws Exception {
        for (boolean dropped : new boolean[] {true, false}) {
            StubDatabase db = StubDatabase.create();
            List<FailureReason> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            Pool pool = new Pool(SluiceConfig.builder().jdbcUrl(db.url()).poolName("drop-" + db.url().substring(10))
                    .maximumPoolSize(1).minimumIdle(1).connectionTimeout(Duration.ofSeconds(5))
                    .listener(new dev.sluice.PoolListener() {
                        @Override
                        public void acquireFailed(String poolName, FailureReason reason, Duration waited) {
                            failures.add(reason);
                        }
                    }).build());
            assertThat(pool.retireIfUnused()).isTrue();
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<FailureReason> borrow = caller.submit(() -> {
                    try (Connection c = pool.acquire(TimeUnit.SECONDS.toNanos(5), false, 0)) {
                        return null;
                    } catch (SQLException e) {
                        return SluiceFailure.reasonOf(e).orElse(null);
                    }
                });
                Thread.sleep(100); // the caller waits for the retiring pool to run again
                if (dropped) {
                    pool.closeDropped();
                } else {
                    pool.close();
                }
                assertThat(borrow.get(5, TimeUnit.SECONDS)).isEqualTo(FailureReason.POOL_CLOSED);
            } finally {
                caller.shutdownNow();
            }
            assertThat(failures).as(dropped ? "the router retries it elsewhere" : "a caller saw the pool closed")
                    .isEqualTo(dropped ? List.of() : List.of(FailureReason.POOL_CLOSED));
        }
    }
}
