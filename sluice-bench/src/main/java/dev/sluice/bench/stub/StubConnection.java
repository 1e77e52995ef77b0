package dev.sluice.bench.stub;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A physical connection that does nothing, so that a benchmark measures the pool around it.
 *
 * <p>Why it is shaped like this: the driver's own cost must be close to zero and the same for every
 * pool. So it is a plain class (no {@code java.lang.reflect.Proxy}, whose dispatch would cost more
 * than some pools), and it allocates nothing per operation: the connection keeps one plain and one
 * prepared statement and hands the same object out again once the previous use closed it (a second
 * statement open at the same time gets a fresh object, so JDBC semantics hold). Then
 * {@code gc.alloc.rate.norm} shows the pool's allocation alone.
 *
 * <p>Session state (auto-commit, read-only, isolation, catalog, schema, network timeout) is kept,
 * so pools that read it back or reset it on return see what they wrote. Everything else is a
 * no-op or returns an empty value. Not thread-safe: a pool lends a connection to one thread at a
 * time, and the hand-over happens through the pool's own synchronization.
 */
public class StubConnection implements Connection {
    /** Read by pools' housekeeping threads, hence volatile; written only when the connection closes. */
    private volatile boolean closed;
    private boolean autoCommit = true;
    private boolean readOnly;
    private int isolation = Connection.TRANSACTION_READ_COMMITTED;
    private int holdability = ResultSet.HOLD_CURSORS_OVER_COMMIT;
    private String catalog;
    private String schema;
    private int networkTimeoutMillis;
    private final StubStatement statement = new StubStatement(this);
    private final StubPreparedStatement preparedStatement = new StubPreparedStatement(this);

    // The statements only keep the reference; nothing reads this connection's fields before it is built.
    @SuppressWarnings("this-escape")
    public StubConnection() {
    }

    private Statement statement() {
        return statement.isClosed() ? statement.reopen() : new StubStatement(this).reopen();
    }

    private PreparedStatement preparedStatement() {
        return preparedStatement.isClosed() ? preparedStatement.reopen() : new StubPreparedStatement(this).reopen();
    }

    @Override public void abort(Executor executor) { closed = true; }
    @Override public void clearWarnings() { }
    @Override public void close() { closed = true; }
    @Override public void commit() { }
    @Override public Array createArrayOf(String a0, Object[] a1) { return null; }
    @Override public Blob createBlob() { return null; }
    @Override public Clob createClob() { return null; }
    @Override public NClob createNClob() { return null; }
    @Override public SQLXML createSQLXML() { return null; }
    @Override public Statement createStatement() { return statement(); }
    @Override public Statement createStatement(int type, int concurrency, int holdability) { return statement(); }
    @Override public Statement createStatement(int type, int concurrency) { return statement(); }
    @Override public Struct createStruct(String a0, Object[] a1) { return null; }
    @Override public boolean getAutoCommit() { return autoCommit; }
    @Override public String getCatalog() { return catalog; }
    @Override public Properties getClientInfo() { return new Properties(); }
    @Override public String getClientInfo(String a0) { return null; }
    @Override public int getHoldability() { return holdability; }
    @Override public DatabaseMetaData getMetaData() throws SQLException { throw new SQLFeatureNotSupportedException("stub driver: no metadata"); }
    @Override public int getNetworkTimeout() { return networkTimeoutMillis; }
    @Override public String getSchema() { return schema; }
    @Override public int getTransactionIsolation() { return isolation; }
    @Override public Map<String, Class<?>> getTypeMap() { return new HashMap<>(); }
    @Override public SQLWarning getWarnings() { return null; }
    @Override public boolean isClosed() { return closed; }
    @Override public boolean isReadOnly() { return readOnly; }
    @Override public boolean isValid(int timeoutSeconds) { return !closed; }
    @Override public boolean isWrapperFor(Class<?> iface) { return iface.isInstance(this); }
    @Override public String nativeSQL(String sql) { return sql; }
    @Override public CallableStatement prepareCall(String sql, int type, int concurrency, int holdability) throws SQLException { throw new SQLFeatureNotSupportedException("stub driver: no callable statements"); }
    @Override public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException { throw new SQLFeatureNotSupportedException("stub driver: no callable statements"); }
    @Override public CallableStatement prepareCall(String sql) throws SQLException { throw new SQLFeatureNotSupportedException("stub driver: no callable statements"); }
    @Override public PreparedStatement prepareStatement(String sql, int[] columns) { return preparedStatement(); }
    @Override public PreparedStatement prepareStatement(String sql, String[] columns) { return preparedStatement(); }
    @Override public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability) { return preparedStatement(); }
    @Override public PreparedStatement prepareStatement(String sql, int type, int concurrency) { return preparedStatement(); }
    @Override public PreparedStatement prepareStatement(String sql, int keys) { return preparedStatement(); }
    @Override public PreparedStatement prepareStatement(String sql) { return preparedStatement(); }
    @Override public void releaseSavepoint(Savepoint a0) { }
    @Override public void rollback() { }
    @Override public void rollback(Savepoint a0) { }
    @Override public void setAutoCommit(boolean autoCommit) { this.autoCommit = autoCommit; }
    @Override public void setCatalog(String catalog) { this.catalog = catalog; }
    @Override public void setClientInfo(String a0, String a1) { }
    @Override public void setClientInfo(Properties a0) { }
    @Override public void setHoldability(int holdability) { this.holdability = holdability; }
    @Override public void setNetworkTimeout(Executor executor, int milliseconds) { this.networkTimeoutMillis = milliseconds; }
    @Override public void setReadOnly(boolean readOnly) { this.readOnly = readOnly; }
    @Override public Savepoint setSavepoint() { return null; }
    @Override public Savepoint setSavepoint(String a0) { return null; }
    @Override public void setSchema(String schema) { this.schema = schema; }
    @Override public void setTransactionIsolation(int level) { this.isolation = level; }
    @Override public void setTypeMap(Map<String, Class<?>> a0) { }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException(getClass().getSimpleName() + " does not wrap " + iface.getName());
    }
}
