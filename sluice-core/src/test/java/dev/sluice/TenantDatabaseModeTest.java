package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * DATABASE mode on the stub driver: a stub database per tenant, so the test counts each
 * tenant's physical connections itself, independently of the pool's own bookkeeping.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantDatabaseModeTest {
    private final Map<String, StubDatabase> databases = new ConcurrentHashMap<>();

    private StubDatabase db(String tenant) {
        return databases.computeIfAbsent(tenant, t -> StubDatabase.create());
    }

    private long physical() {
        return databases.values().stream().mapToLong(StubDatabase::openConnections).sum();
    }

    private TenantDataSource tenants(int global, int perTenant, Duration tenantIdle) throws SQLException {
        PhysicalConnectionCounter.register();
        return TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl("jdbc:stub:unused").poolName("db-mode")
                        .connectionTimeout(Duration.ofSeconds(5)).build())
                .mode(TenantMode.DATABASE).tenantUrl(t -> PhysicalConnectionCounter.PREFIX + db(t).url())
                .globalMaximumPoolSize(global).tenantMaximumPoolSize(perTenant).tenantIdleTimeout(tenantIdle).build();
    }

    @Test
    void aTenantPoolStartsOnFirstUseAndItsIdleConnectionsMakeRoomForAnotherTenant() throws Exception {
        try (TenantDataSource tenants = tenants(3, 3, Duration.ofMinutes(5))) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(tenants.getConnection("a"));
            }
            for (Connection c : held) {
                c.close();
            }
            assertThat(db("a").openConnections()).isEqualTo(3);
            long start = System.nanoTime();
            try (Connection b1 = tenants.getConnection("b"); Connection b2 = tenants.getConnection("b")) {
                assertThat(b1.isValid(1)).isTrue();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("room made at once, not at connectionTimeout=5s")
                        .isLessThan(2000);
                assertThat(db("b").openConnections()).isEqualTo(2);
                assertThat(db("a").openConnections()).as("a's least recently used idle connections were closed").isEqualTo(1);
                TenantStats s = tenants.stats();
                assertThat(s.open()).isEqualTo(3);
                assertThat(s.inUseByTenant()).isEqualTo(Map.of("b", 2));
                assertThat(s.tenantPools()).containsKeys("a", "b");
            }
            assertThat(physical()).isLessThanOrEqualTo(3);
        }
        assertThat(physical()).as("everything closed with the data source").isZero();
    }

    @Test
    void aConnectionInUseIsNeverTakenTheOtherTenantWaitsForOneToComeBack() throws Exception {
        try (TenantDataSource tenants = tenants(2, 2, Duration.ofMinutes(5))) {
            Connection a1 = tenants.getConnection("a");
            Connection a2 = tenants.getConnection("a");
            try (Deadline d = Deadline.after(Duration.ofMillis(300))) {
                assertThatThrownBy(() -> tenants.getConnection("b"))
                        .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT));
            }
            assertThat(a1.isValid(1)).isTrue();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                Future<Boolean> waiter = other.submit(() -> {
                    try (Connection c = tenants.getConnection("b")) {
                        return c.isValid(1);
                    }
                });
                Thread.sleep(100);
                assertThat(waiter.isDone()).isFalse();
                a1.close(); // idle now: the budget closes it for b
                assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
            } finally {
                other.shutdownNow();
            }
            a2.close();
            assertThat(physical()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void anUnknownDatabaseFailsNamingTheTenantAndTheNextTenantIsServed() throws Exception {
        db("ghost").connectFailure = new SQLException("FATAL: database \"ghost\" does not exist", "3D000");
        try (TenantDataSource tenants = tenants(2, 2, Duration.ofMinutes(5))) {
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> tenants.getConnection("ghost")).isInstanceOf(SluiceNonTransientException.class)
                        .satisfies(e -> assertThat(((SluiceFailure) e).reason()).isEqualTo(FailureReason.UNKNOWN_TENANT))
                        .hasMessageContaining("tenant 'ghost' has no database");
            }
            assertThat(tenants.stats().tenantPools()).doesNotContainKey("ghost");
            assertThat(tenants.stats().open()).as("the failed connects gave their permits back").isZero();
            try (Connection c = tenants.getConnection("real")) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void aDeadTenantDatabaseFailsItsOwnCallersAndDoesNotSlowTheOthers() throws Exception {
        db("dead").connectFailure = new SQLException("Connection refused", "08001", new java.net.ConnectException("Connection refused"));
        try (TenantDataSource tenants = tenants(3, 2, Duration.ofMinutes(5))) {
            ExecutorService callers = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> dead = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    dead.add(callers.submit(() -> {
                        try (Deadline d = Deadline.after(Duration.ofSeconds(2)); Connection c = tenants.getConnection("dead")) {
                            return c;
                        }
                    }));
                }
                long start = System.nanoTime();
                for (int i = 0; i < 20; i++) {
                    try (Connection c = tenants.getConnection("live")) {
                        assertThat(c.isValid(1)).isTrue();
                    }
                }
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("the live tenant is served while the dead one fails")
                        .isLessThan(1500);
                for (Future<?> f : dead) {
                    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(SluiceTransientException.class);
                }
            } finally {
                callers.shutdownNow();
            }
            assertThat(tenants.stats().tenantPools().get("dead").open()).isZero();
            assertThat(tenants.stats().open()).as("failed connects hold no permit").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void anIdleTenantPoolIsClosedAfterTenantIdleTimeoutAndComesBackOnDemand() throws Exception {
        try (TenantDataSource tenants = tenants(4, 2, Duration.ofMillis(200))) {
            try (Connection c = tenants.getConnection("sleepy")) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(db("sleepy").openConnections()).isEqualTo(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (tenants.stats().tenantPools().containsKey("sleepy") && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertThat(tenants.stats().tenantPools()).doesNotContainKey("sleepy");
            assertThat(db("sleepy").openConnections()).isZero();
            assertThat(tenants.stats().open()).isZero();
            try (Connection c = tenants.getConnection("sleepy")) {
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }

    @Test
    void underConcurrentLoadOverManyTenantsThePhysicalCountNeverExceedsTheBudget() throws Exception {
        int global = 5;
        int tenantCount = 12;
        try (TenantDataSource tenants = tenants(global, 3, Duration.ofMinutes(5))) {
            PhysicalConnectionCounter.resetMax();
            AtomicLong borrows = new AtomicLong();
            AtomicInteger timeouts = new AtomicInteger();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            ExecutorService pool = Executors.newFixedThreadPool(10);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 10; w++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() - end < 0) {
                        String t = "t" + ThreadLocalRandom.current().nextInt(tenantCount);
                        try (Connection c = tenants.getConnection(t)) {
                            if (!c.isValid(1)) {
                                throw new AssertionError("invalid connection for " + t);
                            }
                            borrows.incrementAndGet();
                        } catch (SQLException e) {
                            if (SluiceFailure.reasonOf(e).orElse(null) != FailureReason.ACQUIRE_TIMEOUT) {
                                throw e;
                            }
                            timeouts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(PhysicalConnectionCounter.MAX.get()).as("physical connections over all tenant databases").isLessThanOrEqualTo(global);
            assertThat(borrows.get()).isGreaterThan(100);
            assertThat(timeouts.get()).as("every borrow was served within connectionTimeout").isZero();
            assertThat(tenants.stats().open()).isLessThanOrEqualTo(global);
            assertThat(tenants.stats().tenantPools()).hasSize(tenantCount);
            long housekeepers = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("db-mode-t") && t.getName().contains("housekeeper")).count();
            assertThat(housekeepers).as("tenant pools share their timer threads instead of one each").isZero();
        }
    }

    /**
     * Callers come in bursts with pauses longer than tenantIdleTimeout, so the sweeper keeps
     * retiring tenant pools while the next burst may already be borrowing from them. Every borrow
     * runs a statement on its connection: one the retired pool had closed would fail. With one
     * tenant, its borrows take the router's path for a lone tenant pool, which skips the map.
     */
    @ParameterizedTest(name = "{0} tenant(s)")
    @ValueSource(ints = {1, 3})
    void borrowsRacingTheSweeperRetiringTheirTenantsPoolNeverFailAndLeakNothing(int tenantCount) throws Exception {
        PhysicalConnectionCounter.register();
        AtomicInteger closedWithPool = new AtomicInteger();
        List<String> failedAcquisitions = new CopyOnWriteArrayList<>();
        PoolListener closes = new PoolListener() {
            @Override
            public void connectionClosed(String poolName, CloseReason reason) {
                if (reason == CloseReason.POOL_CLOSED) {
                    closedWithPool.incrementAndGet();
                }
            }

            @Override
            public void acquireFailed(String poolName, FailureReason reason, Duration waited) {
                failedAcquisitions.add(poolName + ": " + reason);
            }
        };
        Map<String, AtomicLong> served = new ConcurrentHashMap<>();
        try (TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl("jdbc:stub:unused").poolName("retire-race")
                        .connectionTimeout(Duration.ofSeconds(5)).listener(closes).build())
                .mode(TenantMode.DATABASE).tenantUrl(t -> PhysicalConnectionCounter.PREFIX + db(t).url())
                .globalMaximumPoolSize(6).tenantMaximumPoolSize(3).tenantIdleTimeout(Duration.ofMillis(100)).build()) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            ExecutorService workers = Executors.newFixedThreadPool(6);
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                running.add(workers.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() - end < 0) {
                        String t = "r" + random.nextInt(tenantCount);
                        for (int i = random.nextInt(1, 30); i > 0; i--) {
                            try (Connection c = tenants.getConnection(t); Statement s = c.createStatement();
                                    ResultSet rs = s.executeQuery("select 1")) {
                                assertThat(rs.next()).isTrue();
                            }
                            served.computeIfAbsent(t, k -> new AtomicLong()).incrementAndGet();
                        }
                        // Around tenantIdleTimeout plus a sweep: sometimes the pool is retired, sometimes it is being retired.
                        Thread.sleep(random.nextInt(100, 260));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS); // a caller's failure fails the test here
            }
            workers.shutdown();
            assertThat(closedWithPool.get()).as("tenant pools were retired under the callers").isPositive();
            assertThat(failedAcquisitions).as("a borrow the router sent on from a retired pool is no failed acquisition").isEmpty();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!tenants.stats().tenantPools().isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            TenantStats stats = tenants.stats();
            assertThat(stats.tenantPools()).as("every tenant pool retired once its callers stopped").isEmpty();
            for (Map.Entry<String, AtomicLong> e : served.entrySet()) {
                assertThat(stats.tenants().get(e.getKey()).borrows()).as("borrows of %s, over all its retired pools", e.getKey())
                        .isEqualTo(e.getValue().get());
            }
            assertThat(stats.open()).as("no permit kept by a retired pool").isZero();
            assertThat(physical()).as("no physical connection left by a retired pool").isZero();
        }
        assertThat(physical()).as("everything closed with the data source").isZero();
    }
}
