package dev.sluice.internal;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Ends statements run under a scoped {@link dev.sluice.Deadline} the clean way: the server cancels
 * them, the connection survives, and the caller gets a {@link FailureReason#DEADLINE_EXCEEDED}.
 *
 * <p>Before, the only bound was the connection's network timeout, set to the time left. A query
 * outliving it ended in the driver tearing the socket down (pgjdbc: 08006 "An I/O error occurred
 * while sending to the backend", caused by a SocketTimeoutException), and the pool lost the
 * connection. Now each statement gets a query timeout from the time left, so the server cancels
 * it (PostgreSQL 57014, MariaDB 1969/70100, H2 57014), and the network timeout is moved
 * {@link #BACKSTOP_MILLIS} behind it: it still ends a statement stuck on a dead network, but no
 * longer races the cancel.
 *
 * <p>JDBC query timeouts are whole seconds, so the time left is rounded up: a statement may run up
 * to a second past the deadline before the server stops it. A shorter timeout the user set wins.
 *
 * <p>Off the hot path: statement handles call this only when their connection was borrowed inside a
 * Deadline (one boolean read per execute otherwise).
 */
final class QueryDeadline {
    /**
     * How long after the (rounded-up) query timeout the network timeout fires. It must leave the
     * driver time to send the cancel and read the server's answer (pgjdbc opens a connection to
     * send it) even on a loaded machine, or the backstop breaks the connection the cancel would
     * have saved.
     */
    static final long BACKSTOP_MILLIS = 1000;

    private QueryDeadline() {
    }

    /** One statement execution. */
    interface Execution<T> {
        T run() throws SQLException;
    }

    /** The query timeout for {@code leftNanos}: whole seconds, rounded up, at least 1. */
    static int querySeconds(long leftNanos) {
        long s = (Math.max(1, leftNanos) + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
        return (int) Math.min(Integer.MAX_VALUE, s);
    }

    /** The network timeout for a borrow with {@code leftNanos} to go: the query timeout plus the backstop. */
    static int networkTimeoutMillis(long leftNanos) {
        return (int) Math.min(Integer.MAX_VALUE, querySeconds(leftNanos) * 1000L + BACKSTOP_MILLIS);
    }

    static <T> T execute(ConnectionHandle owner, PooledConnection e, Statement raw, Execution<T> work) throws SQLException {
        long deadline = e.deadlineNanos;
        long start = System.nanoTime();
        long left = deadline - start;
        if (left <= 0) {
            throw SluiceFailure.of(FailureReason.DEADLINE_EXCEEDED, e.pool.name(), e.pool.name()
                    + ": the statement was not started: its Deadline passed " + TimeUnit.NANOSECONDS.toMillis(-left)
                    + " ms ago (DEADLINE_EXCEEDED)", null);
        }
        int seconds = querySeconds(left);
        int userTimeout;
        boolean shortened;
        try {
            userTimeout = raw.getQueryTimeout();
            shortened = userTimeout == 0 || userTimeout > seconds;
            if (shortened) {
                raw.setQueryTimeout(seconds);
            }
        } catch (SQLException ex) {
            throw owner.fault(ex);
        }
        try {
            return work.run();
        } catch (SQLException ex) {
            long now = System.nanoTime();
            owner.fault(ex); // a connection the failure broke is discarded on return; one that survived goes back
            if (now - deadline >= 0 && stoppedByTimeout(ex)) {
                throw SluiceFailure.of(FailureReason.DEADLINE_EXCEEDED, e.pool.name(), e.pool.name()
                        + ": the statement was stopped at its Deadline: budget " + TimeUnit.NANOSECONDS.toMillis(left)
                        + " ms left when it started, elapsed " + TimeUnit.NANOSECONDS.toMillis(now - start) + " ms"
                        + " (DEADLINE_EXCEEDED; " + (e.broken ? "the connection was lost and will be discarded"
                                : "the server cancelled it and the connection stays usable") + "): " + ex.getMessage(), ex);
            }
            throw ex;
        } finally {
            if (shortened) {
                try {
                    raw.setQueryTimeout(userTimeout); // the user's statement, the user's setting
                } catch (SQLException | RuntimeException closedOrBroken) {
                    // the statement or connection is gone; nothing left to restore
                }
            }
        }
    }

    /**
     * Whether a statement failure is a timeout or cancel: the query timeout (JDBC's
     * SQLTimeoutException; PostgreSQL and H2 57014; MariaDB 70100 with 1969 or 1317; MySQL 3024;
     * ODBC-style HYT00/HYT01) or the network-timeout backstop (a broken connection, a socket timeout).
     */
    static boolean stoppedByTimeout(SQLException ex) {
        if (ex instanceof SQLTimeoutException || FailureClassifier.isConnectionBroken(ex)) {
            return true;
        }
        String state = ex.getSQLState();
        int code = ex.getErrorCode();
        if ("57014".equals(state) || "70100".equals(state) || "HYT00".equals(state) || "HYT01".equals(state)
                || code == 1969 || code == 1317 || code == 3024) {
            return true;
        }
        for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
