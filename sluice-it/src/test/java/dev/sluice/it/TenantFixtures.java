package dev.sluice.it;

import dev.sluice.SluiceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The tenants the tenant-routing tests and the tenant load report run against: {@code count}
 * schemas (PostgreSQL, H2) or databases (MariaDB, where a database is a catalog) or PostgreSQL
 * databases, each with a table {@code marker} holding its own tenant id. Created idempotently,
 * named {@code sluice_tenant_<i>}, dropped afterwards.
 */
final class TenantFixtures {
    /** On MariaDB the sessions are told apart by a user of their own (it has no application_name). */
    static final String MARIADB_USER = "sluice_tenant_it";

    private TenantFixtures() {
    }

    static String tenant(int i) {
        return "sluice_tenant_" + i;
    }

    /** The tenant pool's template: the pool name is the PostgreSQL application name the server counts sessions by. */
    static SluiceConfig.Builder template(TestDatabase db, String name) {
        SluiceConfig.Builder b = db.config(name).minimumIdle(0).connectionTimeout(Duration.ofSeconds(20));
        if (db.kind() == TestDatabase.Kind.MARIADB) {
            b.username(MARIADB_USER).password("");
        }
        return b;
    }

    /**
     * Counts the data source's sessions on the server, with {@code name} (PostgreSQL: the
     * application name) bound by {@link #bindSessionQuery}. H2 (whose in-process server serves this
     * suite one test at a time): every session but the fixture's keeper and the sampler itself.
     */
    static String sessionQuery(TestDatabase db) {
        return switch (db.kind()) {
            case POSTGRESQL -> "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?";
            case MARIADB -> "SELECT count(*) FROM information_schema.processlist WHERE user = ?";
            case H2 -> "SELECT count(*) - 2 FROM information_schema.sessions";
        };
    }

    static void bindSessionQuery(TestDatabase db, java.sql.PreparedStatement count, String name) throws SQLException {
        if (db.kind() != TestDatabase.Kind.H2) {
            count.setString(1, db.kind() == TestDatabase.Kind.POSTGRESQL ? name : MARIADB_USER);
        }
    }

    // ------------------------------------------------------------------ schemas (MariaDB: databases)

    static void createSchemas(TestDatabase db, int count) throws SQLException {
        if (db.kind() == TestDatabase.Kind.MARIADB) {
            for (String h : new String[] {"127.0.0.1", "localhost"}) {
                db.execute("CREATE USER IF NOT EXISTS '" + MARIADB_USER + "'@'" + h + "'",
                        "GRANT ALL PRIVILEGES ON `sluice\\_tenant\\_%`.* TO '" + MARIADB_USER + "'@'" + h + "'",
                        "GRANT ALL PRIVILEGES ON test.* TO '" + MARIADB_USER + "'@'" + h + "'");
            }
        }
        try (Connection c = db.direct(); Statement s = c.createStatement()) {
            for (int i = 0; i < count; i++) {
                String t = tenant(i);
                String q = db.kind() == TestDatabase.Kind.MARIADB ? "`" + t + "`" : "\"" + t + "\"";
                s.execute((db.kind() == TestDatabase.Kind.MARIADB ? "CREATE DATABASE IF NOT EXISTS " : "CREATE SCHEMA IF NOT EXISTS ") + q);
                s.execute("CREATE TABLE IF NOT EXISTS " + q + ".marker(tenant VARCHAR(64))");
                s.execute("DELETE FROM " + q + ".marker");
                s.execute("INSERT INTO " + q + ".marker VALUES ('" + t + "')");
            }
        }
    }

    static void dropSchemas(TestDatabase db, int count) throws SQLException {
        try (Connection c = db.direct(); Statement s = c.createStatement()) {
            for (int i = 0; i < count; i++) {
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

    // ------------------------------------------------------------------ PostgreSQL databases

    static String databaseUrl(TestDatabase db, String tenant) {
        return switch (db.kind()) {
            case POSTGRESQL -> "jdbc:postgresql://127.0.0.1:5432/" + tenant;
            default -> throw new IllegalArgumentException("DATABASE mode is tested on PostgreSQL: " + db);
        };
    }

    static void createDatabases(TestDatabase db, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            String t = tenant(i);
            try (Connection c = db.direct(); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + t + "'")) {
                if (!r.next()) {
                    s.execute("CREATE DATABASE \"" + t + "\"");
                }
            }
            try (Connection c = DriverManager.getConnection(databaseUrl(db, t), db.user(), db.password());
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS marker(tenant VARCHAR(64))");
                s.execute("DELETE FROM marker");
                s.execute("INSERT INTO marker VALUES ('" + t + "')");
            }
        }
    }

    static void dropDatabases(TestDatabase db, int count) throws SQLException {
        for (int i = 0; i < count; i++) {
            db.execute("DROP DATABASE IF EXISTS \"" + tenant(i) + "\" WITH (FORCE)");
        }
    }
}
