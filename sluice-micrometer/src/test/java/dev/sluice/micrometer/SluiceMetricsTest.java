package dev.sluice.micrometer;

import static dev.sluice.micrometer.Meters.awaitValue;
import static dev.sluice.micrometer.Meters.totalSeconds;
import static dev.sluice.micrometer.Meters.value;
import static dev.sluice.micrometer.SluiceMeterNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import dev.sluice.SluiceFailure;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The meters of a real pool over H2 (in memory) after scripted borrows, waits, timeouts and leaks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SluiceMetricsTest {
    private static final String SECRET = "pa55-w0rd-never-in-a-meter";
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<SluiceDataSource> pools = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void closeAll() {
        threads.shutdownNow();
        pools.forEach(SluiceDataSource::close);
    }

    private static SluiceConfig.Builder h2(String poolName) {
        return SluiceConfig.builder().poolName(poolName)
                .jdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1").username("sa").password(SECRET)
                // A cold JVM's first H2 connect can be slow: let the start-up check retry rather than fail.
                .initializationFailTimeout(Duration.ofSeconds(10));
    }

    private SluiceDataSource start(SluiceConfig.Builder config) throws SQLException {
        SluiceDataSource ds = new SluiceDataSource(config.build());
        pools.add(ds);
        return ds;
    }

    /** A pool of one connection, bound through the public API, with its one connection open and idle. */
    private SluiceDataSource boundPoolOfOne(String name) throws Exception {
        SluiceDataSource ds = start(h2(name).maximumPoolSize(1).minimumIdle(1));
        SluiceMetrics.bind(ds, registry);
        awaitValue(registry, 1, CONNECTION_COUNT, STATE, "idle");
        return ds;
    }

    @Test
    void everyMeterIsRegisteredWithThePoolNameTag() throws Exception {
        SluiceDataSource ds = start(h2("inventory").maximumPoolSize(4).minimumIdle(1));
        new SluiceMetrics(ds, Tags.of("application", "orders")).bindTo(registry);

        Set<String> ids = new TreeSet<>();
        for (Meter m : registry.getMeters()) {
            assertThat(m.getId().getTag(POOL_NAME)).as(m.getId().toString()).isEqualTo("inventory");
            assertThat(m.getId().getTag("application")).as(m.getId().toString()).isEqualTo("orders");
            assertThat(m.getId().getDescription()).as(m.getId().toString()).isNotBlank();
            StringBuilder id = new StringBuilder(m.getId().getName() + ":" + m.getId().getType());
            m.getId().getTags().stream().filter(t -> !t.getKey().equals(POOL_NAME) && !t.getKey().equals("application"))
                    .forEach(t -> id.append(" ").append(t.getKey()).append("=").append(t.getValue()));
            ids.add(id.toString());
        }
        List<String> expected = new ArrayList<>(List.of(
                "db.client.connection.count:GAUGE db.client.connection.state=idle",
                "db.client.connection.count:GAUGE db.client.connection.state=used",
                "db.client.connection.idle.max:GAUGE", "db.client.connection.idle.min:GAUGE", "db.client.connection.max:GAUGE",
                "db.client.connection.pending_requests:GAUGE", "db.client.connection.timeouts:COUNTER",
                "db.client.connection.create_time:TIMER", "db.client.connection.wait_time:TIMER", "db.client.connection.use_time:TIMER",
                "sluice.connection.created:COUNTER", "sluice.connection.connect_failures:COUNTER", "sluice.connection.creating:GAUGE",
                "sluice.connection.waits:COUNTER", "sluice.connection.leaks_suspected:COUNTER", "sluice.connection.abandoned:COUNTER",
                "sluice.connection.validation_failures:COUNTER", "sluice.connection.nested_acquisitions:COUNTER",
                "sluice.breaker.opens:COUNTER", "sluice.breaker.rejections:COUNTER"));
        for (String reason : List.of("max_idle", "idle_timeout", "max_idle_time", "max_lifetime", "broken", "validation_failed",
                "evicted", "aborted", "pool_closed", "failover")) {
            expected.add("sluice.connection.closed:COUNTER reason=" + reason);
        }
        for (String state : List.of("closed", "open", "half_open", "disabled")) {
            expected.add("sluice.breaker.state:GAUGE state=" + state);
        }
        for (String status : List.of("healthy", "busy", "saturated", "oversized", "down")) {
            expected.add("sluice.pool.health:GAUGE status=" + status);
        }
        for (String timer : List.of("wait_time", "use_time", "create_time")) {
            for (String q : List.of("0.5", "0.9", "0.99", "max")) {
                expected.add("sluice.connection." + timer + ".quantile:GAUGE quantile=" + q);
            }
        }
        assertThat(ids).as("no sizing meters with sizing FIXED").containsExactlyInAnyOrderElementsOf(expected);

        assertThat(value(registry, MAX)).isEqualTo(4);
        assertThat(value(registry, IDLE_MIN)).isEqualTo(1);
        assertThat(value(registry, IDLE_MAX)).as("maxIdle defaults to maximumPoolSize").isEqualTo(4);
        assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "closed")).isEqualTo(1);
        assertThat(value(registry, BREAKER_STATE, BREAKER_STATE_TAG, "open")).isZero();
        assertThat(ds.isClosed()).isFalse();
    }

    @Test
    void anAcquireTimeoutTurnsTheHealthGaugeToSaturated() throws Exception {
        SluiceDataSource ds = boundPoolOfOne("health-gauge");
        assertThat(value(registry, HEALTH, HEALTH_STATUS_TAG, "saturated")).isZero();
        try (Connection held = ds.getConnection()) {
            Throwable t = catchThrowable(() -> ds.getConnection(Duration.ofMillis(100)));
            assertThat(((SluiceFailure) t).reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT);
        }
        assertThat(value(registry, HEALTH, HEALTH_STATUS_TAG, "saturated")).isEqualTo(1);
        double sum = 0;
        for (String status : List.of("healthy", "busy", "saturated", "oversized", "down")) {
            sum += value(registry, HEALTH, HEALTH_STATUS_TAG, status);
        }
        assertThat(sum).as("exactly one status reads 1").isEqualTo(1);
    }

    @Test
    void borrowsShowInTheCountGaugesTheTimersAndTheQuantiles() throws Exception {
        SluiceDataSource ds = boundPoolOfOne("borrows");
        assertThat(value(registry, CREATED)).isEqualTo(1);
        assertThat(value(registry, CREATE_TIME)).isEqualTo(1);
        assertThat(totalSeconds(registry, CREATE_TIME)).isPositive();

        try (Connection c = ds.getConnection()) {
            awaitValue(registry, 1, CONNECTION_COUNT, STATE, "used");
            assertThat(value(registry, CONNECTION_COUNT, STATE, "idle")).isZero();
        }
        // The pool times one hold in 16 per connection by default: 16 holds long enough to be told apart
        // from zero, whatever the clock's resolution, include at least one timed one.
        for (int i = 0; i < 16; i++) {
            try (Connection c = ds.getConnection()) {
                c.createStatement().execute("select 1");
                Thread.sleep(20);
            }
        }
        awaitValue(registry, 17, WAIT_TIME);
        awaitValue(registry, 17, USE_TIME);
        assertThat(value(registry, CONNECTION_COUNT, STATE, "used")).isZero();
        assertThat(value(registry, CONNECTION_COUNT, STATE, "idle")).isEqualTo(1);
        assertThat(totalSeconds(registry, USE_TIME)).as("17 returns at the sampled mean, which includes 20 ms holds")
                .isGreaterThanOrEqualTo(0.020);
        // No assertion on wait_time's total here: a borrow that finds an idle connection reads the clock once and records 0.
        assertThat(value(registry, USE_TIME_QUANTILE, QUANTILE, "max")).as("the 20 ms hold, within a bucket").isGreaterThanOrEqualTo(0.015);
        assertThat(value(registry, USE_TIME_QUANTILE, QUANTILE, "0.5")).isLessThanOrEqualTo(value(registry, USE_TIME_QUANTILE, QUANTILE, "0.99"));
        assertThat(value(registry, USE_TIME_QUANTILE, QUANTILE, "0.99")).isLessThanOrEqualTo(value(registry, USE_TIME_QUANTILE, QUANTILE, "max"));
        assertThat(value(registry, WAITS)).as("an idle connection was always there").isZero();
        assertThat(value(registry, CREATED)).as("one connection, reused").isEqualTo(1);
        assertThat(value(registry, TIMEOUTS)).isZero();
        assertThat(value(registry, PENDING_REQUESTS)).isZero();
    }

    @Test
    void aWaiterShowsAsPendingAndItsWaitIsTimed() throws Exception {
        SluiceDataSource ds = boundPoolOfOne("waits");
        Connection held = ds.getConnection();
        Future<Long> waiter = threads.submit(() -> {
            long start = System.nanoTime();
            try (Connection c = ds.getConnection()) {
                return System.nanoTime() - start;
            }
        });
        awaitValue(registry, 1, PENDING_REQUESTS);
        Thread.sleep(50); // so the wait is measurably long
        held.close();
        long waitedNanos = waiter.get(10, TimeUnit.SECONDS);

        awaitValue(registry, 0, PENDING_REQUESTS);
        awaitValue(registry, 2, WAIT_TIME);
        assertThat(value(registry, WAITS)).isEqualTo(1);
        assertThat(totalSeconds(registry, WAIT_TIME)).as("at least the waiter's 50 ms, at most what it measured plus the first borrow")
                .isGreaterThanOrEqualTo(0.050).isLessThan(waitedNanos / 1e9 + 1);
        assertThat(value(registry, WAIT_TIME_QUANTILE, QUANTILE, "max")).as("the wait, within a bucket").isGreaterThanOrEqualTo(0.040);
        assertThat(value(registry, TIMEOUTS)).isZero();
    }

    @Test
    void aTimedOutBorrowCountsAsATimeout() throws Exception {
        SluiceDataSource ds = boundPoolOfOne("timeouts");
        try (Connection held = ds.getConnection()) {
            Throwable t = catchThrowable(() -> ds.getConnection(Duration.ofMillis(100)));
            assertThat(t).isInstanceOf(SluiceFailure.class);
            assertThat(((SluiceFailure) t).reason()).isEqualTo(FailureReason.ACQUIRE_TIMEOUT);
        }
        awaitValue(registry, 1, TIMEOUTS);
        assertThat(value(registry, WAITS)).isEqualTo(1);
        assertThat(value(registry, WAIT_TIME)).as("only successful borrows are timed").isEqualTo(1);
        assertThat(value(registry, NESTED_ACQUISITIONS)).as("the test thread held the pool's only connection while it asked").isEqualTo(1);
        assertThat(value(registry, PENDING_REQUESTS)).isZero();
    }

    @Test
    void aConnectionHeldPastTheLeakThresholdCountsAsASuspectedLeak() throws Exception {
        SluiceDataSource ds = start(h2("leaks").maximumPoolSize(1).minimumIdle(1).leakDetectionThreshold(Duration.ofMillis(100)));
        SluiceMetrics.bind(ds, registry);
        try (Connection c = ds.getConnection()) {
            awaitValue(registry, 1, LEAKS_SUSPECTED);
        }
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).isTrue(); // returned at once: no second report
        }
        Thread.sleep(300);
        awaitValue(registry, 2, USE_TIME);
        assertThat(value(registry, LEAKS_SUSPECTED)).isEqualTo(1);
        assertThat(value(registry, ABANDONED)).isZero();
    }

    @Test
    void closedConnectionsAreCountedByReason() throws Exception {
        SluiceDataSource ds = start(h2("closes").maximumPoolSize(3).minimumIdle(3));
        SluiceMetrics.bind(ds, registry);
        awaitValue(registry, 3, CONNECTION_COUNT, STATE, "idle");
        ds.resize(1, 1);
        awaitValue(registry, 2, CLOSED, REASON, "evicted");
        awaitValue(registry, 1, MAX);
        assertThat(value(registry, IDLE_MIN)).isEqualTo(1);
        assertThat(value(registry, IDLE_MAX)).as("the default maxIdle follows the size").isEqualTo(1);
        ds.close();
        awaitValue(registry, 1, CLOSED, REASON, "pool_closed");
        assertThat(value(registry, CLOSED, REASON, "max_lifetime")).isZero();
    }

    @Test
    void aClosedPoolsMetersReadWithoutErrorAndKeepTheirTotals() throws Exception {
        SluiceDataSource ds = boundPoolOfOne("closed");
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        awaitValue(registry, 1, WAIT_TIME);
        ds.close();
        awaitValue(registry, 0, CONNECTION_COUNT, STATE, "idle");
        assertThatCode(() -> registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()))).doesNotThrowAnyException();
        assertThat(value(registry, CONNECTION_COUNT, STATE, "used")).isZero();
        assertThat(value(registry, WAIT_TIME)).isEqualTo(1);
        assertThat(value(registry, CREATED)).isEqualTo(1);
        Throwable t = catchThrowable(ds::getConnection);
        assertThat(((SluiceFailure) t).reason()).isEqualTo(FailureReason.POOL_CLOSED);
    }

    @Test
    void thePasswordAppearsInNoMeter() throws Exception {
        SluiceDataSource ds = boundPoolOfOne("secrecy");
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertThat(registry.getMeters()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.getId().getName()).doesNotContain(SECRET);
            assertThat(String.valueOf(m.getId().getDescription())).doesNotContain(SECRET);
            assertThat(String.valueOf(m.getId().getBaseUnit())).doesNotContain(SECRET);
            for (Tag t : m.getId().getTags()) {
                assertThat(t.getKey()).doesNotContain(SECRET);
                assertThat(t.getValue()).doesNotContain(SECRET);
            }
        });
        assertThat(registry.getMetersAsString()).doesNotContain(SECRET).contains("secrecy");
    }

    @Test
    void bindingDoesNotKeepADiscardedPoolAliveAndItsGaugesThenReadNan() throws Exception {
        bindClosedPool("discarded");
        awaitValue(registry, 0, CONNECTION_COUNT, STATE, "idle");
        assertThat(value(registry, CREATED)).isEqualTo(1);
        Meters.awaitUntil("the data source is collected and the gauges say so", () -> {
            System.gc();
            return Double.isNaN(value(registry, CONNECTION_COUNT, STATE, "idle"));
        });
        assertThat(value(registry, CREATED)).as("a counter keeps its last total").isEqualTo(1);
        assertThat(value(registry, MAX)).isNaN();
    }

    /** In its own frame, so that no local variable of the test keeps the data source reachable. */
    private void bindClosedPool(String name) throws Exception {
        SluiceDataSource ds = new SluiceDataSource(h2(name).maximumPoolSize(1).minimumIdle(1).build());
        SluiceMetrics.bind(ds, registry);
        ds.close();
    }
}
