package dev.sluice.it;

import dev.sluice.SluiceDataSource;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntPredicate;

/**
 * The tenant-routing measurements at full length, written as the markdown tables of
 * docs/tenants.md: the budget held under a 64-caller Zipf load over 200 tenants (sessions counted
 * on the server every 10 ms), the isolation of cold tenants from two hot ones, and what the schema
 * switch costs a borrow. Run by {@code scenarios/tenants.sh}; TenantRoutingTest runs the short
 * versions in the default suite.
 *
 * <pre>scenarios/tenants.sh [--seconds 60] [--out FILE]</pre>
 */
public final class TenantLoadReport {
    private static final int SCHEMA_TENANTS = 200;
    private static final int DATABASE_TENANTS = 20;
    private static final int CALLERS = 64;
    private static final int BUDGET = 40;
    private static final int TENANT_MAX = 10;

    private final Duration measure;
    private final Duration warmup = Duration.ofSeconds(5);
    private final StringBuilder out = new StringBuilder();

    private TenantLoadReport(Duration measure) {
        this.measure = measure;
    }

    public static void main(String[] args) throws Exception {
        Duration measure = Duration.ofSeconds(60);
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> measure = Duration.ofSeconds(positive(args, ++i));
                case "--out" -> file = Path.of(value(args, ++i));
                default -> usage("unknown option " + args[i]);
            }
        }
        for (TestDatabase db : List.of(TestDatabase.POSTGRESQL, TestDatabase.MARIADB)) {
            if (db.problem() != null) {
                usage(db + " is not reachable (" + db.problem() + "): the report needs PostgreSQL and MariaDB");
            }
        }
        TenantLoadReport report = new TenantLoadReport(measure);
        report.run();
        System.out.println(report.out);
        if (file != null) {
            Files.writeString(file, report.out);
        }
        System.exit(0); // driver housekeeping threads must not keep a finished report alive
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static int positive(String[] args, int i) {
        String v = value(args, i);
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= 3600) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        usage(args[i - 1] + " takes whole seconds from 1 to 3600, not '" + v + "'");
        return 0;
    }

    private static void usage(String problem) {
        System.err.println("tenants: " + problem);
        System.err.println("usage: scenarios/tenants.sh [--seconds N] [--out FILE]");
        System.exit(2);
    }

    private void run() throws Exception {
        TestDatabase pg = TestDatabase.POSTGRESQL;
        TestDatabase maria = TestDatabase.MARIADB;
        line("Measured " + Instant.now().toString().substring(0, 10) + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, JDK " + Runtime.version().feature() + "; " + CALLERS + " callers, globalMaximumPoolSize "
                + BUDGET + ", tenantMaximumPoolSize " + TENANT_MAX + ", " + warmup.toSeconds() + " s warm-up then "
                + measure.toSeconds() + " s measured per row.");
        line("");
        TenantFixtures.createSchemas(pg, SCHEMA_TENANTS);
        TenantFixtures.createSchemas(maria, SCHEMA_TENANTS);
        TenantFixtures.createDatabases(pg, DATABASE_TENANTS);
        try {
            line("| load (Zipf s=1.1) | checked borrows | borrows/s | mix-ups | errors | most sessions on the server (samples) | connects per 1,000 borrows, warm | acquire p50 / p99 |");
            line("|---|---|---|---|---|---|---|---|");
            List<TenantLoad.Result> budget = new ArrayList<>();
            budget.add(schemaLoad(pg));
            budget.add(schemaLoad(maria));
            budget.add(databaseLoad(pg));
            long total = budget.stream().mapToLong(TenantLoad.Result::borrows).sum();
            line("");
            line("Checked borrows in all: " + total + ".");
            line("");
            isolation(pg);
            line("");
            switchCost(pg);
            switchCost(maria);
        } finally {
            TenantFixtures.dropSchemas(pg, SCHEMA_TENANTS);
            TenantFixtures.dropSchemas(maria, SCHEMA_TENANTS);
            TenantFixtures.dropDatabases(pg, DATABASE_TENANTS);
        }
    }

    private TenantLoad.Result schemaLoad(TestDatabase db) throws Exception {
        String name = "sluice-tenants-report-schema";
        try (TenantDataSource tenants = TenantDataSource.builder().template(TenantFixtures.template(db, name).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(BUDGET).tenantMaximumPoolSize(TENANT_MAX).build()) {
            TenantLoad.Result r = TenantLoad.run(db, zipf(name, SCHEMA_TENANTS, () -> tenants.stats().sharedPool().created()),
                    tenants::getConnection);
            row(db + ", SCHEMA, " + SCHEMA_TENANTS + " " + (db.kind() == TestDatabase.Kind.MARIADB ? "databases" : "schemas"), r);
            return r;
        }
    }

    private TenantLoad.Result databaseLoad(TestDatabase db) throws Exception {
        String name = "sluice-tenants-report-db";
        try (TenantDataSource tenants = TenantDataSource.builder().template(TenantFixtures.template(db, name).build())
                .mode(TenantMode.DATABASE).tenantUrl(t -> TenantFixtures.databaseUrl(db, t))
                .globalMaximumPoolSize(BUDGET).tenantMaximumPoolSize(TENANT_MAX).build()) {
            TenantLoad.Result r = TenantLoad.run(db, zipf(name, DATABASE_TENANTS, null), tenants::getConnection);
            row(db + ", DATABASE, " + DATABASE_TENANTS + " databases", r);
            return r;
        }
    }

    private TenantLoad.Spec zipf(String name, int tenants, java.util.function.LongSupplier connects) {
        List<TenantLoad.TenantChoice> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            callers.add(TenantLoad.zipf(tenants, 1.1));
        }
        return new TenantLoad.Spec(name, callers, tenants, warmup, measure, Duration.ZERO, connects);
    }

    private void row(String load, TenantLoad.Result r) {
        double perThousand = r.connectsPerThousand();
        line(String.format(Locale.ROOT, "| %s | %d | %.0f | %d | %d | %d of %d (%d) | %s | %s / %s |", load, r.borrows(),
                r.borrowsPerSecond(), r.mixUps(), r.errors().values().stream().mapToInt(Integer::intValue).sum(),
                r.maxSessions(), BUDGET, r.sessionSamples(), perThousand < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", perThousand),
                ms(r.acquireQuantileNanos(t -> true, 0.5)), ms(r.acquireQuantileNanos(t -> true, 0.99))));
        r.errors().forEach((error, n) -> System.err.println("  " + n + " x " + error));
    }

    private void isolation(TestDatabase db) throws Exception {
        TenantLoad.Result[] runs = TenantRoutingTest.isolation(db, "sluice-tenants-report-hot", DATABASE_TENANTS, warmup, measure);
        IntPredicate cold = t -> t >= 2;
        IntPredicate hot = t -> t < 2;
        long alone = runs[0].acquireQuantileNanos(cold, 0.99);
        long beside = runs[1].acquireQuantileNanos(cold, 0.99);
        line("Isolation (" + db + ", DATABASE mode, " + DATABASE_TENANTS + " databases, budget " + DATABASE_TENANTS
                + ", tenantMaximumPoolSize 10, every borrow held 1 ms): 18 cold tenants with one caller each, alone and"
                + " beside two hot tenants with ten callers each.");
        line("");
        line("| | cold tenants' acquire p50 / p99 | hot tenants' acquire p50 / p99 | borrows served: cold (mean per tenant) / hot (mean per tenant) | Jain's index over all tenants' served borrows |");
        line("|---|---|---|---|---|");
        for (int i = 0; i < 2; i++) {
            TenantLoad.Result r = runs[i];
            line(String.format(Locale.ROOT, "| %s | %s / %s | %s | %.0f / %s | %s |", i == 0 ? "cold tenants alone" : "beside two hot ones",
                    ms(r.acquireQuantileNanos(cold, 0.5)), ms(r.acquireQuantileNanos(cold, 0.99)),
                    i == 0 ? "-" : ms(r.acquireQuantileNanos(hot, 0.5)) + " / " + ms(r.acquireQuantileNanos(hot, 0.99)),
                    mean(r.servedByTenant(), 2, DATABASE_TENANTS), i == 0 ? "-" : String.format(Locale.ROOT, "%.0f", mean(r.servedByTenant(), 0, 2)),
                    i == 0 ? String.format(Locale.ROOT, "%.3f (cold only)", r.jain(cold)) : String.format(Locale.ROOT, "%.3f", r.jain(t -> true))));
        }
        line("");
        line(String.format(Locale.ROOT, "Cold tenants' p99 beside the hot ones: %.2fx their p99 alone.", (double) beside / Math.max(1, alone)));
    }

    private static double mean(long[] served, int from, int to) {
        return Arrays.stream(served, from, to).average().orElse(0);
    }

    /**
     * What the schema switch costs a borrow: getConnection + close through SCHEMA mode (one SET
     * search_path / USE per borrow) against a plain pool of the same database, one thread, 20
     * tenants in turn, after a warm-up round; p50 and p99 of each, in ns.
     */
    static long[] switchCost(TestDatabase db, String name, int borrows) throws Exception {
        try (TenantDataSource tenants = TenantDataSource.builder().template(TenantFixtures.template(db, name).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(2).build();
                SluiceDataSource plain = new SluiceDataSource(TenantFixtures.template(db, name + "-plain").maximumPoolSize(2).build())) {
            long[] tenant = new long[borrows];
            long[] direct = new long[borrows];
            for (int round = 0; round < 2; round++) { // the first round warms up
                for (int i = 0; i < borrows; i++) {
                    long t0 = System.nanoTime();
                    try (Connection c = tenants.getConnection(TenantFixtures.tenant(i % 20))) {
                        tenant[i] = System.nanoTime() - t0;
                    }
                    long t1 = System.nanoTime();
                    try (Connection c = plain.getConnection()) {
                        direct[i] = System.nanoTime() - t1;
                    }
                }
            }
            Arrays.sort(tenant);
            Arrays.sort(direct);
            return new long[] {tenant[borrows / 2], tenant[borrows * 99 / 100], direct[borrows / 2], direct[borrows * 99 / 100]};
        }
    }

    private void switchCost(TestDatabase db) throws Exception {
        long[] c = switchCost(db, "sluice-tenants-report-switch", 20_000);
        line(String.format(Locale.ROOT, "Schema switch, %s, one thread, 20,000 borrows over 20 tenants: getConnection + close"
                + " with the switch p50 %s / p99 %s; a plain pool's p50 %s / p99 %s.", db, ms(c[0]), ms(c[1]), ms(c[2]), ms(c[3])));
        line("");
    }

    private static String ms(long nanos) {
        return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private void line(String s) {
        out.append(s).append('\n');
        System.err.println(s);
    }
}
