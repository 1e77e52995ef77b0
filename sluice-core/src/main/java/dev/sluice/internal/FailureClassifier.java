package dev.sluice.internal;

import dev.sluice.FailureReason;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;

/**
 * Turns driver failures into {@link FailureReason}s, so callers can tell "retry" from "fix your
 * configuration". Knows the SQLStates and vendor codes of PostgreSQL, MariaDB/MySQL and H2, and
 * falls back on the network exception in the cause chain.
 */
final class FailureClassifier {
    private FailureClassifier() {
    }

    /** Classifies a failed connect attempt. */
    static FailureReason classifyConnect(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException s) {
                String state = s.getSQLState() == null ? "" : s.getSQLState();
                int code = s.getErrorCode();
                if (state.startsWith("28") || code == 1045 || code == 1698 /* MariaDB: access denied */
                        || code == 28000 /* H2: wrong user or password */) {
                    return FailureReason.AUTHENTICATION_FAILED;
                }
                if (state.equals("3D000") /* PostgreSQL: database does not exist */ || code == 1049 /* MariaDB unknown database */
                        || code == 90146 /* H2: database not found */ || code == 90046 /* H2: URL format error */
                        || code == 90013 /* H2: database not found (older) */) {
                    return FailureReason.INVALID_CONFIG;
                }
                if (c instanceof SQLTimeoutException) {
                    return FailureReason.CONNECT_TIMEOUT;
                }
            }
            if (c instanceof SocketTimeoutException) {
                return FailureReason.CONNECT_TIMEOUT;
            }
            if (c instanceof ConnectException || c instanceof NoRouteToHostException || c instanceof UnknownHostException) {
                return FailureReason.CONNECT_REFUSED;
            }
        }
        String msg = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        if (msg.contains("no suitable driver")) {
            return FailureReason.INVALID_CONFIG;
        }
        if (msg.contains("timed out") || msg.contains("timeout")) {
            return FailureReason.CONNECT_TIMEOUT;
        }
        if (msg.contains("password") && (msg.contains("authentication") || msg.contains("denied"))) {
            return FailureReason.AUTHENTICATION_FAILED;
        }
        return FailureReason.CONNECT_REFUSED;
    }

    /**
     * Whether an exception raised while the connection was in use means the physical connection is
     * gone: SQLState class 08 (connection exception), PostgreSQL's 57P01–57P03 (administrator or
     * crash shutdown), MariaDB's "connection killed" and idle-timeout errors, or JDBC's own
     * connection-level exception types.
     */
    static boolean isConnectionBroken(SQLException e) {
        return anyInChain(e, FailureClassifier::isBrokenConnection);
    }

    /**
     * Whether PostgreSQL reports a named prepared statement missing (26000) or already there
     * (42P05). Behind PgBouncer in transaction mode this means the client's statement cache and
     * the server connection it was lent disagree; pgjdbc keeps the cache as long as the physical
     * connection lives, so only a new one is clean.
     */
    static boolean isPreparedStatementLost(SQLException e) {
        return anyInChain(e, s -> "26000".equals(s.getSQLState()) || "42P05".equals(s.getSQLState()));
    }

    /**
     * Whether an error on a live connection means the server it talks to stopped being the primary,
     * or went away: PostgreSQL's 25006 (read-only transaction: a demoted primary, or a standby),
     * 57P01–57P03 (shutting down), MariaDB/MySQL's 1290 (running with --read-only) and 1792 (write in a
     * read-only transaction), and SQLState class 08 but 08003. Its siblings were opened to the same
     * server, so a new pool generation starts; see {@link PoolGeneration}.
     */
    static boolean isFailoverSignal(SQLException e) {
        return anyInChain(e, s -> failoverSqlState(s) != null);
    }

    /** The SQLState (or MariaDB error code) of the first failover signal in the chain, for the log; null if none. */
    static String failoverSignal(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException() == s ? null : s.getNextException()) {
            String found = failoverSqlState(s);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String failoverSqlState(SQLException s) {
        String state = s.getSQLState();
        // 08003 (connection does not exist) is the driver refusing a connection closed earlier: no news from the server.
        if (state != null && (state.startsWith("08") && !state.equals("08003") || state.equals("25006") || state.equals("57P01")
                || state.equals("57P02") || state.equals("57P03"))) {
            return state;
        }
        int code = s.getErrorCode();
        if (code == 1290 /* --read-only */ || code == 1792 /* read-only transaction */) {
            return "MariaDB " + code + (state == null ? "" : " (" + state + ")");
        }
        return null;
    }

    private static boolean anyInChain(SQLException e, java.util.function.Predicate<SQLException> test) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if (test.test(s)) {
                return true;
            }
            if (s.getNextException() == s) {
                break;
            }
        }
        return false;
    }

    private static boolean isBrokenConnection(SQLException s) {
        String state = s.getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("JZ0C0") || state.equals("JZ0C1"))) {
            return true;
        }
        int code = s.getErrorCode();
        if (code == 1927 /* MariaDB: connection killed */ || code == 4031 /* idle timeout disconnect */
                || code == 2006 /* server has gone away */ || code == 2013 /* lost connection */
                || code == 90067 /* H2: connection broken */) {
            return true;
        }
        return s instanceof java.sql.SQLRecoverableException || s instanceof java.sql.SQLNonTransientConnectionException;
    }
}
