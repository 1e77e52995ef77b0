package dev.sluice.internal;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Refuses a new connection that did not land on a primary, when the pool needs one: the
 * {@code requirePrimary} knob, or a pgjdbc URL with {@code targetServerType=primary} (or
 * {@code master}). pgjdbc checks the server it picks itself; this check covers the cases it does
 * not: a host status it cached for {@code hostRecheckSeconds}, a primary demoted to read-only
 * ({@code default_transaction_read_only}) that is not in recovery, MariaDB and MySQL, and
 * connections from a configured DataSource.
 *
 * <p>A refused connection is closed and counted as a failed connect (CONNECT_REFUSED, transient),
 * so the pool backs off and the breaker sees it: during a failover, while no primary is up yet, the
 * pool retries at the breaker's pace instead of storming the standby.
 */
final class PrimaryCheck {
    private static final String POSTGRES = "select pg_is_in_recovery(), current_setting('transaction_read_only')";
    private static final String MARIADB = "select 0, @@global.read_only";

    private final String poolName;

    private PrimaryCheck(String poolName) {
        this.poolName = poolName;
    }

    /** The check this configuration asks for, or null when any server will do. */
    static PrimaryCheck of(SluiceConfig config) {
        return config.requirePrimary() || urlAsksForPrimary(config.jdbcUrl()) ? new PrimaryCheck(config.poolName()) : null;
    }

    /** Whether a pgjdbc URL names a primary as its target server type. */
    static boolean urlAsksForPrimary(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            return false;
        }
        String lower = jdbcUrl.toLowerCase(Locale.ROOT);
        int q = lower.indexOf('?');
        if (q < 0) {
            return false;
        }
        for (String param : lower.substring(q + 1).split("&")) {
            if (param.equals("targetservertype=primary") || param.equals("targetservertype=master")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Throws a CONNECT_REFUSED failure if {@code c} is on a standby or a read-only server. A database
     * that is neither PostgreSQL nor MariaDB/MySQL has no such notion here and passes.
     */
    void verify(Connection c, String target) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        boolean postgres = product.contains("postgres");
        if (!postgres && !product.contains("mariadb") && !product.contains("mysql")) {
            return;
        }
        String query = postgres ? POSTGRES : MARIADB;
        boolean inRecovery;
        boolean readOnly;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            inRecovery = rs.getBoolean(1);
            readOnly = isOn(rs.getString(2));
        }
        if (!c.getAutoCommit()) {
            c.rollback();
        }
        if (inRecovery || readOnly) {
            throw SluiceFailure.of(FailureReason.CONNECT_REFUSED, poolName, poolName + ": " + target
                    + " answered from a " + (inRecovery ? "standby (pg_is_in_recovery() is true)" : "read-only server ("
                    + (postgres ? "transaction_read_only" : "@@global.read_only") + " is on)")
                    + "; a primary is required (requirePrimary or targetServerType=primary), so the connection was closed", null);
        }
    }

    private static boolean isOn(String v) {
        return v != null && (v.equalsIgnoreCase("on") || v.equals("1") || v.equalsIgnoreCase("true"));
    }
}
