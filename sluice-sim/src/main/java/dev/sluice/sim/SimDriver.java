package dev.sluice.sim;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * The JDBC driver for {@code jdbc:sim:<name>} URLs, each a {@link SimDatabase}. Connections,
 * statements and result sets are {@link Proxy} objects that implement what a pool and a simple
 * query need: session settings are remembered, every {@code execute*} takes the database's service
 * time, and a query returns one row with the value 1. Anything else fails with
 * {@link SQLFeatureNotSupportedException} naming the method, as a real driver's missing feature would.
 */
public final class SimDriver implements Driver {
    static final String PREFIX = "jdbc:sim:";

    static {
        // DriverManager's service loading only loads the class: registering is the initializer's job.
        try {
            DriverManager.registerDriver(new SimDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Makes sure the driver is registered (initializing the class does it, once). */
    static void register() {
        // Nothing more to do: calling this static method has initialized the class.
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        String name = url.substring(PREFIX.length());
        SimDatabase db = SimDatabase.named(name);
        if (db == null) {
            throw new SQLException("no simulated database named " + name, "08001");
        }
        db.connect();
        return (Connection) Proxy.newProxyInstance(SimDriver.class.getClassLoader(), new Class<?>[] {Connection.class},
                new Session(db));
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no java.util.logging");
    }

    /** The object methods every proxy answers the same way; null when {@code m} is not one. */
    private static Object identity(Object proxy, Method m, Object[] a, String label) {
        switch (m.getName()) {
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == a[0];
            case "toString":
                return label + "@" + Integer.toHexString(System.identityHashCode(proxy));
            default:
                return null;
        }
    }

    private static SQLException unsupported(String type, Method m) {
        return new SQLFeatureNotSupportedException("the simulated database does not implement " + type + "." + m.getName());
    }

    /** One physical connection: its session state and its open/closed flag. */
    private static final class Session implements InvocationHandler {
        private final SimDatabase db;
        private volatile boolean closed;
        private boolean autoCommit = true;
        private int isolation = Connection.TRANSACTION_READ_COMMITTED;
        private boolean readOnly;
        private String catalog = "sim";
        private String schema = "public";
        private int networkTimeout;

        Session(SimDatabase db) {
            this.db = db;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] a) throws Throwable {
            Object same = identity(proxy, m, a, "SimConnection");
            if (same != null) {
                return same;
            }
            switch (m.getName()) {
                case "close":
                case "abort":
                    if (!closed) {
                        closed = true;
                        db.disconnect();
                    }
                    return null;
                case "isClosed":
                    return closed;
                case "isValid":
                    return !closed;
                case "unwrap":
                    if (((Class<?>) a[0]).isInstance(proxy)) {
                        return proxy;
                    }
                    throw new SQLException("not a wrapper for " + a[0]);
                case "isWrapperFor":
                    return ((Class<?>) a[0]).isInstance(proxy);
                default:
                    break;
            }
            if (closed) {
                throw new SQLException("connection closed", "08003");
            }
            synchronized (this) {
                switch (m.getName()) {
                    case "getAutoCommit":
                        return autoCommit;
                    case "setAutoCommit":
                        autoCommit = (Boolean) a[0];
                        return null;
                    case "getTransactionIsolation":
                        return isolation;
                    case "setTransactionIsolation":
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
                        return null;
                    default:
                        break;
                }
            }
            switch (m.getName()) {
                case "commit":
                case "rollback":
                case "clearWarnings":
                    return null;
                case "getWarnings":
                    return null;
                case "getMetaData":
                    return metaData(proxy);
                case "createStatement":
                case "prepareStatement":
                    return Proxy.newProxyInstance(SimDriver.class.getClassLoader(), new Class<?>[] {m.getReturnType()},
                            new StatementHandler(this, (Connection) proxy));
                default:
                    throw unsupported("Connection", m);
            }
        }

        /** Says "not PostgreSQL, not MariaDB", so the pool reads no server connection limit from it. */
        private DatabaseMetaData metaData(Object connection) {
            InvocationHandler h = (p, m, a) -> {
                Object same = identity(p, m, a, "SimMetaData");
                if (same != null) {
                    return same;
                }
                switch (m.getName()) {
                    case "getDatabaseProductName":
                        return "Sluice simulated database";
                    case "getDatabaseProductVersion":
                        return "1.0";
                    case "getDriverName":
                        return "sluice-sim";
                    case "getConnection":
                        return connection;
                    default:
                        throw unsupported("DatabaseMetaData", m);
                }
            };
            return (DatabaseMetaData) Proxy.newProxyInstance(SimDriver.class.getClassLoader(),
                    new Class<?>[] {DatabaseMetaData.class}, h);
        }
    }

    /** A statement: each execution takes the database's service time. */
    private static final class StatementHandler implements InvocationHandler {
        private final Session session;
        private final Connection connection;
        private volatile boolean closed;

        StatementHandler(Session session, Connection connection) {
            this.session = session;
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] a) throws Throwable {
            Object same = identity(proxy, m, a, "SimStatement");
            if (same != null) {
                return same;
            }
            switch (m.getName()) {
                case "close":
                    closed = true;
                    return null;
                case "isClosed":
                    return closed;
                default:
                    break;
            }
            if (closed || session.closed) {
                throw new SQLException("statement closed", "HY000");
            }
            switch (m.getName()) {
                case "executeQuery":
                    session.db.execute();
                    return oneRow((Statement) proxy);
                case "execute":
                    session.db.execute();
                    return Boolean.TRUE;
                case "executeUpdate":
                    session.db.execute();
                    return 1;
                case "setQueryTimeout":
                case "setFetchSize":
                case "setMaxRows":
                case "setEscapeProcessing":
                case "clearWarnings":
                case "setInt":
                case "setLong":
                case "setString":
                case "setDouble":
                case "setObject":
                    return null;
                case "getWarnings":
                    return null;
                case "getUpdateCount":
                    return -1;
                case "getConnection":
                    return connection;
                default:
                    throw unsupported("Statement", m);
            }
        }

        private static ResultSet oneRow(Statement statement) {
            InvocationHandler h = new InvocationHandler() {
                private int row;
                private boolean rsClosed;

                @Override
                public Object invoke(Object p, Method m, Object[] a) throws SQLException {
                    Object same = identity(p, m, a, "SimResultSet");
                    if (same != null) {
                        return same;
                    }
                    switch (m.getName()) {
                        case "close":
                            rsClosed = true;
                            return null;
                        case "isClosed":
                            return rsClosed;
                        case "getStatement":
                            return statement;
                        default:
                            break;
                    }
                    if (rsClosed) {
                        throw new SQLException("result set closed", "HY000");
                    }
                    switch (m.getName()) {
                        case "next":
                            return row++ == 0;
                        case "getInt":
                            return 1;
                        case "getLong":
                            return 1L;
                        case "getObject":
                            return 1;
                        case "getString":
                            return "1";
                        case "wasNull":
                            return false;
                        default:
                            throw unsupported("ResultSet", m);
                    }
                }
            };
            return (ResultSet) Proxy.newProxyInstance(SimDriver.class.getClassLoader(), new Class<?>[] {ResultSet.class}, h);
        }
    }
}
