package dev.sluice.bench.stub;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/** One row, one column holding {@code 1}. Reused by its statement for every execution. */
public final class StubResultSet implements ResultSet {
    private static final int BEFORE_FIRST = 0;
    private static final int ON_ROW = 1;
    private static final int AFTER_LAST = 2;

    private final StubStatement statement;
    private boolean closed = true;
    private int position;

    StubResultSet(StubStatement statement) {
        this.statement = statement;
    }

    StubResultSet reopen() {
        closed = false;
        position = BEFORE_FIRST;
        return this;
    }

    @Override public boolean absolute(int a0) { return false; }
    @Override public void afterLast() { }
    @Override public void beforeFirst() { }
    @Override public void cancelRowUpdates() { }
    @Override public void clearWarnings() { }
    @Override public void close() { closed = true; }
    @Override public void deleteRow() { }
    @Override public int findColumn(String column) { return 1; }
    @Override public boolean first() { return false; }
    @Override public Array getArray(String a0) { return null; }
    @Override public Array getArray(int a0) { return null; }
    @Override public InputStream getAsciiStream(String a0) { return null; }
    @Override public InputStream getAsciiStream(int a0) { return null; }
    @Deprecated @Override public BigDecimal getBigDecimal(String a0, int a1) { return null; }
    @Override public BigDecimal getBigDecimal(String a0) { return null; }
    @Deprecated @Override public BigDecimal getBigDecimal(int a0, int a1) { return null; }
    @Override public BigDecimal getBigDecimal(int a0) { return null; }
    @Override public InputStream getBinaryStream(String a0) { return null; }
    @Override public InputStream getBinaryStream(int a0) { return null; }
    @Override public Blob getBlob(String a0) { return null; }
    @Override public Blob getBlob(int a0) { return null; }
    @Override public boolean getBoolean(String a0) { return false; }
    @Override public boolean getBoolean(int a0) { return false; }
    @Override public byte getByte(String a0) { return 0; }
    @Override public byte getByte(int a0) { return 0; }
    @Override public byte[] getBytes(String a0) { return null; }
    @Override public byte[] getBytes(int a0) { return null; }
    @Override public Reader getCharacterStream(String a0) { return null; }
    @Override public Reader getCharacterStream(int a0) { return null; }
    @Override public Clob getClob(String a0) { return null; }
    @Override public Clob getClob(int a0) { return null; }
    @Override public int getConcurrency() { return ResultSet.CONCUR_READ_ONLY; }
    @Override public String getCursorName() { return null; }
    @Override public Date getDate(String a0, Calendar a1) { return null; }
    @Override public Date getDate(String a0) { return null; }
    @Override public Date getDate(int a0, Calendar a1) { return null; }
    @Override public Date getDate(int a0) { return null; }
    @Override public double getDouble(String a0) { return 0; }
    @Override public double getDouble(int a0) { return 0; }
    @Override public int getFetchDirection() { return ResultSet.FETCH_FORWARD; }
    @Override public int getFetchSize() { return 0; }
    @Override public float getFloat(String a0) { return 0; }
    @Override public float getFloat(int a0) { return 0; }
    @Override public int getHoldability() { return ResultSet.HOLD_CURSORS_OVER_COMMIT; }
    @Override public int getInt(String column) { return 1; }
    @Override public int getInt(int column) { return 1; }
    @Override public long getLong(String column) { return 1; }
    @Override public long getLong(int column) { return 1; }
    @Override public ResultSetMetaData getMetaData() { return null; }
    @Override public Reader getNCharacterStream(String a0) { return null; }
    @Override public Reader getNCharacterStream(int a0) { return null; }
    @Override public NClob getNClob(String a0) { return null; }
    @Override public NClob getNClob(int a0) { return null; }
    @Override public String getNString(String a0) { return null; }
    @Override public String getNString(int a0) { return null; }
    @Override public <T> T getObject(String a0, Class<T> a1) { return null; }
    @Override public Object getObject(String a0, Map<String, Class<?>> a1) { return null; }
    @Override public Object getObject(String column) { return 1; }
    @Override public <T> T getObject(int a0, Class<T> a1) { return null; }
    @Override public Object getObject(int a0, Map<String, Class<?>> a1) { return null; }
    @Override public Object getObject(int column) { return 1; }
    @Override public Ref getRef(String a0) { return null; }
    @Override public Ref getRef(int a0) { return null; }
    @Override public int getRow() { return position == ON_ROW ? 1 : 0; }
    @Override public RowId getRowId(String a0) { return null; }
    @Override public RowId getRowId(int a0) { return null; }
    @Override public SQLXML getSQLXML(String a0) { return null; }
    @Override public SQLXML getSQLXML(int a0) { return null; }
    @Override public short getShort(String a0) { return 0; }
    @Override public short getShort(int a0) { return 0; }
    @Override public Statement getStatement() { return statement; }
    @Override public String getString(String column) { return "1"; }
    @Override public String getString(int column) { return "1"; }
    @Override public Time getTime(String a0, Calendar a1) { return null; }
    @Override public Time getTime(String a0) { return null; }
    @Override public Time getTime(int a0, Calendar a1) { return null; }
    @Override public Time getTime(int a0) { return null; }
    @Override public Timestamp getTimestamp(String a0, Calendar a1) { return null; }
    @Override public Timestamp getTimestamp(String a0) { return null; }
    @Override public Timestamp getTimestamp(int a0, Calendar a1) { return null; }
    @Override public Timestamp getTimestamp(int a0) { return null; }
    @Override public int getType() { return ResultSet.TYPE_FORWARD_ONLY; }
    @Override public URL getURL(String a0) { return null; }
    @Override public URL getURL(int a0) { return null; }
    @Deprecated @Override public InputStream getUnicodeStream(String a0) { return null; }
    @Deprecated @Override public InputStream getUnicodeStream(int a0) { return null; }
    @Override public SQLWarning getWarnings() { return null; }
    @Override public void insertRow() { }
    @Override public boolean isAfterLast() { return position == AFTER_LAST; }
    @Override public boolean isBeforeFirst() { return position == BEFORE_FIRST; }
    @Override public boolean isClosed() { return closed; }
    @Override public boolean isFirst() { return position == ON_ROW; }
    @Override public boolean isLast() { return position == ON_ROW; }
    @Override public boolean isWrapperFor(Class<?> iface) { return iface.isInstance(this); }
    @Override public boolean last() { return false; }
    @Override public void moveToCurrentRow() { }
    @Override public void moveToInsertRow() { }
    @Override public boolean next() {
        if (position == BEFORE_FIRST) {
            position = ON_ROW;
            return true;
        }
        position = AFTER_LAST;
        return false;
    }
    @Override public boolean previous() { return false; }
    @Override public void refreshRow() { }
    @Override public boolean relative(int a0) { return false; }
    @Override public boolean rowDeleted() { return false; }
    @Override public boolean rowInserted() { return false; }
    @Override public boolean rowUpdated() { return false; }
    @Override public void setFetchDirection(int a0) { }
    @Override public void setFetchSize(int a0) { }
    @Override public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException(getClass().getSimpleName() + " does not wrap " + iface.getName());
    }
    @Override public void updateArray(String a0, Array a1) { }
    @Override public void updateArray(int a0, Array a1) { }
    @Override public void updateAsciiStream(String a0, InputStream a1, int a2) { }
    @Override public void updateAsciiStream(String a0, InputStream a1, long a2) { }
    @Override public void updateAsciiStream(String a0, InputStream a1) { }
    @Override public void updateAsciiStream(int a0, InputStream a1, int a2) { }
    @Override public void updateAsciiStream(int a0, InputStream a1, long a2) { }
    @Override public void updateAsciiStream(int a0, InputStream a1) { }
    @Override public void updateBigDecimal(String a0, BigDecimal a1) { }
    @Override public void updateBigDecimal(int a0, BigDecimal a1) { }
    @Override public void updateBinaryStream(String a0, InputStream a1, int a2) { }
    @Override public void updateBinaryStream(String a0, InputStream a1, long a2) { }
    @Override public void updateBinaryStream(String a0, InputStream a1) { }
    @Override public void updateBinaryStream(int a0, InputStream a1, int a2) { }
    @Override public void updateBinaryStream(int a0, InputStream a1, long a2) { }
    @Override public void updateBinaryStream(int a0, InputStream a1) { }
    @Override public void updateBlob(String a0, InputStream a1, long a2) { }
    @Override public void updateBlob(String a0, InputStream a1) { }
    @Override public void updateBlob(String a0, Blob a1) { }
    @Override public void updateBlob(int a0, InputStream a1, long a2) { }
    @Override public void updateBlob(int a0, InputStream a1) { }
    @Override public void updateBlob(int a0, Blob a1) { }
    @Override public void updateBoolean(String a0, boolean a1) { }
    @Override public void updateBoolean(int a0, boolean a1) { }
    @Override public void updateByte(String a0, byte a1) { }
    @Override public void updateByte(int a0, byte a1) { }
    @Override public void updateBytes(String a0, byte[] a1) { }
    @Override public void updateBytes(int a0, byte[] a1) { }
    @Override public void updateCharacterStream(String a0, Reader a1, int a2) { }
    @Override public void updateCharacterStream(String a0, Reader a1, long a2) { }
    @Override public void updateCharacterStream(String a0, Reader a1) { }
    @Override public void updateCharacterStream(int a0, Reader a1, int a2) { }
    @Override public void updateCharacterStream(int a0, Reader a1, long a2) { }
    @Override public void updateCharacterStream(int a0, Reader a1) { }
    @Override public void updateClob(String a0, Reader a1, long a2) { }
    @Override public void updateClob(String a0, Reader a1) { }
    @Override public void updateClob(String a0, Clob a1) { }
    @Override public void updateClob(int a0, Reader a1, long a2) { }
    @Override public void updateClob(int a0, Reader a1) { }
    @Override public void updateClob(int a0, Clob a1) { }
    @Override public void updateDate(String a0, Date a1) { }
    @Override public void updateDate(int a0, Date a1) { }
    @Override public void updateDouble(String a0, double a1) { }
    @Override public void updateDouble(int a0, double a1) { }
    @Override public void updateFloat(String a0, float a1) { }
    @Override public void updateFloat(int a0, float a1) { }
    @Override public void updateInt(String a0, int a1) { }
    @Override public void updateInt(int a0, int a1) { }
    @Override public void updateLong(String a0, long a1) { }
    @Override public void updateLong(int a0, long a1) { }
    @Override public void updateNCharacterStream(String a0, Reader a1, long a2) { }
    @Override public void updateNCharacterStream(String a0, Reader a1) { }
    @Override public void updateNCharacterStream(int a0, Reader a1, long a2) { }
    @Override public void updateNCharacterStream(int a0, Reader a1) { }
    @Override public void updateNClob(String a0, Reader a1, long a2) { }
    @Override public void updateNClob(String a0, Reader a1) { }
    @Override public void updateNClob(String a0, NClob a1) { }
    @Override public void updateNClob(int a0, Reader a1, long a2) { }
    @Override public void updateNClob(int a0, Reader a1) { }
    @Override public void updateNClob(int a0, NClob a1) { }
    @Override public void updateNString(String a0, String a1) { }
    @Override public void updateNString(int a0, String a1) { }
    @Override public void updateNull(String a0) { }
    @Override public void updateNull(int a0) { }
    @Override public void updateObject(String a0, Object a1, int a2) { }
    @Override public void updateObject(String a0, Object a1) { }
    @Override public void updateObject(int a0, Object a1, int a2) { }
    @Override public void updateObject(int a0, Object a1) { }
    @Override public void updateRef(String a0, Ref a1) { }
    @Override public void updateRef(int a0, Ref a1) { }
    @Override public void updateRow() { }
    @Override public void updateRowId(String a0, RowId a1) { }
    @Override public void updateRowId(int a0, RowId a1) { }
    @Override public void updateSQLXML(String a0, SQLXML a1) { }
    @Override public void updateSQLXML(int a0, SQLXML a1) { }
    @Override public void updateShort(String a0, short a1) { }
    @Override public void updateShort(int a0, short a1) { }
    @Override public void updateString(String a0, String a1) { }
    @Override public void updateString(int a0, String a1) { }
    @Override public void updateTime(String a0, Time a1) { }
    @Override public void updateTime(int a0, Time a1) { }
    @Override public void updateTimestamp(String a0, Timestamp a1) { }
    @Override public void updateTimestamp(int a0, Timestamp a1) { }
    @Override public boolean wasNull() { return false; }
}
