package dev.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.SluiceConfig;
import dev.sluice.Tenant;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tenant routing against the real databases. Every tenant's schema (SCHEMA mode) or database
 * (DATABASE mode) holds a marker table with its own id; a bounded concurrent load checks on every
 * borrow that the marker is the tenant it asked for, while a sampler counts the sessions the
 * server has open for the data source and records the highest count: it must never pass
 * globalMaximumPoolSize, and no borrow may fail (PostgreSQL's 53300 "too many clients" included).
 *
 * <p>Objects are named {@code sluice_tenant_*}, created idempotently and dropped afterwards.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TenantRoutingTest {
    private static final int SCHEMA_TENANTS = 50;
    private static final int DATABASE_TENANTS = 4;
    private static final Duration LOAD = Duration.ofSeconds(3);
    private static final int THREADS = 12;
    /** On MariaDB the sessions are told apart by a user of their own (it has no application_name). */
    private static final String MARIADB_USER = "sluice_tenant_it";

    private static String tenant(int i) {
        return "sluice_tenant_" + i;
    }

    @DatabaseTest
    void schemaModeNeverExceedsTheBudgetAndEveryBorrowReachesItsTenant(TestDatabase db) throws Exception {
        String name = "sluice-tenant-schema-" + db.kind().name().toLowerCase();
        createTenantSchemas(db);
        try {
            SluiceConfig.Builder template = template(db, name);
            try (TenantDataSource tenants = TenantDataSource.builder().template(template.build()).mode(TenantMode.SCHEMA)
                    .globalMaximumPoolSize(6).tenantMaximumPoolSize(3).build()) {
                Load load = runLoad(db, name, 6, SCHEMA_TENANTS, t -> {
                    try (Tenant scope = Tenant.scope(t)) {
                        return tenants.getConnection();
                    }
                });
                load.assertHeld(6);
            }
        } finally {
            dropTenantSchemas(db);
        }
    }

    /**
     * PostgreSQL only: one query over pg_stat_activity counts the sessions of every tenant
     * database at once. (On H2 each in-memory database lists only its own sessions, and a sum of
     * counts read one after another can count a connection twice; the stub-driver test in
     * sluice-core covers the budget logic with an exact counter.)
     */
    /** PostgreSQL's SET is transactional: a rollback by the borrower must not undo the switch. */
    @DatabaseTest
    void aRollbackInsideTheBorrowKeepsTheTenantsSchema(TestDatabase db) throws Exception {
        String name = "sluice-tenant-rollback-" + db.kind().name().toLowerCase();
        createTenantSchemas(db);
        try (TenantDataSource tenants = TenantDataSource.builder().template(template(db, name).autoCommit(false).build())
                .mode(TenantMode.SCHEMA).globalMaximumPoolSize(1).build()) {
            for (int i = 0; i < 3; i++) {
                String t = tenant(i);
                try (Connection c = tenants.getConnection(t)) {
                    c.rollback();
                    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT tenant FROM marker")) {
                        assertThat(r.next()).isTrue();
                        assertThat(r.getString(1)).isEqualTo(t);
                    }
                    c.rollback();
                }
            }
        } finally {
            dropTenantSchemas(db);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("postgres")
    @ExtendWith(RequireDatabase.class)
    void databaseModeNeverExceedsTheBudgetAcrossTenantPools(TestDatabase db) throws Exception {
        String name = "sluice-tenant-db-" + db.kind().name().toLowerCase();
        createTenantDatabases(db);
        try {
            try (TenantDataSource tenants = TenantDataSource.builder().template(template(db, name).build())
                    .mode(TenantMode.DATABASE).tenantUrl(t -> databaseUrl(db, t))
                    .globalMaximumPoolSize(4).tenantMaximumPoolSize(3).build()) {
                Load load = runLoad(db, name, 4, DATABASE_TENANTS, tenants::getConnection);
                load.assertHeld(4);
                assertThat(tenants.stats().open()).isLessThanOrEqualTo(4);
            }
        } finally {
            dropTenantDatabases(db);
        }
    }

    /**
     * What the schema switch costs a borrow: getConnection + close through a SCHEMA-mode data
     * source (which runs one SET search_path / USE per borrow) against the same on a plain pool of
     * the same database, one thread, 20 tenants in turn, after a warm-up. Printed for
     * docs/tenants.md; the assertion is only a wide sanity bound.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.sluice.it.TestDatabase#postgresAndMariaDb")
    @ExtendWith(RequireDatabase.class)
    void schemaSwitchCostPerBorrow(TestDatabase db) throws Exception {
        String name = "sluice-tenant-switch-" + db.kind().name().toLowerCase();
        createTenantSchemas(db);
        try (TenantDataSource tenants = TenantDataSource.builder().template(template(db, name).build()).mode(TenantMode.SCHEMA)
                .globalMaximumPoolSize(2).build();
                dev.sluice.SluiceDataSource plain = new dev.sluice.SluiceDataSource(template(db, name + "-plain").maximumPoolSize(2).build())) {
            long[] tenant = new long[4000];
            long[] direct = new long[4000];
            for (int round = 0; round < 2; round++) { // the first round warms up
                for (int i = 0; i < tenant.length; i++) {
                    long t0 = System.nanoTime();
                    try (Connection c = tenants.getConnection(tenant(i % 20))) {
                        tenant[i] = System.nanoTime() - t0;
                    }
                    long t1 = System.nanoTime();
                    try (Connection c = plain.getConnection()) {
                        direct[i] = System.nanoTime() - t1;
                    }
                }
            }
            java.util.Arrays.sort(tenant);
            java.util.Arrays.sort(direct);
            System.out.printf("tenants %s: borrow with schema switch p50 %.1f us, p99 %.1f us; plain pool borrow p50 %.1f us, p99 %.1f us%n",
                    name, tenant[tenant.length / 2] / 1e3, tenant[tenant.length * 99 / 100] / 1e3,
                    direct[direct.length / 2] / 1e3, direct[direct.length * 99 / 100] / 1e3);
            assertThat(tenant[tenant.length / 2]).as("a switch is one statement on loopback: far below 50 ms")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
        } finally {
            dropTenantSchemas(db);
        }
    }

    static Stream<TestDatabase> postgres() {
        return Stream.of(TestDatabase.POSTGRESQL);
    }

    // ------------------------------------------------------------------ the load

    private interface Borrow {
        Connection borrow(String tenant) throws SQLException;
    }

    private record Load(long borrows, int mixUps, int maxSessions, Map<String, Integer> errors) {
        void assertHeld(int budget) {
            assertThat(errors).as("failed borrows by SQLState (53300: too many clients)").isEmpty();
            assertThat(mixUps).as("borrows that saw another tenant's marker").isZero();
            assertThat(borrows).isGreaterThan(100);
            assertThat(maxSessions).as("sessions the server had open for the data source, at most").isBetween(1, budget);
        }
    }

    private static Load runLoad(TestDatabase db, String name, int budget, int tenantCount, Borrow borrow) throws Exception {
        AtomicLong borrows = new AtomicLong();
        AtomicInteger mixUps = new AtomicInteger();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger maxSessions = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
        try (Connection sampler = db.direct();
                PreparedStatement count = sampler.prepareStatement(sessionQuery(db))) {
            if (db.kind() == TestDatabase.Kind.POSTGRESQL || db.kind() == TestDatabase.Kind.MARIADB) {
                count.setString(1, db.kind() == TestDatabase.Kind.POSTGRESQL ? name : MARIADB_USER);
            }
            Future<?> sampling = threads.submit(() -> {
                while (running.get()) {
                    try (ResultSet r = count.executeQuery()) {
                        r.next();
                        maxSessions.accumulateAndGet(r.getInt(1) - (db.kind() == TestDatabase.Kind.H2 ? 2 : 0), Math::max);
                    }
                }
                return null;
            });
            long end = System.nanoTime() + LOAD.toNanos();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                workers.add(threads.submit(() -> {
                    while (System.nanoTime() - end < 0) {
                        String t = tenant(ThreadLocalRandom.current().nextInt(tenantCount));
                        try (Connection c = borrow.borrow(t); Statement s = c.createStatement();
                                ResultSet r = s.executeQuery("SELECT tenant FROM marker")) {
                            if (!r.next() || !t.equals(r.getString(1))) {
                                mixUps.incrementAndGet();
                            }
                            borrows.incrementAndGet();
                        } catch (SQLException e) {
                            errors.merge(e.getSQLState() + " " + e.getMessage(), 1, Integer::sum);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(60, TimeUnit.SECONDS);
            }
            running.set(false);
            sampling.get(10, TimeUnit.SECONDS);
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
        System.out.printf("tenants %s: %d borrows checked in %ds, %d mix-ups, max %d sessions for a budget of %d, %d errors%n",
                name, borrows.get(), LOAD.toSeconds(), mixUps.get(), maxSessions.get(), budget, errors.size());
        return new Load(borrows.get(), mixUps.get(), maxSessions.get(), errors);
    }

    /**
     * Sessions of the data source under test. H2 (whose in-process server serves this suite one
     * test at a time): every session but the fixture's keeper and the sampler itself, which the
     * caller subtracts.
     */
    private static String sessionQuery(TestDatabase db) {
        return switch (db.kind()) {
            case POSTGRESQL -> "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?";
            case MARIADB -> "SELECT count(*) FROM information_schema.processlist WHERE user = ?";
            case H2 -> "SELECT count(*) FROM information_schema.sessions";
        };
    }

    private static SluiceConfig.Builder template(TestDatabase db, String name) {
        SluiceConfig.Builder b = db.config(name).minimumIdle(0).connectionTimeout(Duration.ofSeconds(20));
        if (db.kind() == TestDatabase.Kind.MARIADB) {
            b.username(MARIADB_USER).password("");
        }
        return b;
    }

    // ------------------------------------------------------------------ tenant schemas and databases

    private static void createTenantSchemas(TestDatabase db) throws SQLException {
        if (db.kind() == TestDatabase.Kind.MARIADB) {
            for (String h : new String[] {"127.0.0.1", "localhost"}) {
                db.execute("CREATE USER IF NOT EXISTS '" + MARIADB_USER + "'@'" + h + "'",
                        "GRANT ALL PRIVILEGES ON `sluice\\_tenant\\_%`.* TO '" + MARIADB_USER + "'@'" + h + "'",
                        "GRANT ALL PRIVILEGES ON test.* TO '" + MARIADB_USER + "'@'" + h + "'");
            }
        }
        try (Connection c = db.direct(); Statement s = c.createStatement()) {
            for (int i = 0; i < SCHEMA_TENANTS; i++) {
                String t = tenant(i);
                String q = db.kind() == TestDatabase.Kind.MARIADB ? "`" + t + "`" : "\"" + t + "\"";
                s.execute((db.kind() == TestDatabase.Kind.MARIADB ? "CREATE DATABASE IF NOT EXISTS " : "CREATE SCHEMA IF NOT EXISTS ") + q);
                s.execute("CREATE TABLE IF NOT EXISTS " + q + ".marker(tenant VARCHAR(64))");
                s.execute("DELETE FROM " + q + ".marker");
                s.execute("INSERT INTO " + q + ".marker VALUES ('" + t + "')");
            }
        }
    }

    private static void dropTenantSchemas(TestDatabase db) throws SQLException {
        try (Connection c = db.direct(); Statement s = c.createStatement()) {
            for (int i = 0; i < SCHEMA_TENANTS; i++) {
                String t = tenant(i);
                s.execute(switch (db.kind()) {
                    case MARIADB -> "DROP DATABASE IF EXISTS `" + t + "`";
                    default -> "DROP SCHEMA IF EXISTS \"" + t + "\" CASCADE";
                });
            }
        }
        if (db.kind() == TestDatabase.Kind.MARIADB) {
            db.execute("DROP USER IF EXISTS '" + MARIADB_USER + "'@'127.0.0.1'", "DROP USER IF EXISTS '" + MARIADB_USER + "'@'localhost'");
        }
    }

    private static String databaseUrl(TestDatabase db, String tenant) {
        return switch (db.kind()) {
            case POSTGRESQL -> "jdbc:postgresql://127.0.0.1:5432/" + tenant;
            default -> throw new IllegalArgumentException("DATABASE mode is tested on PostgreSQL: " + db);
        };
    }

    private static void createTenantDatabases(TestDatabase db) throws SQLException {
        for (int i = 0; i < DATABASE_TENANTS; i++) {
            String t = tenant(i);
            try (Connection c = db.direct(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + t + "'")) {
                if (!r.next()) {
                    s.execute("CREATE DATABASE \"" + t + "\"");
                }
            }
            try (Connection c = java.sql.DriverManager.getConnection(databaseUrl(db, t), db.user(), db.password());
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS marker(tenant VARCHAR(64))");
                s.execute("DELETE FROM marker");
                s.execute("INSERT INTO marker VALUES ('" + t + "')");
            }
        }
    }

    private static void dropTenantDatabases(TestDatabase db) throws SQLException {
        for (int i = 0; i < DATABASE_TENANTS; i++) {
            String t = tenant(i);
            db.execute("DROP DATABASE IF EXISTS \"" + t + "\" WITH (FORCE)");
        }
    }
}
