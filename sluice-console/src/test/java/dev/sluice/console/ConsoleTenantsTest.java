package dev.sluice.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import dev.sluice.TenantStats;
import dev.sluice.stub.StubDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tenants view: the budget and its history, tenants busiest first, and a page that stays small with many tenants. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleTenantsTest {

    @Test
    void theTenantsEndpointShowsTheBudgetItsHistoryAndTheBusiestTenantFirst() throws Exception {
        StubDatabase db = StubDatabase.create();
        try (TenantDataSource tenants = TenantDataSource.builder()
                .template(SluiceConfig.builder().jdbcUrl(db.url()).poolName("shops").connectionTimeout(Duration.ofSeconds(5)).build())
                .mode(TenantMode.DATABASE).tenantUrl(t -> db.url()).globalMaximumPoolSize(10).tenantMaximumPoolSize(4).build();
                SluiceConsole console = SluiceConsole.builder().port(0).registerTenants("shops", tenants).start()) {
            List<Connection> held = new ArrayList<>();
            try {
                held.add(tenants.getConnection("quiet"));
                for (int i = 0; i < 3; i++) {
                    held.add(tenants.getConnection("busy"));
                }
                tenants.getConnection("gone_idle").close();
                ConsoleHttp http = new ConsoleHttp(console);
                String doc = until(http, console, "/api/tenants", s -> s.contains("\"inUse\":4,\"idle\":"));

                assertThat(doc).contains("\"name\":\"shops\"", "\"mode\":\"DATABASE\"", "\"max\":10", "\"tenantCount\":3");
                assertThat(doc.indexOf("\"tenant\":\"busy\"")).as("busiest first").isPositive()
                        .isLessThan(doc.indexOf("\"tenant\":\"quiet\"")).isLessThan(doc.indexOf("\"tenant\":\"gone_idle\""));
                assertThat(doc).contains("\"tenant\":\"busy\",\"inUse\":3,\"pool\":{\"open\":3")
                        .contains("\"tenant\":\"gone_idle\",\"inUse\":0,\"pool\":{\"open\":1,\"idle\":1");
                assertThat(doc).doesNotContain("\"others\"");
                // The budget's history, in the same columns as a pool's.
                assertThat(doc).containsPattern("\"history\":\\{\"shops\":\\{\"t\":\\[\\d+").containsPattern("\"inUse\":\\[[0-9,]*4");
                assertThat(http.bearer("GET", "/api/snapshot", console.token()).body())
                        .contains("\"tenantHistory\":{\"shops\":{\"t\":[", "\"tenants\":[{\"name\":\"shops\"");
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aThousandTenantsGiveFiftyRowsAndOneOthersRowThatAddsUp() {
        Map<String, Integer> inUse = new HashMap<>();
        int total = 0;
        for (int i = 0; i < 1000; i++) {
            int n = 1 + (i * 37) % 9; // 1..9, in no particular order
            inUse.put(String.format("t%04d", i), n);
            total += n;
        }
        TenantStats stats = new TenantStats(TenantMode.SCHEMA, 10_000, total, total, 0, 3, inUse, Map.of(), null);

        String doc = TenantWatch.document("many", 1L, stats);

        List<Integer> shown = new ArrayList<>();
        Matcher m = Pattern.compile("\"tenant\":\"t\\d{4}\",\"inUse\":(\\d+)").matcher(doc);
        while (m.find()) {
            shown.add(Integer.parseInt(m.group(1)));
        }
        assertThat(shown).hasSize(TenantWatch.TOP).isSortedAccordingTo((a, b) -> b - a).allMatch(n -> n == 9);
        int others = total - shown.stream().mapToInt(Integer::intValue).sum();
        assertThat(doc).contains("\"tenantCount\":1000", "\"others\":{\"tenants\":950,\"inUse\":" + others + ",");
        assertThat(doc.length()).as("a bounded document, whatever the number of tenants").isLessThan(5_000);
    }

    @Test
    void aTenantNameIsCheckedOnceAndOnlyOnce() throws Exception {
        StubDatabase db = StubDatabase.create();
        try (TenantDataSource tenants = TenantDataSource.builder().template(SluiceConfig.builder().jdbcUrl(db.url()).build()).build()) {
            SluiceConsole.Builder b = SluiceConsole.builder().registerTenants("shops", tenants);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.registerTenants("shops", tenants))
                    .hasMessage("a tenant data source named shops is registered already");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.registerTenants(" ", tenants))
                    .hasMessage("the tenant data source's name must not be blank");
        }
    }

    /** Polls {@code path} until it satisfies {@code ready} (the console samples once a second). */
    static String until(ConsoleHttp http, SluiceConsole console, String path, java.util.function.Predicate<String> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String last = null;
        while (System.nanoTime() - deadline < 0) {
            last = http.bearer("GET", path, console.token()).body();
            if (ready.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " never showed it; last was " + last);
    }
}
