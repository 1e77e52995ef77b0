package dev.sluice.doctor;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The two shared servers the doctor is checked against, PostgreSQL at 127.0.0.1:5432 (user
 * postgres, trust) and MariaDB at 127.0.0.1:3306 (root, no password), and the fixtures made on
 * them. Other suites use the same servers at the same time, so fixtures are per role (PostgreSQL:
 * {@code ALTER ROLE ... SET}) or per user (MariaDB: {@code MAX_USER_CONNECTIONS}) or per session
 * (the URL's {@code sessionVariables}), never server-wide; every role and user is named
 * {@code sluice_doc_*} and dropped by the test that made it.
 *
 * <p>An unreachable server skips its tests with the reason, or fails them with {@code CI=true}.
 */
final class Servers {
    static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

    private Servers() {
    }

    static void requirePostgres() {
        require("PostgreSQL", "127.0.0.1", 5432);
    }

    static void requireMariaDb() {
        require("MariaDB", "127.0.0.1", 3306);
    }

    private static void require(String name, String host, int port) {
        String problem = null;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
        } catch (IOException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        if (problem == null) {
            return;
        }
        if (CI) {
            fail(name + " not reachable at " + host + ":" + port + " (" + problem + ") and CI=true: the doctor's " + name
                    + " tests must run in CI, not skip");
        }
        String message = name + " not reachable at " + host + ":" + port + " (" + problem + "); skipped (set CI=true to make this a failure)";
        System.err.println("[sluice-doctor] " + message);
        Assumptions.abort(message);
    }

    /** Runs statements as postgres on database test. */
    static void postgres(String... sql) throws SQLException {
        run(DriverManager.getConnection(POSTGRES_URL + "?connectTimeout=2", "postgres", ""), sql);
    }

    /** Runs statements as root on database test. */
    static void mariaDb(String... sql) throws SQLException {
        run(DriverManager.getConnection(MARIADB_URL + "?connectTimeout=2000", "root", ""), sql);
    }

    private static void run(Connection c, String... sql) throws SQLException {
        try (c; Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** A PostgreSQL login role (trust lets it in without a password), with per-role settings; replaced if it exists. */
    static void createRole(String role, String... settings) throws SQLException {
        dropRole(role);
        String[] sql = new String[settings.length + 1];
        sql[0] = "CREATE ROLE " + role + " LOGIN";
        for (int i = 0; i < settings.length; i++) {
            sql[i + 1] = "ALTER ROLE " + role + " " + settings[i];
        }
        postgres(sql);
    }

    static void dropRole(String role) throws SQLException {
        postgres("DROP ROLE IF EXISTS " + role);
    }

    /** A MariaDB user who may read database test, from any host; replaced if it exists. */
    static void createUser(String user, String password, String with) throws SQLException {
        dropUser(user);
        mariaDb("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'" + (with == null ? "" : " WITH " + with),
                "GRANT SELECT ON test.* TO '" + user + "'@'%'");
    }

    static void dropUser(String user) throws SQLException {
        mariaDb("DROP USER IF EXISTS '" + user + "'@'%'");
    }
}
