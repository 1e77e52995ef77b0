package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Adaptive sizing wired into a pool, on the stub driver with a query that sleeps. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdaptiveSizingTest {

    private static void load(SluiceDataSource ds, int threads, long millis) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            fs.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                        s.executeQuery("select 1");
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    @Test
    void thePoolGrowsUnderLoadAndShrinksWhenItPasses() throws Exception {
        StubDatabase db = StubDatabase.create();
        db.queryMillis = 5;
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("adaptive")
                .sizing(Sizing.ADAPTIVE).minimumIdle(1).maximumPoolSize(20).sizingInterval(Duration.ofMillis(100)).build())) {
            assertThat(ds.stats().maximumPoolSize()).isEqualTo(1);
            load(ds, 8, 1500);
            int grown = ds.stats().maximumPoolSize();
            assertThat(grown).as("8 callers holding 5 ms each need several connections").isBetween(4, 20);
            assertThat(ds.stats().sizingDecisions()).anySatisfy(d -> assertThat(d.action()).isEqualTo(SizingDecision.Action.GROW));
            PoolBehaviourTest.awaitUntil(() -> ds.stats().maximumPoolSize() < grown);
            assertThat(ds.stats().sizingDecisions()).anySatisfy(d -> assertThat(d.action()).isEqualTo(SizingDecision.Action.SHRINK));
        }
    }

    @Test
    void twoThreadsBorrowingBackToBackNeverGetMoreThanThreeConnections() throws Exception {
        StubDatabase db = StubDatabase.create();
        db.queryMillis = 2;
        // A closed loop: two threads, each borrowing again as soon as it returns, can never use more
        // than 2 connections. Little's law measures busy ~2; the headroom (1.5) allows 2 x 1.5 = 3,
        // and the Poisson margin (2 + 3 sqrt 2, i.e. 7) is capped by the peak of 2 actually seen.
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("closed-loop")
                .sizing(Sizing.ADAPTIVE).minimumIdle(2).maximumPoolSize(32).sizingInterval(Duration.ofMillis(100)).build())) {
            int[] most = {0};
            Thread watcher = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    most[0] = Math.max(most[0], ds.stats().maximumPoolSize());
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.start();
            load(ds, 2, 3000);
            watcher.interrupt();
            watcher.join(5000);
            assertThat(most[0]).as("largest size while two threads looped, decisions: %s", ds.stats().sizingDecisions())
                    .isLessThanOrEqualTo(3);
            assertThat(ds.stats().open()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void anOpenArrivalBurstStillGrowsThePool() throws Exception {
        StubDatabase db = StubDatabase.create();
        db.queryMillis = 20;
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("open-burst")
                .sizing(Sizing.ADAPTIVE).minimumIdle(2).maximumPoolSize(32).sizingInterval(Duration.ofMillis(100)).build())) {
            ExecutorService workers = Executors.newCachedThreadPool();
            // 400 arrivals/s holding 20 ms: 8 busy on average, more at the peaks, whoever borrows.
            arrivals(ds, workers, 400, 1500);
            workers.shutdown();
            assertThat(workers.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ds.stats().maximumPoolSize()).as("decisions: %s", ds.stats().sizingDecisions()).isGreaterThanOrEqualTo(8);
        }
    }

    @Test
    void advisoryModeOnlyLogsItsDecisions() throws Exception {
        StubDatabase db = StubDatabase.create();
        db.queryMillis = 5;
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("advisory")
                .sizing(Sizing.ADVISORY).minimumIdle(1).maximumPoolSize(3).sizingInterval(Duration.ofMillis(100)).build())) {
            load(ds, 8, 800);
            assertThat(ds.stats().maximumPoolSize()).isEqualTo(3);
            assertThat(ds.stats().sizingDecisions()).isNotEmpty().allSatisfy(d -> assertThat(d.applied()).isFalse());
        }
    }

    /**
     * Open-loop load: borrows arrive at a fixed rate whatever the database does, as requests do.
     * The workers are started beforehand and shared by consecutive phases, so arrivals flow on
     * from one phase into the next instead of starting in a burst while threads are created (a
     * burst of arrivals is a spike, and the pool would rightly grow for it).
     */
    private static void arrivals(SluiceDataSource ds, ExecutorService workers, int perSecond, long millis) throws Exception {
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long next = System.nanoTime();
        while (next < end) {
            workers.submit(() -> {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.executeQuery("select 1");
                }
                return null;
            });
            next += intervalNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
    }

    @Test
    void aSlowDatabaseFreezesGrowthAndTheLogSaysWhy() throws Exception {
        StubDatabase db = StubDatabase.create();
        db.queryMillis = 2;
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("slowdown")
                .sizing(Sizing.ADAPTIVE).minimumIdle(2).maximumPoolSize(30).sizingInterval(Duration.ofMillis(200)).build())) {
            java.util.concurrent.ThreadPoolExecutor workers = (java.util.concurrent.ThreadPoolExecutor) Executors.newFixedThreadPool(64);
            workers.prestartAllCoreThreads();
            arrivals(ds, workers, 200, 1500); // the healthy baseline: 200/s x 2 ms needs about one connection
            int before = ds.stats().maximumPoolSize();
            db.queryMillis = 20; // same arrivals, database 10x slower: callers queue
            arrivals(ds, workers, 200, 1500);
            workers.shutdown();
            assertThat(workers.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ds.stats().sizingDecisions()).anySatisfy(d -> {
                assertThat(d.action()).isEqualTo(SizingDecision.Action.FREEZE);
                assertThat(d.reason()).contains("database is slow");
            });
            assertThat(ds.stats().maximumPoolSize()).as("no growth into a slow database: %s", ds.stats().sizingDecisions()).isLessThanOrEqualTo(before);
        }
    }

    @Test
    void callersWhoWouldWaitGrowThePoolAtOnceNotAtTheNextWindow() throws Exception {
        StubDatabase db = StubDatabase.create();
        // A window a minute long: any growth seen here was decided on demand, between windows.
        try (SluiceDataSource ds = new SluiceDataSource(SluiceConfig.builder().jdbcUrl(db.url()).poolName("on-demand")
                .sizing(Sizing.ADAPTIVE).minimumIdle(1).maximumPoolSize(20).sizingInterval(Duration.ofMinutes(1))
                .connectionTimeout(Duration.ofSeconds(5)).build())) {
            int callers = 6;
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            java.util.concurrent.CountDownLatch allHolding = new java.util.concurrent.CountDownLatch(callers);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < callers; i++) {
                fs.add(pool.submit(() -> {
                    try (Connection c = ds.getConnection()) {
                        allHolding.countDown();
                        release.await();
                    }
                    return null;
                }));
            }
            assertThat(allHolding.await(4, TimeUnit.SECONDS)).as("six callers hold six connections at once").isTrue();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            release.countDown();
            for (Future<?> f : fs) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(tookMillis).as("not a window (60 s) nor a connection timeout (5 s) later").isLessThan(4000);
            assertThat(ds.stats().maximumPoolSize()).isBetween(callers, 20);
            assertThat(ds.stats().sizingDecisions()).isNotEmpty().allSatisfy(d -> {
                assertThat(d.action()).isEqualTo(SizingDecision.Action.GROW);
                assertThat(d.reason()).contains("grow on demand");
            });
        }
    }
}
