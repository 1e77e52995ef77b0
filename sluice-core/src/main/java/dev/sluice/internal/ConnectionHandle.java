package dev.sluice.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * What a borrower holds: one small object per borrow, pointing at the pooled connection until
 * {@link #close()}. Closing clears the pointer atomically, so a second close, or any use after it,
 * can never reach the physical connection, which by then may belong to another borrower. This is
 * the one allocation on the borrow path; reusing handles would save it only by letting a stale
 * handle act on a later borrower's connection. It holds that pointer and nothing else (the pool is
 * reached through the entry), so it is the smallest object there is: 16 bytes with compressed references.
 *
 * <p>Setters that change session state record it on the {@link PooledConnection}, so the return
 * path resets exactly what this borrower changed and nothing else.
 */
public final class ConnectionHandle extends ConnectionDelegate {
    private static final VarHandle ENTRY;

    static {
        try {
            ENTRY = MethodHandles.lookup().findVarHandle(ConnectionHandle.class, "entry", PooledConnection.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through ENTRY
    private volatile PooledConnection entry;

    ConnectionHandle(PooledConnection entry) {
        ENTRY.setRelease(this, entry);
    }

    static SQLException closedError(String what) {
        return new SQLException(what + " is closed", "08003");
    }

    private PooledConnection entry() throws SQLException {
        PooledConnection e = (PooledConnection) ENTRY.getAcquire(this);
        if (e == null) {
            throw closedError("Connection");
        }
        return e;
    }

    @Override
    Connection raw() throws SQLException {
        return entry().raw;
    }

    @Override
    <E extends SQLException> E fault(E e) {
        PooledConnection pc = (PooledConnection) ENTRY.getAcquire(this);
        if (pc != null) {
            pc.pool.inspect(pc, e);
        }
        return e;
    }

    @Override
    Statement statement(Statement s) {
        return track(new StatementHandle(this, s));
    }

    @Override
    PreparedStatement prepared(PreparedStatement s) {
        return track(new PreparedStatementHandle(this, s));
    }

    @Override
    CallableStatement callable(CallableStatement s) {
        return track(new CallableStatementHandle(this, s));
    }

    @Override
    DatabaseMetaData metaData(DatabaseMetaData m) {
        return new MetaDataHandle(this, m);
    }

    private <S extends TrackedStatement> S track(S s) {
        PooledConnection pc = (PooledConnection) ENTRY.getAcquire(this);
        if (pc != null) {
            pc.track(s);
        }
        return s;
    }

    /** Whether this connection was borrowed inside a scoped Deadline; read once per statement handle created. */
    boolean deadlined() {
        PooledConnection pc = (PooledConnection) ENTRY.getAcquire(this);
        return pc != null && pc.deadlined;
    }

    /** Runs a statement execution bounded by the borrow's Deadline: see {@link QueryDeadline}. */
    <T> T underDeadline(Statement raw, QueryDeadline.Execution<T> work) throws SQLException {
        return QueryDeadline.execute(this, entry(), raw, work);
    }

    void forget(TrackedStatement s) {
        PooledConnection pc = (PooledConnection) ENTRY.getAcquire(this);
        if (pc != null) {
            pc.forget(s);
        }
    }

    /** Returns the connection to the pool. Idempotent; safe against a racing second close. */
    @Override
    public void close() throws SQLException {
        PooledConnection e = (PooledConnection) ENTRY.getAndSet(this, null);
        if (e != null) {
            e.pool.release(e);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        PooledConnection e = (PooledConnection) ENTRY.getAcquire(this);
        return e == null || e.raw.isClosed();
    }

    @Override
    public boolean isValid(int timeoutSeconds) throws SQLException {
        PooledConnection e = (PooledConnection) ENTRY.getAcquire(this);
        return e != null && e.raw.isValid(timeoutSeconds);
    }

    /** Aborts the physical connection: it is closed, not returned. */
    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            // JDBC: a null executor is the caller's error; checked before anything is torn down
            throw new SQLException("abort(executor): executor must not be null", "HY009");
        }
        PooledConnection e = (PooledConnection) ENTRY.getAndSet(this, null);
        if (e != null) {
            e.pool.abortBorrowed(e, executor);
        }
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        PooledConnection e = entry();
        try {
            e.raw.setAutoCommit(autoCommit);
        } catch (SQLException x) {
            throw fault(x);
        }
        e.autoCommit = autoCommit;
        e.changed(PooledConnection.AUTO_COMMIT);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        PooledConnection e = entry();
        try {
            e.raw.setTransactionIsolation(level);
        } catch (SQLException x) {
            throw fault(x);
        }
        e.changed(PooledConnection.ISOLATION);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        PooledConnection e = entry();
        try {
            e.raw.setReadOnly(readOnly);
        } catch (SQLException x) {
            throw fault(x);
        }
        e.changed(PooledConnection.READ_ONLY);
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        PooledConnection e = entry();
        try {
            e.raw.setCatalog(catalog);
        } catch (SQLException x) {
            throw fault(x);
        }
        e.changed(PooledConnection.CATALOG);
    }

    /**
     * For a tenant router: the session was just changed with SQL the pool cannot see, and
     * {@code undo} says how to put it back when this borrow returns the connection.
     */
    public void undoOnReturn(SessionUndo undo) throws SQLException {
        PooledConnection e = entry();
        e.undo = undo;
        e.changed(PooledConnection.ROUTER_SWITCH);
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        PooledConnection e = entry();
        try {
            e.raw.setSchema(schema);
        } catch (SQLException x) {
            throw fault(x);
        }
        e.changed(PooledConnection.SCHEMA);
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        PooledConnection e = entry();
        try {
            e.raw.setNetworkTimeout(executor, milliseconds);
        } catch (SQLException x) {
            throw fault(x);
        }
        e.changed(PooledConnection.NETWORK_TIMEOUT);
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        try {
            return raw().getNetworkTimeout();
        } catch (SQLException x) {
            throw fault(x);
        }
    }

    @Override
    public void commit() throws SQLException {
        try {
            raw().commit();
        } catch (SQLException x) {
            throw fault(x);
        }
    }

    @Override
    public void rollback() throws SQLException {
        try {
            raw().rollback();
        } catch (SQLException x) {
            throw fault(x);
        }
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        try {
            raw().rollback(savepoint);
        } catch (SQLException x) {
            throw fault(x);
        }
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(name, value);
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        clientInfoTarget().setClientInfo(properties);
    }

    private Connection clientInfoTarget() throws SQLClientInfoException {
        PooledConnection e = (PooledConnection) ENTRY.getAcquire(this);
        if (e == null) {
            throw new SQLClientInfoException("Connection is closed", Map.of(), closedError("Connection"));
        }
        return e.raw;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return raw().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || raw().isWrapperFor(iface);
    }

    @Override
    public String toString() {
        PooledConnection e = (PooledConnection) ENTRY.getAcquire(this);
        if (e == null) {
            return "ConnectionHandle[closed]";
        }
        BorrowClaim claim = e.claim;
        return "ConnectionHandle[" + e.pool.name() + (claim == null ? "" : ", tenant " + claim.tenant()) + ", " + e.raw + "]";
    }
}
