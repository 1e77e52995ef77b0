package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What an observer attached to a running pool sees: listeners added late, and the connections held now. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AttachedObserverTest {
    private final StubDatabase db = StubDatabase.create();

    private SluiceDataSource pool(Duration leakThreshold) throws Exception {
        return new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("attached-" + db.url().substring(10))
                .maximumPoolSize(4).leakDetectionThreshold(leakThreshold).build());
    }

    @Test
    void aListenerAddedToARunningPoolReceivesEventsUntilRemoved() throws Exception {
        try (SluiceDataSource ds = pool(Duration.ZERO)) {
            AtomicInteger acquired = new AtomicInteger();
            List<Long> holds = new CopyOnWriteArrayList<>();
            PoolListener listener = new PoolListener() {
                @Override
                public void connectionAcquired(String poolName, long waitNanos) {
                    acquired.incrementAndGet();
                }

                @Override
                public void connectionReturned(String poolName, long holdNanos) {
                    holds.add(holdNanos);
                }
            };
            try (Connection c = ds.getConnection()) {
                c.isValid(1);
            }
            ds.addListener(listener);
            for (int i = 0; i < 20; i++) {
                try (Connection c = ds.getConnection()) {
                    Thread.sleep(i == 0 ? 5 : 0);
                }
            }
            assertThat(acquired).hasValue(20);
            // Attaching makes every borrow timed, so the first hold (5 ms) is measured, not sampled away.
            assertThat(holds.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
            assertThat(ds.removeListener(listener)).isTrue();
            assertThat(ds.removeListener(listener)).isFalse();
            try (Connection c = ds.getConnection()) {
                c.isValid(1);
            }
            assertThat(acquired).hasValue(20);
        }
    }

    @Test
    void aListenerThatDoesNotObserveBorrowsKeepsTheSampledTimingAndStillHearsRareEvents() throws Exception {
        try (SluiceDataSource ds = pool(Duration.ZERO)) {
            AtomicInteger acquired = new AtomicInteger();
            AtomicInteger resized = new AtomicInteger();
            PoolListener rareOnly = new PoolListener() {
                @Override
                public boolean observesBorrows() {
                    return false;
                }

                @Override
                public void connectionAcquired(String poolName, long waitNanos) {
                    acquired.incrementAndGet();
                }

                @Override
                public void resized(String poolName, int maximumPoolSize, int minimumIdle) {
                    resized.incrementAndGet();
                }
            };
            ds.addListener(rareOnly);
            try (Connection c = ds.getConnection()) {
                c.isValid(1);
            }
            long timedBefore = ds.stats().holdLatency().count();
            for (int i = 0; i < 320; i++) {
                try (Connection c = ds.getConnection()) {
                    c.isValid(1);
                }
            }
            long timed = ds.stats().holdLatency().count() - timedBefore;
            assertThat(acquired).hasValue(0);
            // 1 in 16 of the fast-path borrows are timed, as with no listener: about 20, never all 320.
            assertThat(timed).isBetween(10L, 40L);
            ds.resize(5, 1);
            assertThat(resized).hasValue(1);
        }
    }

    @Test
    void anUntimedBorrowStillShowsItsAgeAmongTheHeldConnections() throws Exception {
        try (SluiceDataSource ds = pool(Duration.ZERO)) {
            try (Connection warm = ds.getConnection()) {
                warm.isValid(1);
            }
            // 15 borrows in 16 are untimed; a borrow was untimed when its return added no hold sample.
            for (int attempt = 0; attempt < 8; attempt++) {
                long timedBefore = ds.stats().holdLatency().count();
                List<HeldConnection> held;
                try (Connection c = ds.getConnection()) {
                    Thread.sleep(60);
                    held = ds.heldConnections();
                }
                if (ds.stats().holdLatency().count() == timedBefore) {
                    assertThat(held).hasSize(1);
                    assertThat(held.get(0).heldFor()).isNotNull().isGreaterThanOrEqualTo(Duration.ofMillis(60));
                    return;
                }
            }
            throw new AssertionError("eight borrows in a row were timed: the pool is not sampling");
        }
    }

    @Test
    void heldConnectionsNameTheBorrowerWithItsAgeAndStackLongestFirst() throws Exception {
        try (SluiceDataSource ds = pool(Duration.ofSeconds(30))) {
            assertThat(ds.heldConnections()).isEmpty();
            CountDownLatch borrowed = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                try (Connection c = ds.getConnection()) {
                    borrowed.countDown();
                    release.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "long-holder");
            holder.start();
            assertThat(borrowed.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(50);
            try (Connection mine = ds.getConnection()) {
                List<HeldConnection> held = ds.heldConnections();
                assertThat(held).hasSize(2);
                assertThat(held.get(0).threadName()).isEqualTo("long-holder");
                assertThat(held.get(0).heldFor()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
                assertThat(held.get(1).threadName()).isEqualTo(Thread.currentThread().getName());
                assertThat(held.get(1).borrowSite().getStackTrace())
                        .anyMatch(f -> f.getMethodName().equals("heldConnectionsNameTheBorrowerWithItsAgeAndStackLongestFirst"));
            } finally {
                release.countDown();
                holder.join(5000);
            }
            assertThat(ds.heldConnections()).isEmpty();
        }
    }
}
