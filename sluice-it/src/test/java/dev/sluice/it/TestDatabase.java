package dev.sluice.it;

import static org.assertj.core.api.Assertions.fail;

import dev.sluice.SluiceConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Stream;
import org.h2.tools.Server;
import org.junit.jupiter.api.Assumptions;

/**
 * One database of the integration matrix and everything a test needs to know about it: how to
 * reach it, how to identify and kill a backend, and where it differs from the others.
 *
 * <p>The matrix: H2 in TCP server mode, started in-process on the loopback address (always runs);
 * PostgreSQL at 127.0.0.1:5432 (user {@code postgres}, trust) and MariaDB at 127.0.0.1:3306 (user
 * {@code root}, empty password), database {@code test} on both. Reachability of the external two is
 * probed once per JVM with short timeouts. When one is unreachable, its tests are skipped with a
 * message, unless the environment says {@code CI=true}: then they fail, because CI must run every
 * database suite (see {@link #requireAvailable()}).
 *
 * <p>Tests take a {@code TestDatabase} parameter and are annotated {@link DatabaseTest}; the
 * availability rule is applied by {@link RequireDatabase} before the test body runs.
 */
public final class TestDatabase {

    /** The vendor, for the few places where SQL or driver behaviour differs. */
    public enum Kind { H2, POSTGRESQL, MARIADB }

    static {
        // The in-process H2 server reads these once, when its settings class initializes: set them
        // before anything touches H2. Loopback only. And no anti-brute-force delay after a wrong
        // password (250 ms, doubling up to 4 s, paid even by the next correct login): the
        // wrong-password tests would otherwise slow down whichever H2 test happens to run next.
        System.setProperty("h2.bindAddress", "127.0.0.1");
        System.setProperty("h2.delayWrongPasswordMin", "0");
        System.setProperty("h2.delayWrongPasswordMax", "0");
    }

    /** {@code CI=true} turns "database unreachable: skip" into "database unreachable: fail". */
    static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    /** A role protected by a password, for the wrong-password tests (created idempotently; see setup-databases.sh). */
    static final String PROTECTED_USER = "sluice_it";
    static final String PROTECTED_PASSWORD = "it-secret";

    static final TestDatabase H2 = new TestDatabase(Kind.H2, "H2-TCP", "127.0.0.1", -1, null, "sluice", PROTECTED_PASSWORD);
    static final TestDatabase POSTGRESQL = new TestDatabase(Kind.POSTGRESQL, "PostgreSQL", "127.0.0.1", 5432,
            "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
    static final TestDatabase MARIADB = new TestDatabase(Kind.MARIADB, "MariaDB", "127.0.0.1", 3306,
            "jdbc:mariadb://127.0.0.1:3306/test", "root", "");

    private final Kind kind;
    private final String name;
    private final String host;
    private final int port;
    private final String url;
    private final String user;
    private final String password;
    private String problem;
    private boolean probed;

    private TestDatabase(Kind kind, String name, String host, int port, String url, String user, String password) {
        this.kind = kind;
        this.name = name;
        this.host = host;
        this.port = port;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** The whole matrix: the default source of {@link DatabaseTest}. */
    public static Stream<TestDatabase> all() {
        return Stream.of(H2, POSTGRESQL, MARIADB);
    }

    /** PostgreSQL and MariaDB: the servers whose users' passwords can be changed while a test runs. */
    public static Stream<TestDatabase> postgresAndMariaDb() {
        return Stream.of(POSTGRESQL, MARIADB);
    }

    /** H2 and PostgreSQL, for the longer tests that need not run on every database. */
    public static Stream<TestDatabase> h2AndPostgres() {
        return Stream.of(H2, POSTGRESQL);
    }

    public Kind kind() {
        return kind;
    }

    public String url() {
        return kind == Kind.H2 ? H2Server.URL : url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** Where the server listens, for messages. */
    public String address() {
        return kind == Kind.H2 ? "127.0.0.1:" + H2Server.PORT : host + ":" + port;
    }

    @Override
    public String toString() {
        return name;
    }

    // ------------------------------------------------------------------ availability

    /**
     * Applies the availability rule: returns if the database answers; otherwise fails the test
     * when {@code CI=true}, and aborts it (skipped, with the reason) elsewhere.
     */
    void requireAvailable() {
        String p = problem();
        if (p == null) {
            return;
        }
        if (CI) {
            fail(name + " not reachable at " + address() + " (" + p + ") and CI=true: the " + name
                    + " suite must run in CI, not skip; start the database (see .ci/run)");
        }
        String message = name + " not reachable at " + address() + " (" + p + "); skipped (set CI=true to make this a failure)";
        announce(message);
        Assumptions.abort(message);
    }

    /**
     * The availability rule for a service other than the matrix databases (a PgBouncer, a standby):
     * returns if {@code problem} is null; otherwise fails under {@code CI=true} and skips, with the
     * reason, elsewhere. {@code setupScript} is what starts it, run as root (as .ci/run does).
     */
    static void requireService(String what, String problem, String setupScript) {
        if (problem == null) {
            return;
        }
        if (CI) {
            fail(what + " not available (" + problem + ") and CI=true: its suite must run in CI, not skip; start it with "
                    + setupScript + " (see .ci/run)");
        }
        String message = what + " not available (" + problem + "); skipped (run " + setupScript
                + " as root, or set CI=true to make this a failure)";
        System.err.println("[sluice-it] " + message);
        Assumptions.abort(message);
    }

    private boolean announced;

    /** Says once on the console (not only in the reports) that a database's tests are skipped. */
    private synchronized void announce(String message) {
        if (!announced) {
            announced = true;
            System.err.println("[sluice-it] " + message);
        }
    }

    /** Null if the database answers; otherwise why not. Probed once per JVM. */
    synchronized String problem() {
        if (!probed) {
            problem = probe();
            probed = true;
        }
        return problem;
    }

    private String probe() {
        if (kind == Kind.H2) {
            return null; // in-process: if it cannot start, the tests error out, which is right
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        try (Connection c = direct(); Statement s = c.createStatement()) {
            s.execute("select 1");
            return null;
        } catch (SQLException e) {
            return "login failed: " + e.getMessage();
        }
    }

    // ------------------------------------------------------------------ pools and direct connections

    /**
     * A pool configuration for this database with small, test-friendly sizes (max 2, min idle 1,
     * connectionTimeout 5 s, validationTimeout 1 s). On PostgreSQL the pool name becomes the
     * {@code ApplicationName}, so the server can tell the pool's sessions apart.
     */
    public SluiceConfig.Builder config(String poolName) {
        SluiceConfig.Builder b = SluiceConfig.builder()
                .poolName(poolName)
                .jdbcUrl(url())
                .username(user)
                .password(password)
                .maximumPoolSize(2)
                .minimumIdle(1)
                .connectionTimeout(Duration.ofSeconds(5))
                .validationTimeout(Duration.ofSeconds(1));
        if (kind == Kind.POSTGRESQL) {
            b.dataSourceProperty("ApplicationName", poolName);
        }
        return b;
    }

    /** A connection straight from the driver (not pooled), with short connect timeouts. */
    public Connection direct() throws SQLException {
        return connect(user, password);
    }

    /** A direct connection as another user, with short connect timeouts. */
    public Connection connect(String asUser, String asPassword) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", asUser);
        p.setProperty("password", asPassword);
        switch (kind) {
            case POSTGRESQL -> {
                p.setProperty("connectTimeout", "2");
                p.setProperty("loginTimeout", "3");
                p.setProperty("socketTimeout", "30");
            }
            case MARIADB -> {
                p.setProperty("connectTimeout", "2000");
                p.setProperty("socketTimeout", "30000");
            }
            case H2 -> { }
        }
        return DriverManager.getConnection(url(), p);
    }

    /** Runs statements on a direct connection (DDL, setup). */
    public void execute(String... sql) throws SQLException {
        try (Connection c = direct(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    // ------------------------------------------------------------------ backends

    /** The server's id of the session behind {@code c}. */
    public long backendId(Connection c) throws SQLException {
        String q = switch (kind) {
            case POSTGRESQL -> "select pg_backend_pid()";
            case MARIADB -> "select connection_id()";
            case H2 -> "select session_id()";
        };
        return queryLong(c, q);
    }

    /** The driver's own connection object behind a pooled one: the identity of the physical connection. */
    public Object physical(Connection pooled) throws SQLException {
        Class<?> type = switch (kind) {
            case POSTGRESQL -> org.postgresql.PGConnection.class;
            case MARIADB -> org.mariadb.jdbc.Connection.class;
            case H2 -> org.h2.jdbc.JdbcConnection.class;
        };
        return pooled.unwrap(type);
    }

    /** Kills a backend from a separate, direct connection, and waits until the server has let it go. */
    public void kill(long backendId) throws SQLException, InterruptedException {
        String q = switch (kind) {
            case POSTGRESQL -> "select pg_terminate_backend(" + backendId + ")";
            case MARIADB -> "KILL " + backendId;
            case H2 -> "CALL ABORT_SESSION(" + backendId + ")";
        };
        try (Connection c = direct(); Statement s = c.createStatement()) {
            s.execute(q);
        }
        Await.until(Duration.ofSeconds(5), () -> !isAlive(backendId), name + " backend " + backendId + " to end after being killed");
    }

    /** Whether the server still has a session with this id. */
    public boolean isAlive(long backendId) throws SQLException {
        String q = switch (kind) {
            case POSTGRESQL -> "select count(*) from pg_stat_activity where pid = ?";
            case MARIADB -> "select count(*) from information_schema.processlist where id = ?";
            case H2 -> "select count(*) from information_schema.sessions where session_id = ?";
        };
        try (Connection c = direct(); PreparedStatement s = c.prepareStatement(q)) {
            s.setLong(1, backendId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    /**
     * Sessions the server has open for the pool named {@code poolName}. PostgreSQL tells by
     * {@code application_name}; on H2 (whose in-process server serves only this suite, one test at
     * a time) it is every session but the asking one and the fixture's keeper. Not supported on
     * MariaDB, which has no per-connection tag visible without performance_schema.
     */
    public int sessions(String poolName) throws SQLException {
        try (Connection c = direct()) {
            return switch (kind) {
                case POSTGRESQL -> {
                    try (PreparedStatement s = c.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
                        s.setString(1, poolName);
                        try (ResultSet r = s.executeQuery()) {
                            r.next();
                            yield r.getInt(1);
                        }
                    }
                }
                case H2 -> (int) queryLong(c, "select count(*) from information_schema.sessions") - 1 - H2Server.KEEPERS;
                case MARIADB -> throw new UnsupportedOperationException("per-pool session count on MariaDB");
            };
        }
    }

    // ------------------------------------------------------------------ dialect

    /** A schema other than the default that {@code setSchema} can switch to, or null where the driver has none. */
    public String alternateSchema() throws SQLException {
        switch (kind) {
            case H2 -> {
                execute("create schema if not exists IT_OTHER");
                return "IT_OTHER";
            }
            case POSTGRESQL -> {
                execute("create schema if not exists it_other");
                return "it_other";
            }
            default -> {
                return null; // MariaDB Connector/J: schemas are catalogs; setSchema is a no-op
            }
        }
    }

    /** A catalog other than the default that {@code setCatalog} can switch to, or null where it means nothing. */
    public String alternateCatalog() throws SQLException {
        if (kind == Kind.MARIADB) {
            execute("create database if not exists sluice_it_other");
            return "sluice_it_other";
        }
        return null; // PostgreSQL ignores setCatalog; H2 has one catalog per database
    }

    /** The session's current schema (database, on MariaDB) as the server sees it. */
    public String serverSchema(Connection c) throws SQLException {
        String q = switch (kind) {
            case POSTGRESQL -> "select current_schema()";
            case MARIADB -> "select database()";
            case H2 -> "select current_schema";
        };
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(q)) {
            r.next();
            return r.getString(1);
        }
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    // ------------------------------------------------------------------ password-protected user

    /**
     * Makes sure a user protected by {@link #PROTECTED_PASSWORD} exists (idempotent), and returns
     * null if the server really checks that password, or why it does not. MariaDB and H2 always
     * check. PostgreSQL here authenticates loopback connections with {@code trust}, which accepts
     * any password: the role is only checked when {@code sluice-it/setup-databases.sh} has put a
     * {@code scram-sha-256} line for it in {@code pg_hba.conf}.
     */
    String ensurePasswordChecked() throws SQLException {
        switch (kind) {
            case H2 -> {
                return null; // the fixture's own user: H2 checks it
            }
            case MARIADB -> {
                for (String h : new String[] {"127.0.0.1", "localhost", "%"}) {
                    String u = "'" + PROTECTED_USER + "'@'" + h + "'";
                    execute("CREATE USER IF NOT EXISTS " + u + " IDENTIFIED BY '" + PROTECTED_PASSWORD + "'",
                            "GRANT ALL PRIVILEGES ON test.* TO " + u);
                }
                return null;
            }
            case POSTGRESQL -> {
                execute("DO $$ BEGIN CREATE ROLE " + PROTECTED_USER + " LOGIN PASSWORD '" + PROTECTED_PASSWORD + "';"
                        + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
                try (Connection c = connect(PROTECTED_USER, "certainly-not-" + PROTECTED_PASSWORD)) {
                    return "pg_hba.conf lets role " + PROTECTED_USER + " in without checking its password (trust);"
                            + " run sluice-it/setup-databases.sh to add a scram-sha-256 rule for it";
                } catch (SQLException expected) {
                    return null;
                }
            }
            default -> throw new AssertionError(kind);
        }
    }

    /** Sets the password of {@link #protectedUser()} on PostgreSQL or MariaDB (existing sessions keep theirs). */
    void setProtectedPassword(String newPassword) throws SQLException {
        switch (kind) {
            case POSTGRESQL -> execute("ALTER ROLE " + PROTECTED_USER + " PASSWORD '" + newPassword + "'");
            case MARIADB -> {
                for (String h : new String[] {"127.0.0.1", "localhost", "%"}) {
                    execute("ALTER USER '" + PROTECTED_USER + "'@'" + h + "' IDENTIFIED BY '" + newPassword + "'");
                }
            }
            default -> throw new UnsupportedOperationException(kind + ": the fixture's user is shared by every test");
        }
    }

    /** The user a wrong-password test logs in as. */
    String protectedUser() {
        return kind == Kind.H2 ? user : PROTECTED_USER;
    }

    // ------------------------------------------------------------------ the in-process H2 server

    /**
     * H2 in TCP server mode, started on first use, bound to the loopback address only, on an
     * ephemeral port; one in-memory database {@code it} that lives as long as the JVM. A keeper
     * connection is held open so that the database (and its admin user) exists before any test
     * connects: with {@code -ifNotExists}, a first connect with a wrong password would otherwise
     * create the database with that password.
     */
    private static final class H2Server {
        static final int KEEPERS = 1;
        static final Server SERVER;
        static final int PORT;
        static final String URL;
        @SuppressWarnings("unused") // held open for the life of the JVM
        static final Connection KEEPER;

        static {
            try {
                SERVER = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-tcpDaemon").start();
                PORT = SERVER.getPort();
                URL = "jdbc:h2:tcp://127.0.0.1:" + PORT + "/mem:it;DB_CLOSE_DELAY=-1";
                KEEPER = DriverManager.getConnection(URL, "sluice", PROTECTED_PASSWORD);
            } catch (SQLException e) {
                throw new ExceptionInInitializerError(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SERVER::stop, "h2-it-server-stop"));
        }

        private H2Server() {
        }
    }
}
