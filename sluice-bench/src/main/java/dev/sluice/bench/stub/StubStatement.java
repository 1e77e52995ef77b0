package dev.sluice.bench.stub;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * A statement whose every query returns the same one-row {@link StubResultSet}. Reused by its
 * connection once closed (see {@link StubConnection}); executing again closes the previous result
 * set, as JDBC says, and reopens the same object.
 */
public class StubStatement implements Statement {
    private final StubConnection connection;
    private final StubResultSet resultSet = new StubResultSet(this);
    private boolean closed = true;

    StubStatement(StubConnection connection) {
        this.connection = connection;
    }

    StubStatement reopen() {
        closed = false;
        return this;
    }

    final ResultSet results() {
        return resultSet.reopen();
    }

    @Override public void addBatch(String a0) { }
    @Override public void cancel() { }
    @Override public void clearBatch() { }
    @Override public void clearWarnings() { }
    @Override public void close() {
        closed = true;
        resultSet.close();
    }
    @Override public void closeOnCompletion() { }
    @Override public boolean execute(String sql, int[] columns) { results(); return true; }
    @Override public boolean execute(String sql, String[] columns) { results(); return true; }
    @Override public boolean execute(String sql, int keys) { results(); return true; }
    @Override public boolean execute(String sql) { results(); return true; }
    @Override public int[] executeBatch() { return new int[0]; }
    @Override public ResultSet executeQuery(String sql) { return results(); }
    @Override public int executeUpdate(String a0, int[] a1) { return 0; }
    @Override public int executeUpdate(String a0, String[] a1) { return 0; }
    @Override public int executeUpdate(String a0, int a1) { return 0; }
    @Override public int executeUpdate(String a0) { return 0; }
    @Override public Connection getConnection() { return connection; }
    @Override public int getFetchDirection() { return ResultSet.FETCH_FORWARD; }
    @Override public int getFetchSize() { return 0; }
    @Override public ResultSet getGeneratedKeys() throws SQLException { throw new SQLFeatureNotSupportedException("stub driver: no generated keys"); }
    @Override public int getMaxFieldSize() { return 0; }
    @Override public int getMaxRows() { return 0; }
    @Override public boolean getMoreResults() { return false; }
    @Override public boolean getMoreResults(int a0) { return false; }
    @Override public int getQueryTimeout() { return 0; }
    @Override public ResultSet getResultSet() { return resultSet.isClosed() ? null : resultSet; }
    @Override public int getResultSetConcurrency() { return ResultSet.CONCUR_READ_ONLY; }
    @Override public int getResultSetHoldability() { return ResultSet.HOLD_CURSORS_OVER_COMMIT; }
    @Override public int getResultSetType() { return ResultSet.TYPE_FORWARD_ONLY; }
    @Override public int getUpdateCount() { return -1; }
    @Override public SQLWarning getWarnings() { return null; }
    @Override public boolean isCloseOnCompletion() { return false; }
    @Override public boolean isClosed() { return closed; }
    @Override public boolean isPoolable() { return false; }
    @Override public boolean isWrapperFor(Class<?> iface) { return iface.isInstance(this); }
    @Override public void setCursorName(String a0) { }
    @Override public void setEscapeProcessing(boolean a0) { }
    @Override public void setFetchDirection(int a0) { }
    @Override public void setFetchSize(int a0) { }
    @Override public void setMaxFieldSize(int a0) { }
    @Override public void setMaxRows(int a0) { }
    @Override public void setPoolable(boolean a0) { }
    @Override public void setQueryTimeout(int a0) { }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException(getClass().getSimpleName() + " does not wrap " + iface.getName());
    }
}
