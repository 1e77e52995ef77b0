package dev.sluice.stub;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.SQLWarning;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A physical connection of a {@link StubDatabase}: tracks session state and counts the calls the
 * pool makes, so tests can assert that reset touched exactly what changed.
 */
public final class StubConnection {
    final StubDatabase db;
    public final Properties info;
    public volatile boolean closed;
    public volatile boolean aborted;
    public volatile boolean autoCommit = true;
    public volatile int isolation = Connection.TRANSACTION_READ_COMMITTED;
    public volatile boolean readOnly;
    public volatile String catalog = "main";
    public volatile String schema = "public";
    public volatile int networkTimeout;
    /** What getWarnings returns until clearWarnings. */
    public volatile SQLWarning warning;
    /** Set from another thread to make this one connection fail like a killed backend. */
    public volatile boolean killed;
    public final AtomicInteger setAutoCommitCalls = new AtomicInteger();
    public final AtomicInteger setIsolationCalls = new AtomicInteger();
    public final AtomicInteger rollbacks = new AtomicInteger();
    public final AtomicInteger executes = new AtomicInteger();
    public final List<Integer> networkTimeoutsSet = new CopyOnWriteArrayList<>();
    public final List<StubStatement> statements = new CopyOnWriteArrayList<>();
    private final Connection proxy;

    StubConnection(StubDatabase db, Properties info) {
        this.db = db;
        this.info = info;
        this.proxy = (Connection) Proxy.newProxyInstance(StubConnection.class.getClassLoader(),
                new Class<?>[] {Physical.class}, new Handler());
    }

    Connection proxy() {
        return proxy;
    }

    /** The type of the physical connection proxy, so tests can {@code unwrap} a pool handle to it. */
    public interface Physical extends Connection {
    }

    /** The stub behind a physical connection the pool handed out (via {@code unwrap}). */
    public static StubConnection of(Connection physical) {
        return ((Handler) Proxy.getInvocationHandler(physical)).owner();
    }

    void checkUsable() throws SQLException {
        if (closed) {
            throw new SQLException("connection closed", "08003");
        }
        if (killed) {
            throw new SQLException("terminating connection due to administrator command", "57P01");
        }
    }

    private final class Handler implements InvocationHandler {
        StubConnection owner() {
            return StubConnection.this;
        }

        @Override
        public Object invoke(Object p, Method m, Object[] a) throws Throwable {
            switch (m.getName()) {
                case "close":
                    closed = true;
                    return null;
                case "abort":
                    aborted = true;
                    closed = true;
                    return null;
                case "isClosed":
                    return closed;
                case "isValid":
                    db.validations.incrementAndGet();
                    return !closed && !killed && !db.invalid;
                case "unwrap":
                    if (((Class<?>) a[0]).isInstance(p)) {
                        return p;
                    }
                    throw new SQLException("not a wrapper");
                case "isWrapperFor":
                    return ((Class<?>) a[0]).isInstance(p);
                case "hashCode":
                    return System.identityHashCode(p);
                case "equals":
                    return p == a[0];
                case "toString":
                    return "StubConnection@" + Integer.toHexString(System.identityHashCode(p));
                default:
                    break;
            }
            checkUsable();
            switch (m.getName()) {
                case "getAutoCommit":
                    return autoCommit;
                case "setAutoCommit":
                    setAutoCommitCalls.incrementAndGet();
                    autoCommit = (Boolean) a[0];
                    return null;
                case "getTransactionIsolation":
                    return isolation;
                case "setTransactionIsolation":
                    setIsolationCalls.incrementAndGet();
                    isolation = (Integer) a[0];
                    return null;
                case "isReadOnly":
                    return readOnly;
                case "setReadOnly":
                    readOnly = (Boolean) a[0];
                    return null;
                case "getCatalog":
                    return catalog;
                case "setCatalog":
                    catalog = (String) a[0];
                    return null;
                case "getSchema":
                    return schema;
                case "setSchema":
                    schema = (String) a[0];
                    return null;
                case "getNetworkTimeout":
                    return networkTimeout;
                case "setNetworkTimeout":
                    networkTimeout = (Integer) a[1];
                    networkTimeoutsSet.add(networkTimeout);
                    return null;
                case "rollback":
                    rollbacks.incrementAndGet();
                    return null;
                case "commit":
                    return null;
                case "createStatement":
                case "prepareStatement":
                case "prepareCall": {
                    StubStatement s = new StubStatement(StubConnection.this, m.getReturnType());
                    if (db.keepStatements) {
                        statements.add(s);
                    }
                    return s.proxy();
                }
                case "getMetaData":
                    return metaData(p);
                case "getWarnings":
                    return warning;
                case "clearWarnings":
                    warning = null;
                    return null;
                default:
                    throw new SQLException("stub does not implement " + m.getName());
            }
        }
    }

    /**
     * Spends a statement's time parked, not spinning, so a simulation's stand-in server costs the
     * machine almost no CPU. An interrupt ends it the way a cancelled statement ends.
     */
    static void spend(long nanos) throws SQLException {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                throw new SQLException("statement interrupted", "57014");
            }
        }
    }

    /** Says "not PostgreSQL, not MariaDB", so a pool reads no server connection limit from it. */
    private static DatabaseMetaData metaData(Object connection) {
        InvocationHandler h = (p, m, a) -> {
            switch (m.getName()) {
                case "getDatabaseProductName":
                    return "Sluice stub database";
                case "getDatabaseProductVersion":
                    return "1.0";
                case "getDriverName":
                    return "sluice-stub";
                case "getConnection":
                    return connection;
                case "hashCode":
                    return System.identityHashCode(p);
                case "equals":
                    return p == a[0];
                case "toString":
                    return "StubMetaData";
                default:
                    throw new SQLFeatureNotSupportedException("stub metadata does not implement " + m.getName());
            }
        };
        return (DatabaseMetaData) Proxy.newProxyInstance(StubConnection.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, h);
    }

    /** A statement of a stub connection; executeQuery returns one row with the value 1. */
    public static final class StubStatement {
        final StubConnection conn;
        public volatile boolean closed;
        /** Seconds, as set by setQueryTimeout; an execution longer than this fails as a server cancel would. */
        public volatile int queryTimeout;
        public final List<Integer> queryTimeoutsSet = new CopyOnWriteArrayList<>();
        private final Object proxy;

        StubStatement(StubConnection conn, Class<?> type) {
            this.conn = conn;
            this.proxy = Proxy.newProxyInstance(StubConnection.class.getClassLoader(), new Class<?>[] {type}, this::invoke);
        }

        Object proxy() {
            return proxy;
        }

        private Object invoke(Object p, Method m, Object[] a) throws Throwable {
            switch (m.getName()) {
                case "close":
                    closed = true;
                    return null;
                case "isClosed":
                    return closed;
                case "hashCode":
                    return System.identityHashCode(p);
                case "equals":
                    return p == a[0];
                case "toString":
                    return "StubStatement";
                default:
                    break;
            }
            if (closed) {
                throw new SQLException("statement closed", "HY000");
            }
            conn.checkUsable();
            switch (m.getName()) {
                case "executeQuery":
                case "execute":
                case "executeUpdate": {
                    conn.executes.incrementAndGet();
                    SQLException f = conn.db.executeFailure;
                    if (f != null) {
                        throw f;
                    }
                    long service = conn.db.beginStatement();
                    try {
                        long timeout = TimeUnit.SECONDS.toNanos(queryTimeout);
                        if (timeout > 0 && service > timeout) {
                            spend(timeout);
                            throw new SQLTimeoutException("canceling statement due to statement timeout", "57014");
                        }
                        spend(service);
                    } finally {
                        conn.db.endStatement();
                    }
                    if (m.getName().equals("executeQuery")) {
                        return resultSet();
                    }
                    return m.getReturnType() == boolean.class ? Boolean.TRUE : (Object) 1;
                }
                case "setQueryTimeout":
                    queryTimeout = (Integer) a[0];
                    queryTimeoutsSet.add(queryTimeout);
                    return null;
                case "getQueryTimeout":
                    return queryTimeout;
                case "setInt":
                case "setLong":
                case "setDouble":
                case "setString":
                case "setObject":
                case "setFetchSize":
                case "setMaxRows":
                case "setEscapeProcessing":
                case "clearWarnings":
                    return null;
                case "getWarnings":
                    return null;
                case "getUpdateCount":
                    return -1;
                case "getConnection":
                    return conn.proxy();
                default:
                    throw new SQLException("stub statement does not implement " + m.getName());
            }
        }

        private ResultSet resultSet() {
            int[] row = {0};
            boolean[] rsClosed = {false};
            InvocationHandler h = (p, m, a) -> {
                switch (m.getName()) {
                    case "next":
                        if (rsClosed[0] || closed) {
                            throw new SQLException("result set closed");
                        }
                        return row[0]++ == 0;
                    case "getInt":
                    case "getObject":
                        return 1;
                    case "getLong":
                        return 1L;
                    case "getString":
                        return "1";
                    case "wasNull":
                        return false;
                    case "close":
                        rsClosed[0] = true;
                        return null;
                    case "isClosed":
                        return rsClosed[0] || closed;
                    case "getStatement":
                        return proxy;
                    case "hashCode":
                        return System.identityHashCode(p);
                    case "equals":
                        return p == a[0];
                    default:
                        throw new SQLException("stub result set does not implement " + m.getName());
                }
            };
            return (ResultSet) Proxy.newProxyInstance(StubConnection.class.getClassLoader(), new Class<?>[] {ResultSet.class}, h);
        }
    }

}
