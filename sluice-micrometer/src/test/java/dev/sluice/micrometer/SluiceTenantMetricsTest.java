package dev.sluice.micrometer;

import static dev.sluice.micrometer.Meters.value;
import static dev.sluice.micrometer.SluiceMeterNames.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceConfig;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import dev.sluice.TenantStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A tenant data source's meters: the cardinality cap over a real SCHEMA-mode data source on H2
 * (300 tenants, 50 tagged), and the tagging rule's hysteresis on scripted snapshots. The clock is
 * the test's, so a review happens when the test moves it past the review interval.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SluiceTenantMetricsTest {
    private static final Duration TTL = Duration.ofMillis(100);
    private static final Duration REVIEW = Duration.ofMinutes(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong clock = new AtomicLong();

    private void nextReview() {
        clock.addAndGet(REVIEW.toNanos() + 1);
    }

    private Set<String> tenantTags() {
        Set<String> seen = new HashSet<>();
        for (Meter m : registry.getMeters()) {
            String t = m.getId().getTag(TENANT);
            if (t != null) {
                seen.add(t);
            }
        }
        return seen;
    }

    private double sum(String name, String... tags) {
        double total = 0;
        for (Meter m : registry.find(name).tags(tags).meters()) {
            total += m instanceof Gauge g ? g.value() : ((FunctionCounter) m).count();
        }
        return total;
    }

    @Test
    void threeHundredTenantsWithACapOfFiftyMakeAtMostFiftyOneSeriesThatAddUpToTheBudget() throws Exception {
        String url = "jdbc:h2:mem:tenant_metrics;DB_CLOSE_DELAY=-1";
        try (Connection keeper = DriverManager.getConnection(url); Statement s = keeper.createStatement()) {
            for (int i = 0; i < 300; i++) {
                s.execute("CREATE SCHEMA IF NOT EXISTS \"m" + i + "\"");
            }
            try (TenantDataSource tenants = TenantDataSource.builder()
                    .template(SluiceConfig.builder().jdbcUrl(url).poolName("metered").minimumIdle(0)
                            .connectionTimeout(Duration.ofSeconds(5)).build())
                    .mode(TenantMode.SCHEMA).globalMaximumPoolSize(8).tenantMaximumPoolSize(2).build()) {
                new SluiceTenantMetrics("metered", tenants::stats, Tags.empty(), 50, clock::get, TTL, REVIEW).bindTo(registry);
                long borrows = 0;
                for (int i = 0; i < 300; i++) {
                    int n = 1 + i % 5 + (i < 20 ? 30 : 0); // m0..m19 are the busiest by far
                    for (int k = 0; k < n; k++) {
                        tenants.getConnection("m" + i).close();
                    }
                    borrows += n;
                }
                List<Connection> held = new ArrayList<>();
                held.add(tenants.getConnection("m3"));   // to be tagged
                held.add(tenants.getConnection("m3"));
                held.add(tenants.getConnection("m250")); // to be summed in _other
                nextReview();
                scrape(); // the review happens here

                assertThat(tenantTags()).as("50 tagged tenants and _other").hasSize(51).contains("_other", "m0", "m19");
                assertThat(registry.find(TENANT_BORROWS).meters()).hasSize(51);
                assertThat(registry.find(TENANT_CONNECTION_COUNT).tag(STATE, "used").meters()).hasSize(51);
                assertThat(value(registry, TENANTS_TAGGED)).isEqualTo(50);
                assertThat(value(registry, TENANTS_KNOWN)).isEqualTo(300);

                TenantStats stats = tenants.stats();
                assertThat(sum(TENANT_BORROWS)).as("tagged + _other = every borrow").isEqualTo(borrows + 3)
                        .isEqualTo(stats.tenants().values().stream().mapToLong(TenantStats.Usage::borrows).sum());
                assertThat(sum(TENANT_CONNECTION_COUNT, STATE, "used")).as("tagged + _other = the budget's used")
                        .isEqualTo(value(registry, CONNECTION_COUNT, STATE, "used")).isEqualTo(3);
                assertThat(value(registry, TENANT_CONNECTION_COUNT, TENANT, "m3", STATE, "used")).isEqualTo(2);
                assertThat(value(registry, TENANT_CONNECTION_COUNT, TENANT, "_other", STATE, "used")).isEqualTo(1);
                assertThat(value(registry, MAX)).isEqualTo(8);
                for (Connection c : held) {
                    c.close();
                }
            } finally {
                s.execute("DROP ALL OBJECTS");
            }
        }
    }

    /** Scripted snapshots: each tenant's borrows so far, nothing in use. */
    private static final class Script {
        final Map<String, Long> borrows = new ConcurrentHashMap<>();

        void add(String tenant, long n) {
            borrows.merge(tenant, n, Long::sum);
        }

        TenantStats stats() {
            Map<String, TenantStats.Usage> tenants = new ConcurrentHashMap<>();
            borrows.forEach((t, n) -> tenants.put(t, new TenantStats.Usage(0, 0, 0, n, 0, 1)));
            return new TenantStats(TenantMode.SCHEMA, 10, 0, 0, 0, 0, Map.of(), Map.of(), null, tenants, 0, 0, 0);
        }

        long total() {
            return borrows.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Reads every meter, as a registry's publication does (a measurement's value is read only when asked for). */
    private void scrape() {
        clock.addAndGet(TTL.toNanos() + 1);
        List<Meter> meters = List.copyOf(registry.getMeters());
        meters.forEach(m -> m.measure().forEach(x -> x.getValue()));
    }

    @Test
    void aTagMovesOnlyToATenantClearlyBusierAndTheLosersMetersLeaveTheRegistry() {
        Script script = new Script();
        script.add("a", 100);
        script.add("b", 50);
        script.add("c", 10);
        new SluiceTenantMetrics("scripted", script::stats, Tags.empty(), 2, clock::get, TTL, REVIEW).bindTo(registry);
        assertThat(tenantTags()).containsExactlyInAnyOrder("a", "b", "_other");

        script.add("a", 100);
        script.add("b", 10);
        script.add("c", 15); // busier than b, but not twice as busy: b keeps its tag
        nextReview();
        scrape();
        assertThat(tenantTags()).containsExactlyInAnyOrder("a", "b", "_other");
        assertThat(sum(TENANT_BORROWS)).isEqualTo(script.total());

        script.add("a", 100);
        script.add("b", 5);
        script.add("c", 50); // ten times b: c takes b's tag
        nextReview();
        scrape();
        assertThat(tenantTags()).containsExactlyInAnyOrder("a", "c", "_other");
        assertThat(registry.find(TENANT_BORROWS).tag(TENANT, "b").meters()).as("b's meters removed").isEmpty();
        assertThat(registry.find(TENANT_CONNECTION_COUNT).tag(TENANT, "b").meters()).isEmpty();
        assertThat(sum(TENANT_BORROWS)).as("no borrow lost or counted twice across the move").isEqualTo(script.total());

        script.add("b", 7);
        script.add("c", 3);
        scrape(); // no review yet: b's new borrows go to _other, c's to its own counter
        assertThat(value(registry, TENANT_BORROWS, TENANT, "c")).isEqualTo(3);
        assertThat(sum(TENANT_BORROWS)).isEqualTo(script.total());
    }

    @Test
    void aScrapeTakesOneSnapshotHoweverManyTenantsAndMeters() {
        Script script = new Script();
        for (int i = 0; i < 1000; i++) {
            script.add("s" + i, 1 + i % 10);
        }
        AtomicLong snapshots = new AtomicLong();
        new SluiceTenantMetrics("counted", () -> {
            snapshots.incrementAndGet();
            return script.stats();
        }, Tags.empty(), 100, clock::get, TTL, REVIEW).bindTo(registry);
        scrape();
        assertThat(registry.getMeters()).as("101 series of 4 meters and the budget's").hasSizeGreaterThan(400);
        long before = snapshots.get();
        scrape();
        assertThat(snapshots.get() - before).isEqualTo(1);
    }

    @Test
    void aCapOutsideItsRangeIsRefusedNamingTheKnob() throws SQLException {
        assertThatThrownBy(() -> new SluiceTenantMetrics("x", () -> null, Tags.empty(), -1, clock::get, TTL, REVIEW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTaggedTenants=-1 must be between 0 and 10000");
        assertThatThrownBy(() -> new SluiceTenantMetrics("x", () -> null, Tags.empty(), 10_001, clock::get, TTL, REVIEW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTaggedTenants=10001");
    }
}
