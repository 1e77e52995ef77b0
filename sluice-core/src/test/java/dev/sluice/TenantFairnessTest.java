package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DATABASE mode under a budget far smaller than the demand: two hot tenants with ten callers
 * each and eight cold tenants with one. Served counts are what each tenant's callers got; the
 * stub databases count physical connections independently of the pool.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantFairnessTest {
    private static final long RUN_MILLIS = 3000;
    private final Map<String, StubDatabase> databases = new ConcurrentHashMap<>();

    private StubDatabase db(String tenant) {
        return databases.computeIfAbsent(tenant, t -> StubDatabase.create());
    }

    private TenantDataSource.Builder tenants(int global) throws SQLException {
        PhysicalConnectionCounter.register();
        return TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl("jdbc:stub:unused").poolName("fair")
                        .connectionTimeout(Duration.ofSeconds(10)).build())
                .mode(TenantMode.DATABASE).tenantUrl(t -> PhysicalConnectionCounter.PREFIX + db(t).url())
                .globalMaximumPoolSize(global).tenantMaximumPoolSize(global);
    }

    /** Runs callers per tenant for RUN_MILLIS, each borrowing, holding 2 ms and returning; gives the borrows served per tenant. */
    private Map<String, AtomicLong> drive(TenantDataSource ds, Map<String, Integer> callers, int global) throws Exception {
        Map<String, AtomicLong> served = new ConcurrentHashMap<>();
        AtomicLong overBudget = new AtomicLong();
        int threads = callers.values().stream().mapToInt(Integer::intValue).sum();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RUN_MILLIS);
        List<Future<?>> done = new ArrayList<>();
        try {
            callers.forEach((tenant, n) -> {
                served.put(tenant, new AtomicLong());
                for (int i = 0; i < n; i++) {
                    done.add(pool.submit(() -> {
                        while (System.nanoTime() - end < 0) {
                            try (Connection c = ds.getConnection(tenant)) {
                                long physical = databases.values().stream().mapToLong(StubDatabase::openConnections).sum();
                                if (physical > global) {
                                    overBudget.incrementAndGet();
                                }
                                Thread.sleep(2);
                            }
                            served.get(tenant).incrementAndGet();
                        }
                        return null;
                    }));
                }
            });
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS); // a caller that timed out fails the test here
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overBudget.get()).as("physical connections never above the budget").isZero();
        return served;
    }

    static double jain(Iterable<? extends Number> xs) {
        double sum = 0;
        double squares = 0;
        int n = 0;
        for (Number x : xs) {
            sum += x.doubleValue();
            squares += x.doubleValue() * x.doubleValue();
            n++;
        }
        return sum * sum / (n * squares);
    }

    @Test
    void twoHotTenantsAtTenTimesTheLoadDoNotStarveTheOthers() throws Exception {
        Map<String, Integer> callers = new java.util.LinkedHashMap<>();
        callers.put("hot1", 10);
        callers.put("hot2", 10);
        for (int i = 1; i <= 8; i++) {
            callers.put("cold" + i, 1);
        }
        Map<String, AtomicLong> served;
        try (TenantDataSource ds = tenants(4).build()) {
            served = drive(ds, callers, 4);
        }
        System.out.println("fair: served per tenant " + served + ", Jain " + jain(served.values().stream().map(AtomicLong::get).toList()));
        for (Map.Entry<String, AtomicLong> e : served.entrySet()) {
            assertThat(e.getValue().get()).as("tenant %s was served", e.getKey()).isGreaterThan(10);
        }
        // Every tenant wants more than its share of 4 connections among 10, so fair shares are equal
        // shares; FIFO over tenants gave the hot tenants most of the budget.
        assertThat(jain(served.values().stream().map(AtomicLong::get).toList())).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void aTenantOfWeightThreeGetsAboutThreeTimesTheShareOfATenantOfWeightOne() throws Exception {
        Map<String, Integer> callers = Map.of("gold", 8, "plain", 8);
        Map<String, AtomicLong> served;
        try (TenantDataSource ds = tenants(4).tenantWeight("gold", 3).build()) {
            served = drive(ds, callers, 4);
        }
        double ratio = (double) served.get("gold").get() / served.get("plain").get();
        System.out.println("weights 3:1: served " + served + ", ratio " + ratio);
        assertThat(ratio).as("3 connections of 4 against 1, so about 3; wide margins").isBetween(1.8, 5.0);
    }

    @Test
    void weightsAreCheckedAtBuild() {
        assertThatThrownBy(() -> tenants(4).tenantWeight("gold", 0).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("weight.gold=0 must be between 1 and 1000");
        assertThatThrownBy(() -> TenantDataSource.builder().template(SluiceConfig.builder().jdbcUrl("jdbc:stub:unused").build())
                .tenantWeight("gold", 2).build()).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("tenant weights are for DATABASE mode");
    }

    @Test
    void jainsIndexIsOneForEqualSharesAndOneOverNForOneTenantTakingAll() {
        assertThat(jain(List.of(5, 5, 5, 5))).isEqualTo(1.0);
        assertThat(jain(List.of(8, 0, 0, 0))).isEqualTo(0.25);
    }
}
