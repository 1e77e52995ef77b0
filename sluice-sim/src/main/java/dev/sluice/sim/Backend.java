package dev.sluice.sim;

import dev.sluice.SluiceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;

/** What the pools under test connect to: the queueing-model stand-in, or a real PostgreSQL. */
public sealed interface Backend permits Backend.Sim, Backend.Postgres {

    /** The name on the command line and in the report. */
    String name();

    /** One line for the report. */
    String description();

    /** Null when the backend can be used, else why not (the runs are then skipped with this message). */
    String unavailable();

    /** A fresh database (or session set-up) for one run. */
    Instance open(String runName) throws SQLException;

    /** The backend as one run sees it. */
    interface Instance extends AutoCloseable {
        /** Points the pool at this database. */
        void configure(SluiceConfig.Builder builder);

        /** Sets the slowdown factor for statements from now on (1 = healthy). */
        void slowdown(double factor);

        /** The work one borrow does: one statement of the healthy service time × the slowdown. */
        void query(Connection c) throws SQLException;

        /** The most statements that ran at once on the server, or -1 when not known. */
        int peakRunning();

        @Override
        void close();
    }

    static Backend named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "sim":
                return new Sim();
            case "postgres":
                return new Postgres(Postgres.DEFAULT_URL, "postgres", "");
            default:
                throw new IllegalArgumentException("backend=" + name + " must be sim or postgres");
        }
    }

    /** The {@link SimDatabase} stand-in: 8 cores, 20 ms per statement, 5 ms per connect. */
    record Sim() implements Backend {
        public static final int CORES = 8;
        public static final Duration CONNECT = Duration.ofMillis(5);

        @Override
        public String name() {
            return "sim";
        }

        @Override
        public String description() {
            return String.format(Locale.ROOT, "queueing-model stand-in: %d cores, %d ms per statement × max(1, running / %d),"
                    + " %d ms per connect", CORES, LoadProfile.BASE_SERVICE.toMillis(), CORES, CONNECT.toMillis());
        }

        @Override
        public String unavailable() {
            return null;
        }

        @Override
        public Instance open(String runName) {
            SimDatabase db = SimDatabase.create(runName, CORES, LoadProfile.BASE_SERVICE, CONNECT);
            return new Instance() {
                @Override
                public void configure(SluiceConfig.Builder builder) {
                    builder.jdbcUrl(db.url());
                }

                @Override
                public void slowdown(double factor) {
                    db.slowdown(factor);
                }

                @Override
                public void query(Connection c) throws SQLException {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select 1")) {
                        rs.next();
                    }
                }

                @Override
                public int peakRunning() {
                    return db.peakRunning();
                }

                @Override
                public void close() {
                    db.close();
                }
            };
        }
    }

    /**
     * A real PostgreSQL: each borrow runs {@code select pg_sleep(0.020 × slowdown)}. The server
     * sleeps instead of computing, so unlike the stand-in it has no core limit: more connections
     * do not make statements slower here, only the slowdown factor does.
     */
    record Postgres(String url, String user, String password) implements Backend {
        public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test";

        @Override
        public String name() {
            return "postgres";
        }

        @Override
        public String description() {
            return "PostgreSQL at " + url + ": select pg_sleep(" + seconds(1) + " × slowdown) per borrow";
        }

        private static String seconds(double slowdown) {
            return String.format(Locale.ROOT, "%.4f", LoadProfile.BASE_SERVICE.toNanos() / 1e9 * slowdown);
        }

        private Properties properties() {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("password", password);
            p.setProperty("connectTimeout", "2");
            p.setProperty("loginTimeout", "2");
            return p;
        }

        @Override
        public String unavailable() {
            try (Connection c = DriverManager.getConnection(url, properties()); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select 1")) {
                rs.next();
                return null;
            } catch (SQLException e) {
                return "PostgreSQL at " + url + " is not reachable (" + e.getMessage() + ")";
            }
        }

        @Override
        public Instance open(String runName) {
            return new Instance() {
                private volatile String sql = "select pg_sleep(" + seconds(1) + ")";

                @Override
                public void configure(SluiceConfig.Builder builder) {
                    builder.jdbcUrl(url).username(user).password(password).dataSourceProperty("connectTimeout", "2");
                }

                @Override
                public void slowdown(double factor) {
                    sql = "select pg_sleep(" + seconds(factor) + ")";
                }

                @Override
                public void query(Connection c) throws SQLException {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                        rs.next();
                    }
                }

                @Override
                public int peakRunning() {
                    return -1;
                }

                @Override
                public void close() {
                    // Nothing per run: the pool under test closes its own sessions.
                }
            };
        }
    }
}
