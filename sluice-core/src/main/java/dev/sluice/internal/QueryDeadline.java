package dev.sluice.internal;

import dev.sluice.FailureReason;
import dev.sluice.SluiceFailure;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Ends statements run under a scoped {@link dev.sluice.Deadline} the clean way: the database stops
 * them, the connection survives, and the caller gets a {@link FailureReason#DEADLINE_EXCEEDED}.
 *
 * <p>Why not the network timeout alone: a query outliving it ends in the driver tearing the socket
 * down (pgjdbc: 08006 "An I/O error occurred while sending to the backend", caused by a
 * SocketTimeoutException), and the pool loses the connection.
 *
 * <p>How the database is told. For PostgreSQL and MariaDB, the pool sets the server's own
 * statement time limit ({@code SET statement_timeout}, {@code SET max_statement_time}, in
 * milliseconds) before a statement when the limit in force is stale, and resets it on return.
 * The limit ends {@link #ANSWER_MARGIN_NANOS} before the deadline, so the server's error (57014;
 * 1969/70100), sent on the open socket, arrives before the network timeout, which stays at the
 * deadline itself: a statement stuck on a dead network still ends at the deadline (sluice-it S4),
 * and one the server stopped leaves a usable connection. Not JDBC's {@code setQueryTimeout}: it is
 * whole seconds, and pgjdbc implements it with a cancel request on a second connection and makes
 * the executing thread wait for that request to finish: on a dead network up to
 * {@code cancelSignalTimeout} (10 s), past every deadline (S4 measured 3.1 s under a 1 s
 * deadline). Other drivers (H2, unknown ones) get {@code setQueryTimeout} with the time left
 * rounded up to whole seconds; where they also honour the network timeout, that fires first and
 * costs the connection, as before. A shorter query timeout the user set wins everywhere.
 *
 * <p>Off the hot path: statement handles call this only when their connection was borrowed inside a
 * Deadline (one boolean read per execute otherwise).
 */
final class QueryDeadline {
    /**
     * How long before the deadline the server is told to stop a statement (at most; a quarter of
     * the time left when that is less): the time its error needs to reach the client on a loaded
     * machine, before the network timeout at the deadline would end the wait and the connection.
     */
    static final long ANSWER_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * A limit set this recently is reused: limits run from each statement's start, so one set
     * earlier ends later, and within this window still well before the deadline.
     */
    private static final long REUSE_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

    static final byte LIMIT_NONE = 0;
    static final byte LIMIT_POSTGRESQL = 1;
    static final byte LIMIT_MARIADB = 2;

    private QueryDeadline() {
    }

    /**
     * A borrow inside a scoped Deadline: its statements are stopped by the server just before the
     * deadline, and its network timeout is set to the time left, so a statement stuck on a dead
     * network ends at the deadline.
     */
    static void apply(PooledConnection e, long deadlineNanos, long now) {
        e.deadlined = true;
        BorrowDeadline d = e.deadline;
        if (d == null) {
            e.deadline = d = new BorrowDeadline();
        }
        d.deadlineNanos = deadlineNanos;
        if (e.defaults.networkTimeout() < 0) {
            return;
        }
        try {
            e.raw.setNetworkTimeout(DirectExecutor.INSTANCE, networkTimeoutMillis(deadlineNanos - now));
            e.changed(PooledConnection.NETWORK_TIMEOUT);
        } catch (SQLException | RuntimeException unsupported) {
            e.defaults = e.defaults.withoutNetworkTimeout(); // the driver cannot; do not try again on this connection
        }
    }

    /** One statement execution. */
    interface Execution<T> {
        T run() throws SQLException;
    }

    /** Which server-side statement limit a URL's database has. */
    static byte statementLimitOf(String jdbcUrl) {
        if (jdbcUrl == null) {
            return LIMIT_NONE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return LIMIT_POSTGRESQL;
        }
        return jdbcUrl.startsWith("jdbc:mariadb:") ? LIMIT_MARIADB : LIMIT_NONE;
    }

    /** The query timeout for {@code leftNanos}: whole seconds, rounded up, at least 1. */
    static int querySeconds(long leftNanos) {
        long s = (Math.max(1, leftNanos) + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
        return (int) Math.min(Integer.MAX_VALUE, s);
    }

    /** The network timeout for a borrow with {@code leftNanos} to go: the time left. */
    static int networkTimeoutMillis(long leftNanos) {
        return (int) Math.min(Integer.MAX_VALUE, millisUp(leftNanos));
    }

    private static long millisUp(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    static <T> T execute(ConnectionHandle owner, PooledConnection e, Statement raw, Execution<T> work) throws SQLException {
        long deadline = e.deadline.deadlineNanos;
        long start = e.pool.ticker.read();
        long left = deadline - start;
        if (left <= 0) {
            throw SluiceFailure.of(FailureReason.DEADLINE_EXCEEDED, e.pool.name(), e.pool.name()
                    + ": the statement was not started: its Deadline passed " + TimeUnit.NANOSECONDS.toMillis(-left)
                    + " ms ago (DEADLINE_EXCEEDED)", null);
        }
        int userTimeout;
        boolean shortened = false;
        try {
            userTimeout = raw.getQueryTimeout();
            boolean userShorter = userTimeout > 0 && TimeUnit.SECONDS.toNanos(userTimeout) <= left;
            if (!userShorter) {
                if (e.defaults.statementLimit() != LIMIT_NONE) {
                    limitOnServer(e, start, deadline);
                } else {
                    raw.setQueryTimeout(querySeconds(left));
                    shortened = true;
                }
            }
        } catch (SQLException ex) {
            throw failed(owner, e, ex, start, left, deadline);
        }
        try {
            return work.run();
        } catch (SQLException ex) {
            throw failed(owner, e, ex, start, left, deadline);
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
     * Sets the server's statement limit to the time left less the answer margin, unless the limit in force (set for this
     * borrow's deadline a moment ago) still ends close enough to it. A limit is relative to each
     * statement's start, so one set earlier lets later statements run past the deadline.
     */
    private static void limitOnServer(PooledConnection e, long now, long deadline) throws SQLException {
        if ((e.changed & PooledConnection.STATEMENT_LIMIT) != 0 && now - e.deadline.statementLimitSetAtNanos < REUSE_LIMIT_NANOS) {
            return;
        }
        long left = deadline - now;
        long ms = millisUp(left - Math.min(ANSWER_MARGIN_NANOS, left / 4));
        String sql = e.defaults.statementLimit() == LIMIT_POSTGRESQL ? "SET statement_timeout = " + ms
                : "SET max_statement_time = " + (ms / 1000) + "." + String.format(java.util.Locale.ROOT, "%03d", ms % 1000);
        try (Statement s = e.raw.createStatement()) {
            s.execute(sql);
        } catch (SQLException ex) {
            if (IN_FAILED_TRANSACTION.equals(ex.getSQLState())) {
                // A PostgreSQL transaction that already failed refuses every statement but ROLLBACK (TO
                // SAVEPOINT): the user's statement must still run, so it goes without a server-side limit,
                // bounded by the network timeout at the deadline.
                return;
            }
            throw ex;
        }
        e.deadline.statementLimitSetAtNanos = now;
        e.changed(PooledConnection.STATEMENT_LIMIT);
    }

    /** PostgreSQL: "current transaction is aborted, commands ignored until end of transaction block". */
    private static final String IN_FAILED_TRANSACTION = "25P02";

    /** Return path: the server's statement limit back to the session default. */
    static void resetStatementLimit(PooledConnection e) throws SQLException {
        String sql = e.defaults.statementLimit() == LIMIT_POSTGRESQL ? "SET statement_timeout TO DEFAULT" : "SET max_statement_time = DEFAULT";
        try (Statement s = e.raw.createStatement()) {
            s.execute(sql);
        }
        if (!e.autoCommit) {
            e.raw.commit(); // the SET opened a transaction; an idle connection must not sit in one
        }
    }

    private static SQLException failed(ConnectionHandle owner, PooledConnection e, SQLException ex, long start, long left,
            long deadline) {
        long now = e.pool.ticker.read();
        owner.fault(ex); // a connection the failure broke is discarded on return; one that survived goes back
        // The server stops statements up to ANSWER_MARGIN_NANOS early: that counts as the deadline.
        if (now - deadline + ANSWER_MARGIN_NANOS >= 0 && stoppedByTimeout(ex)) {
            return SluiceFailure.of(FailureReason.DEADLINE_EXCEEDED, e.pool.name(), e.pool.name()
                    + ": the statement was stopped at its Deadline: budget " + TimeUnit.NANOSECONDS.toMillis(left)
                    + " ms left when it started, elapsed " + TimeUnit.NANOSECONDS.toMillis(now - start) + " ms"
                    + " (DEADLINE_EXCEEDED; " + (e.broken ? "the connection was lost and will be discarded"
                            : "the server cancelled it and the connection stays usable") + "): " + ex.getMessage(), ex);
        }
        return ex;
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
