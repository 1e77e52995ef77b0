package dev.sluice.internal;

import dev.sluice.CloseReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * One physical connection and everything the pool knows about it: its state in the bag, its age,
 * when it was last used, the session defaults to restore, and what the current borrower changed.
 *
 * <p>State moves IDLE → IN_USE by CAS (one winner per hand-out), IN_USE → IDLE by a volatile
 * store from the single holder, and any → REMOVED once. Plain fields written by the holder before
 * the store of IDLE are visible to the next holder after its successful CAS (volatile
 * happens-before), so they need no synchronization of their own.
 */
final class PooledConnection extends CacheLinePadding {
    static final int IDLE = 0;
    static final int IN_USE = 1;
    /** Held by the pool itself: being validated by keepalive, or awaiting retirement. */
    static final int RESERVED = 2;
    static final int REMOVED = 3;

    static final int AUTO_COMMIT = 1;
    static final int ISOLATION = 1 << 1;
    static final int READ_ONLY = 1 << 2;
    static final int CATALOG = 1 << 3;
    static final int SCHEMA = 1 << 4;
    static final int NETWORK_TIMEOUT = 1 << 5;
    /**
     * The borrower created a statement. Statements are what leave SQLWarnings on a connection, so
     * their borrows clear warnings on return (a local call in pgjdbc, MariaDB Connector/J and H2) and
     * the next borrower does not see them; a borrow that only took and returned the connection
     * pays nothing.
     */
    static final int STATEMENTS = 1 << 6;
    /** A server-side statement time limit was set for a Deadline (see {@link QueryDeadline}); reset on return. */
    static final int STATEMENT_LIMIT = 1 << 7;
    /** A router changed the session with SQL (a tenant's schema switch); {@link #undo} puts it back on return. */
    static final int ROUTER_SWITCH = 1 << 8;

    private static final VarHandle STATE;
    private static final VarHandle BORROWS;
    private static final VarHandle TALLY;
    private static final VarHandle TALLIED;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PooledConnection.class, "state", int.class);
            BORROWS = MethodHandles.lookup().findVarHandle(PooledConnection.class, "borrows", long.class);
            TALLY = MethodHandles.lookup().findVarHandle(PooledConnection.class, "tally", BorrowTally.class);
            TALLIED = MethodHandles.lookup().findVarHandle(PooledConnection.class, "tallied", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Connection raw;
    final long id;
    final long createdNanos;
    /** When its replacement is started: maxLifetime less a per-connection jitter. Unused without a lifetime. */
    final long retireAtNanos;
    /** maxLifetime itself: past this it is never handed out. */
    final long expiresAtNanos;
    final boolean hasLifetime;

    private volatile int state = RESERVED;

    /**
     * The pool it belongs to, set once before the entry is published to the bag (whose volatile
     * array and state make it visible to every later holder). It lives here rather than in each
     * {@link ConnectionHandle} so that a handle is one reference: 16 bytes per borrow, not 24.
     */
    Pool pool;

    /** Last return to the pool, or last successful validation; drives the validation-bypass window. */
    long lastUsedNanos;
    /** Last return by a borrower only; drives idleTimeout and maxIdleTime. */
    long lastReturnedNanos;
    /** When the current borrow began; meaningful only while {@link #holdTimed}. */
    long borrowedAtNanos;
    /** Whether the current borrow is timed (every borrow when something needs it, else a sample). */
    boolean holdTimed;
    /**
     * Hand-outs of this connection so far. Only the holder writes it, so counting costs no atomic
     * instruction and no shared cache line; stats add up every entry's count (opaque reads: a
     * value no older than the last hand-out the reader could have seen, and never torn).
     */
    @SuppressWarnings("unused") // accessed through BORROWS
    private long borrows;
    /** Set when the driver reports the connection broken; the return path then closes it. */
    volatile boolean broken;
    /** Set aside at the end of its lifetime while a replacement is opened; counted in the pool's "retiring". */
    volatile boolean setAsideForReplacement;
    /** Set when the connection must not be reused (lifetime, evict); the return path closes it. */
    volatile CloseReason retireOnReturn;

    /** Read once after the pool's own settings were applied at creation; shared with equal siblings. */
    SessionDefaults defaults;

    /** The session state the current borrower changed (bits above); reset on return. */
    int changed;
    /** Set with {@link #ROUTER_SWITCH}: what undoes the router's switch. */
    SessionUndo undo;
    /**
     * Borrowed inside a scoped {@link dev.sluice.Deadline}: statements then take their query timeout
     * from {@link #deadline}. Written by the borrower's thread only (set at borrow, cleared by
     * reset on return), and read by statement handles when they are created.
     */
    boolean deadlined;
    /** Null until the first borrow inside a Deadline; the current one's deadline while {@link #deadlined}. */
    BorrowDeadline deadline;
    /** Current auto-commit, to know whether a transaction may be open on return. */
    boolean autoCommit;

    /** Null until the first statement: a connection only taken and returned (or only validated) needs none. */
    private TrackedStatement[] statements;
    private int statementCount;

    /** The borrowing thread, for nested-acquisition detection; null while not borrowed. */
    Thread borrower;
    /** Leak detection: where and by whom it was borrowed; null until detection first records a borrow of it. */
    LeakRecord leak;
    /**
     * Null unless a tenant router borrowed it (SCHEMA mode): the tenant, and what to give back
     * when the borrow ends. Set by the borrower before the handle exists, cleared by whoever ends
     * the borrow; the housekeeper reads it only for a leak report's tenant.
     */
    BorrowClaim claim;
    /**
     * The tenant tally the latest claimed borrows were counted for, and how many of them in a row
     * ({@link BorrowTally}). Written by the holder only; read by stats (acquire/opaque: a reader
     * may miss a run being settled, never count one twice).
     */
    @SuppressWarnings("unused") // accessed through TALLY
    private BorrowTally tally;
    @SuppressWarnings("unused") // accessed through TALLIED
    private long tallied;

    /** The pool generation current when its connect started; see {@link PoolGeneration}. */
    long generation;
    /** How long its connect took (for events). */
    long connectNanos;

    PooledConnection(Connection raw, long id, long createdNanos, long retireAtNanos, long expiresAtNanos, boolean hasLifetime) {
        this.raw = raw;
        this.id = id;
        this.createdNanos = createdNanos;
        this.retireAtNanos = retireAtNanos;
        this.expiresAtNanos = expiresAtNanos;
        this.hasLifetime = hasLifetime;
        this.lastUsedNanos = createdNanos;
        this.lastReturnedNanos = createdNanos;
    }

    int state() {
        return state;
    }

    /** Counts a hand-out; the caller holds the entry. Returns the new count. */
    long countBorrow() {
        long n = (long) BORROWS.getOpaque(this) + 1;
        BORROWS.setOpaque(this, n);
        return n;
    }

    long borrows() {
        return (long) BORROWS.getOpaque(this);
    }

    /** Counts a claimed hand-out for {@code t}; the caller holds the entry. */
    void countFor(BorrowTally t) {
        BorrowTally current = (BorrowTally) TALLY.getOpaque(this);
        if (current == t) {
            TALLIED.setOpaque(this, (long) TALLIED.getOpaque(this) + 1);
            return;
        }
        long run = (long) TALLIED.getOpaque(this);
        // The run is zeroed before the tally changes, so a reader that sees the new tally sees no old run.
        TALLIED.setOpaque(this, 0L);
        TALLY.setRelease(this, t);
        TALLIED.setOpaque(this, 1L);
        if (current != null) {
            current.settle(run);
        }
    }

    /** The entry leaves the pool: its run goes to its tally. */
    void settleTally() {
        BorrowTally current = (BorrowTally) TALLY.getOpaque(this);
        if (current != null) {
            long run = (long) TALLIED.getOpaque(this);
            TALLIED.setOpaque(this, 0L);
            TALLY.setRelease(this, null);
            current.settle(run);
        }
    }

    /** The tally the entry counts for now, or null. */
    BorrowTally tally() {
        return (BorrowTally) TALLY.getAcquire(this);
    }

    /** The run counted for {@link #tally()}; read after it. */
    long tallied() {
        return (long) TALLIED.getOpaque(this);
    }

    boolean compareAndSetState(int expect, int update) {
        return STATE.compareAndSet(this, expect, update);
    }

    /** Takes an idle entry for the pool itself (validation, retirement, close): it cannot be handed out meanwhile. */
    boolean reserve() {
        return compareAndSetState(IDLE, RESERVED);
    }

    void setState(int update) {
        state = update;
    }

    /** Marks the entry removed; true for the one caller that did it. */
    boolean markRemoved() {
        for (;;) {
            int s = state;
            if (s == REMOVED) {
                return false;
            }
            if (STATE.compareAndSet(this, s, REMOVED)) {
                return true;
            }
        }
    }

    void changed(int bit) {
        changed |= bit;
    }

    void track(TrackedStatement s) {
        changed |= STATEMENTS;
        if (statements == null) {
            statements = new TrackedStatement[4];
        } else if (statementCount == statements.length) {
            statements = Arrays.copyOf(statements, statementCount * 2);
        }
        statements[statementCount++] = s;
    }

    void forget(TrackedStatement s) {
        // Statements are usually closed in reverse order of creation: search from the end.
        for (int i = statementCount - 1; i >= 0; i--) {
            if (statements[i] == s) {
                int tail = statementCount - i - 1;
                if (tail > 0) {
                    System.arraycopy(statements, i + 1, statements, i, tail);
                }
                statements[--statementCount] = null;
                return;
            }
        }
    }

    /** Closes the statements the borrower left open; returns how many. */
    int closeLeftoverStatements() throws SQLException {
        int n = statementCount;
        SQLException first = null;
        for (int i = 0; i < n; i++) {
            try {
                statements[i].closeByPool();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
            statements[i] = null;
        }
        statementCount = 0;
        if (first != null) {
            throw first;
        }
        return n;
    }

    /**
     * Restores what the borrower changed and ends any open transaction. Throws if the connection
     * cannot be reset; the caller then closes it rather than risk handing out a dirty session.
     */
    /** Where the current borrow began, if leak detection recorded it and it has not ended; else null. */
    Object borrowSite() {
        LeakRecord r = leak;
        return r == null ? null : r.site;
    }

    /** The thread leak detection recorded for the current (or, once returned, the last) recorded borrow; else null. */
    String borrowThread() {
        LeakRecord r = leak;
        return r == null ? null : r.thread;
    }

    /** The caller context leak detection recorded for the current borrow; else null. */
    Object borrowContext() {
        LeakRecord r = leak;
        return r == null ? null : r.context;
    }

    void reset() throws SQLException {
        if (statementCount > 0) {
            closeLeftoverStatements();
        }
        if (!autoCommit) {
            raw.rollback();
        }
        int c = changed;
        if (c != 0) {
            SessionDefaults d = defaults;
            if ((c & STATEMENT_LIMIT) != 0) {
                // First, while the borrow's network timeout still bounds this round trip: restored
                // below, a dead network would hold the returning thread for as long as it lasts (S4).
                QueryDeadline.resetStatementLimit(this);
            }
            if ((c & AUTO_COMMIT) != 0 && autoCommit != d.autoCommit()) {
                raw.setAutoCommit(d.autoCommit());
                autoCommit = d.autoCommit();
            }
            if ((c & ISOLATION) != 0 && !d.transactionPooled()) {
                raw.setTransactionIsolation(d.isolation());
            }
            if ((c & READ_ONLY) != 0) {
                raw.setReadOnly(d.readOnly());
            }
            if ((c & CATALOG) != 0 && d.catalog() != null && !d.transactionPooled()) {
                raw.setCatalog(d.catalog());
            }
            if ((c & SCHEMA) != 0 && d.schema() != null && !d.transactionPooled()) {
                raw.setSchema(d.schema());
            }
            if ((c & NETWORK_TIMEOUT) != 0 && d.networkTimeout() >= 0) {
                raw.setNetworkTimeout(DirectExecutor.INSTANCE, d.networkTimeout());
            }
            if ((c & ROUTER_SWITCH) != 0) {
                undoRouterSwitch(d);
            }
            raw.clearWarnings();
            changed = 0;
        }
        if (deadlined) {
            deadlined = false;
        }
    }

    /**
     * Runs the statement that undoes a router's switch, after the borrower's transaction was rolled
     * back and auto-commit restored, and commits it when auto-commit is off: left in an open
     * transaction, the connection would sit idle in it, and the next borrower's rollback would
     * undo the undo. Behind PgBouncer in transaction mode there is no session to put back.
     */
    private void undoRouterSwitch(SessionDefaults d) throws SQLException {
        SessionUndo u = undo;
        undo = null;
        String sql = u == null || d.transactionPooled() ? null : u.sql(d.catalog(), d.schema());
        if (sql == null) {
            return;
        }
        try (java.sql.Statement s = raw.createStatement()) {
            s.execute(sql);
        }
        if (!autoCommit) {
            raw.commit();
        }
    }

    @Override
    public String toString() {
        return "PooledConnection#" + id + "[" + raw + "]";
    }
}
