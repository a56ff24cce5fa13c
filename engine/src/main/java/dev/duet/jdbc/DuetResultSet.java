package dev.duet.jdbc;

import static dev.duet.jdbc.JdbcErrors.error;

import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import dev.duet.planner.OutputColumn;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A forward-only, read-only result set that streams the Arrow batches of a {@link BatchSource}:
 * it holds one batch at a time and reads each getter's value straight from the batch's vectors
 * ({@link JdbcConversions}), so rows are never copied into objects. Query results and the rows of
 * {@link DuetDatabaseMetaData} are both read through this class.
 *
 * <p>The source is closed (freeing the query's memory) as soon as the last row has been passed,
 * when the result set is closed, or when reading fails. Used by one thread at a time, as JDBC
 * objects are.
 */
final class DuetResultSet implements ResultSet {
    private final Statement statement;
    private final List<OutputColumn> columns;
    private final DataType[] types;
    private final BatchSource source;
    /** Rows to return at most (Statement.setMaxRows); 0 for no limit. */
    private final long maxRows;
    private Map<String, Integer> columnsByLabel;
    /** Told when this result set closes (driver-built rows: the connection tracks them); may be null. */
    private Consumer<DuetResultSet> onClose;

    /**
     * The source's rows as Java values (see {@link BatchSource#valueRows()}), or null when they
     * come as batches.
     */
    private final List<Object[]> valueRows;
    private final BatchRow batchRow;
    private final ValuesRow valuesRow;
    /** The row the cursor is on ({@link #batchRow} or {@link #valuesRow}); null before the first row and after the last. */
    private CurrentRow current;
    private VectorSchemaRoot batch;
    private FieldVector[] vectors;
    /** Row of the current batch (or of {@link #valueRows}) the cursor is on; -1 before its first. */
    private int position = -1;
    /** 1-based number of the current row overall; 0 before the first row. */
    private long rowNumber;
    private boolean afterLast;
    private boolean sourceClosed;
    private boolean closed;
    private boolean wasNull;
    private int fetchSize;

    /**
     * @param statement the statement that produced the rows, or null for metadata rows
     * @param maxRows   the most rows to return; 0 for all
     */
    DuetResultSet(Statement statement, List<OutputColumn> columns, BatchSource source, long maxRows) {
        this.statement = statement;
        this.columns = List.copyOf(columns);
        this.source = source;
        this.maxRows = maxRows;
        this.types = new DataType[columns.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = columns.get(i).type();
        }
        this.valueRows = source.valueRows();
        this.batchRow = valueRows == null ? new BatchRow(types) : null;
        this.valuesRow = valueRows == null ? null : new ValuesRow(types);
    }

    /**
     * Rows the driver built in memory (metadata), in batch memory under {@code allocator};
     * {@code onClose} runs when the result set closes.
     */
    static DuetResultSet ofRows(BufferAllocator allocator, List<OutputColumn> columns, List<Object[]> rows,
            Consumer<DuetResultSet> onClose) {
        DuetResultSet rs = new DuetResultSet(null, columns, new RowsSource(allocator, columns, rows), 0);
        rs.onClose = onClose;
        return rs;
    }

    List<OutputColumn> columns() {
        return columns;
    }

    // ---------------------------------------------------------------- cursor

    @Override
    public boolean next() throws SQLException {
        checkOpen();
        if (afterLast) {
            return false;
        }
        if (maxRows > 0 && rowNumber >= maxRows) {
            return end();
        }
        position++;
        if (valueRows != null) {
            if (position >= valueRows.size()) {
                return end();
            }
            valuesRow.moveTo(valueRows.get(position));
            current = valuesRow;
            rowNumber++;
            return true;
        }
        while (batch == null || position >= batch.getRowCount()) {
            VectorSchemaRoot nextBatch;
            try {
                nextBatch = source.nextBatch();
            } catch (RuntimeException e) {
                afterLast = true;
                closeSource();
                throw JdbcErrors.translate(e);
            }
            if (nextBatch == null) {
                return end();
            }
            batch = nextBatch;
            List<FieldVector> fieldVectors = nextBatch.getFieldVectors();
            if (fieldVectors.size() != types.length) {
                throw new IllegalStateException("a batch of " + fieldVectors.size() + " columns in a result of "
                        + types.length);
            }
            vectors = fieldVectors.toArray(new FieldVector[0]);
            position = 0;
        }
        batchRow.moveTo(vectors, position);
        current = batchRow;
        rowNumber++;
        return true;
    }

    private boolean end() {
        afterLast = true;
        position = -1;
        current = null;
        closeSource();
        return false;
    }

    private void closeSource() {
        if (!sourceClosed) {
            sourceClosed = true;
            batch = null;
            vectors = null;
            current = null;
            source.close();
        }
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeSource();
        } catch (RuntimeException e) {
            throw JdbcErrors.translate(e);
        } finally {
            if (statement instanceof DuetStatement s) {
                s.resultSetClosed(this);
            }
            if (onClose != null) {
                onClose.accept(this);
            }
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() throws SQLException {
        if (closed) {
            throw error(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "this ResultSet is closed");
        }
    }

    /** True if column {@code column} (1-based) of the current row is not NULL; sets {@link #wasNull}. */
    private boolean present(int column) throws SQLException {
        checkOpen();
        if (column < 1 || column > types.length) {
            throw error(SqlState.INVALID_PARAMETER_VALUE,
                    "column index %d is out of range (the result has %d columns)", column, types.length);
        }
        if (current == null) {
            throw error(SqlState.INVALID_CURSOR_STATE, afterLast
                    ? "the ResultSet is positioned after its last row" : "the ResultSet is positioned before its first row: call next()");
        }
        wasNull = current.isNull(column - 1);
        return !wasNull;
    }

    @Override
    public boolean wasNull() throws SQLException {
        checkOpen();
        return wasNull;
    }

    @Override
    public int findColumn(String columnLabel) throws SQLException {
        checkOpen();
        if (columnLabel == null) {
            throw error(SqlState.UNDEFINED_COLUMN, "column name is null");
        }
        if (columnsByLabel == null) {
            // Exact spellings first, then lower-cased ones; the first column of a name wins (JDBC).
            Map<String, Integer> m = new HashMap<>();
            for (int i = columns.size() - 1; i >= 0; i--) {
                m.put(columns.get(i).name().toLowerCase(Locale.ROOT), i + 1);
            }
            for (int i = columns.size() - 1; i >= 0; i--) {
                m.put(columns.get(i).name(), i + 1);
            }
            columnsByLabel = m;
        }
        Integer index = columnsByLabel.get(columnLabel);
        if (index == null) {
            index = columnsByLabel.get(columnLabel.toLowerCase(Locale.ROOT));
        }
        if (index == null) {
            throw error(SqlState.UNDEFINED_COLUMN, "the result has no column named \"%s\"", columnLabel);
        }
        return index;
    }

    // ---------------------------------------------------------------- getters by index

    @Override
    public String getString(int columnIndex) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getString(current, columnIndex - 1, types[columnIndex - 1]) : null;
    }

    @Override
    public boolean getBoolean(int columnIndex) throws SQLException {
        return present(columnIndex) && JdbcConversions.getBoolean(current, columnIndex - 1, types[columnIndex - 1]);
    }

    @Override
    public byte getByte(int columnIndex) throws SQLException {
        return present(columnIndex) ? (byte) JdbcConversions.getLong(current, columnIndex - 1, types[columnIndex - 1],
                Byte.MIN_VALUE, Byte.MAX_VALUE, "tinyint") : 0;
    }

    @Override
    public short getShort(int columnIndex) throws SQLException {
        return present(columnIndex) ? (short) JdbcConversions.getLong(current, columnIndex - 1, types[columnIndex - 1],
                Short.MIN_VALUE, Short.MAX_VALUE, "smallint") : 0;
    }

    @Override
    public int getInt(int columnIndex) throws SQLException {
        return present(columnIndex) ? (int) JdbcConversions.getLong(current, columnIndex - 1, types[columnIndex - 1],
                Integer.MIN_VALUE, Integer.MAX_VALUE, "integer") : 0;
    }

    @Override
    public long getLong(int columnIndex) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getLong(current, columnIndex - 1, types[columnIndex - 1],
                Long.MIN_VALUE, Long.MAX_VALUE, "bigint") : 0;
    }

    @Override
    public float getFloat(int columnIndex) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getFloat(current, columnIndex - 1, types[columnIndex - 1]) : 0;
    }

    @Override
    public double getDouble(int columnIndex) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getDouble(current, columnIndex - 1, types[columnIndex - 1]) : 0;
    }

    @Override
    public BigDecimal getBigDecimal(int columnIndex) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getBigDecimal(current, columnIndex - 1, types[columnIndex - 1]) : null;
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int columnIndex, int scale) throws SQLException {
        BigDecimal d = getBigDecimal(columnIndex);
        return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    public byte[] getBytes(int columnIndex) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getBytes(current, columnIndex - 1, types[columnIndex - 1]) : null;
    }

    @Override
    public java.sql.Date getDate(int columnIndex) throws SQLException {
        return getDate(columnIndex, (Calendar) null);
    }

    @Override
    public java.sql.Date getDate(int columnIndex, Calendar cal) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getDate(current, columnIndex - 1, types[columnIndex - 1], cal) : null;
    }

    @Override
    public Time getTime(int columnIndex) throws SQLException {
        return getTime(columnIndex, (Calendar) null);
    }

    @Override
    public Time getTime(int columnIndex, Calendar cal) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getTime(current, columnIndex - 1, types[columnIndex - 1], cal) : null;
    }

    @Override
    public Timestamp getTimestamp(int columnIndex) throws SQLException {
        return getTimestamp(columnIndex, (Calendar) null);
    }

    @Override
    public Timestamp getTimestamp(int columnIndex, Calendar cal) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getTimestamp(current, columnIndex - 1, types[columnIndex - 1], cal) : null;
    }

    @Override
    public Object getObject(int columnIndex) throws SQLException {
        return present(columnIndex) ? JdbcConversions.getObject(current, columnIndex - 1, types[columnIndex - 1]) : null;
    }

    @Override
    public <T> T getObject(int columnIndex, Class<T> type) throws SQLException {
        if (type == null) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "type is null");
        }
        return present(columnIndex) ? JdbcConversions.getObject(current, columnIndex - 1, types[columnIndex - 1], type) : null;
    }

    @Override
    public Object getObject(int columnIndex, Map<String, Class<?>> map) throws SQLException {
        if (map != null && !map.isEmpty()) {
            throw JdbcErrors.notSupported("user-defined type maps");
        }
        return getObject(columnIndex);
    }

    @Override
    public InputStream getAsciiStream(int columnIndex) throws SQLException {
        String s = getString(columnIndex);
        return s == null ? null : new ByteArrayInputStream(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("getUnicodeStream");
    }

    @Override
    public InputStream getBinaryStream(int columnIndex) throws SQLException {
        byte[] b = getBytes(columnIndex);
        return b == null ? null : new ByteArrayInputStream(b);
    }

    @Override
    public Reader getCharacterStream(int columnIndex) throws SQLException {
        String s = getString(columnIndex);
        return s == null ? null : new StringReader(s);
    }

    @Override
    public String getNString(int columnIndex) throws SQLException {
        return getString(columnIndex);
    }

    @Override
    public Reader getNCharacterStream(int columnIndex) throws SQLException {
        return getCharacterStream(columnIndex);
    }

    @Override
    public Ref getRef(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("REF values");
    }

    @Override
    public Blob getBlob(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("BLOB values (use getBytes)");
    }

    @Override
    public Clob getClob(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("CLOB values (use getString)");
    }

    @Override
    public NClob getNClob(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("NCLOB values (use getString)");
    }

    @Override
    public Array getArray(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("ARRAY values");
    }

    @Override
    public URL getURL(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("DATALINK values");
    }

    @Override
    public RowId getRowId(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("ROWID values");
    }

    @Override
    public SQLXML getSQLXML(int columnIndex) throws SQLException {
        throw JdbcErrors.notSupported("XML values");
    }

    @Override
    public String getString(String columnLabel) throws SQLException {
        return getString(findColumn(columnLabel));
    }

    @Override
    public boolean getBoolean(String columnLabel) throws SQLException {
        return getBoolean(findColumn(columnLabel));
    }

    @Override
    public byte getByte(String columnLabel) throws SQLException {
        return getByte(findColumn(columnLabel));
    }

    @Override
    public short getShort(String columnLabel) throws SQLException {
        return getShort(findColumn(columnLabel));
    }

    @Override
    public int getInt(String columnLabel) throws SQLException {
        return getInt(findColumn(columnLabel));
    }

    @Override
    public long getLong(String columnLabel) throws SQLException {
        return getLong(findColumn(columnLabel));
    }

    @Override
    public float getFloat(String columnLabel) throws SQLException {
        return getFloat(findColumn(columnLabel));
    }

    @Override
    public double getDouble(String columnLabel) throws SQLException {
        return getDouble(findColumn(columnLabel));
    }

    @Override
    public BigDecimal getBigDecimal(String columnLabel) throws SQLException {
        return getBigDecimal(findColumn(columnLabel));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(String columnLabel, int scale) throws SQLException {
        return getBigDecimal(findColumn(columnLabel), scale);
    }

    @Override
    public byte[] getBytes(String columnLabel) throws SQLException {
        return getBytes(findColumn(columnLabel));
    }

    @Override
    public java.sql.Date getDate(String columnLabel) throws SQLException {
        return getDate(findColumn(columnLabel));
    }

    @Override
    public java.sql.Date getDate(String columnLabel, Calendar cal) throws SQLException {
        return getDate(findColumn(columnLabel), cal);
    }

    @Override
    public Time getTime(String columnLabel) throws SQLException {
        return getTime(findColumn(columnLabel));
    }

    @Override
    public Time getTime(String columnLabel, Calendar cal) throws SQLException {
        return getTime(findColumn(columnLabel), cal);
    }

    @Override
    public Timestamp getTimestamp(String columnLabel) throws SQLException {
        return getTimestamp(findColumn(columnLabel));
    }

    @Override
    public Timestamp getTimestamp(String columnLabel, Calendar cal) throws SQLException {
        return getTimestamp(findColumn(columnLabel), cal);
    }

    @Override
    public Object getObject(String columnLabel) throws SQLException {
        return getObject(findColumn(columnLabel));
    }

    @Override
    public Object getObject(String columnLabel, Map<String, Class<?>> map) throws SQLException {
        return getObject(findColumn(columnLabel), map);
    }

    @Override
    public InputStream getAsciiStream(String columnLabel) throws SQLException {
        return getAsciiStream(findColumn(columnLabel));
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(String columnLabel) throws SQLException {
        return getUnicodeStream(findColumn(columnLabel));
    }

    @Override
    public InputStream getBinaryStream(String columnLabel) throws SQLException {
        return getBinaryStream(findColumn(columnLabel));
    }

    @Override
    public Reader getCharacterStream(String columnLabel) throws SQLException {
        return getCharacterStream(findColumn(columnLabel));
    }

    @Override
    public String getNString(String columnLabel) throws SQLException {
        return getNString(findColumn(columnLabel));
    }

    @Override
    public Reader getNCharacterStream(String columnLabel) throws SQLException {
        return getNCharacterStream(findColumn(columnLabel));
    }

    @Override
    public Ref getRef(String columnLabel) throws SQLException {
        return getRef(findColumn(columnLabel));
    }

    @Override
    public Blob getBlob(String columnLabel) throws SQLException {
        return getBlob(findColumn(columnLabel));
    }

    @Override
    public Clob getClob(String columnLabel) throws SQLException {
        return getClob(findColumn(columnLabel));
    }

    @Override
    public NClob getNClob(String columnLabel) throws SQLException {
        return getNClob(findColumn(columnLabel));
    }

    @Override
    public Array getArray(String columnLabel) throws SQLException {
        return getArray(findColumn(columnLabel));
    }

    @Override
    public URL getURL(String columnLabel) throws SQLException {
        return getURL(findColumn(columnLabel));
    }

    @Override
    public RowId getRowId(String columnLabel) throws SQLException {
        return getRowId(findColumn(columnLabel));
    }

    @Override
    public SQLXML getSQLXML(String columnLabel) throws SQLException {
        return getSQLXML(findColumn(columnLabel));
    }

    @Override
    public <T> T getObject(String columnLabel, Class<T> type) throws SQLException {
        return getObject(findColumn(columnLabel), type);
    }

    // ---------------------------------------------------------------- description and position

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return new DuetResultSetMetaData(columns);
    }

    @Override
    public Statement getStatement() throws SQLException {
        checkOpen();
        return statement;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
    }

    @Override
    public String getCursorName() throws SQLException {
        throw JdbcErrors.notSupported("named cursors");
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        checkOpen();
        return rowNumber == 0 && !afterLast; // JDBC: false for a result without rows once known
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        checkOpen();
        return afterLast && rowNumber > 0;
    }

    @Override
    public boolean isFirst() throws SQLException {
        checkOpen();
        return rowNumber == 1 && !afterLast;
    }

    @Override
    public boolean isLast() throws SQLException {
        throw JdbcErrors.notSupported("isLast on a streaming forward-only ResultSet");
    }

    @Override
    public int getRow() throws SQLException {
        checkOpen();
        return afterLast || rowNumber > Integer.MAX_VALUE ? 0 : (int) rowNumber;
    }

    @Override
    public void beforeFirst() throws SQLException {
        throw forwardOnly();
    }

    @Override
    public void afterLast() throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean first() throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean last() throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean absolute(int row) throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean relative(int rows) throws SQLException {
        throw forwardOnly();
    }

    @Override
    public boolean previous() throws SQLException {
        throw forwardOnly();
    }

    private SQLException forwardOnly() throws SQLException {
        checkOpen();
        return error(SqlState.INVALID_CURSOR_STATE, "this ResultSet is TYPE_FORWARD_ONLY: it can only move with next()");
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != FETCH_FORWARD) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "a TYPE_FORWARD_ONLY ResultSet only fetches forward");
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return FETCH_FORWARD;
    }

    /** A hint only: rows arrive in the executor's batches whatever the fetch size. */
    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "fetch size must not be negative, got %d", rows);
        }
        fetchSize = rows;
    }

    @Override
    public int getFetchSize() throws SQLException {
        checkOpen();
        return fetchSize;
    }

    @Override
    public int getType() throws SQLException {
        checkOpen();
        return TYPE_FORWARD_ONLY;
    }

    @Override
    public int getConcurrency() throws SQLException {
        checkOpen();
        return CONCUR_READ_ONLY;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowInserted() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return JdbcErrors.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    // ---------------------------------------------------------------- updates: this result set is read-only

    private static SQLException readOnly() {
        return JdbcErrors.notSupported("updating a ResultSet (Duet's result sets are CONCUR_READ_ONLY)");
    }

    @Override
    public void updateNull(int columnIndex) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNull(String columnLabel) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBoolean(int columnIndex, boolean x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBoolean(String columnLabel, boolean x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateByte(int columnIndex, byte x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateByte(String columnLabel, byte x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateShort(int columnIndex, short x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateShort(String columnLabel, short x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateInt(int columnIndex, int x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateInt(String columnLabel, int x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateLong(int columnIndex, long x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateLong(String columnLabel, long x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateFloat(int columnIndex, float x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateFloat(String columnLabel, float x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateDouble(int columnIndex, double x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateDouble(String columnLabel, double x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBigDecimal(int columnIndex, BigDecimal x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBigDecimal(String columnLabel, BigDecimal x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateString(int columnIndex, String x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateString(String columnLabel, String x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBytes(int columnIndex, byte[] x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBytes(String columnLabel, byte[] x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateDate(int columnIndex, java.sql.Date x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateDate(String columnLabel, java.sql.Date x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateTime(int columnIndex, Time x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateTime(String columnLabel, Time x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateTimestamp(int columnIndex, Timestamp x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateTimestamp(String columnLabel, Timestamp x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream x, int length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream x, int length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream x, int length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream x, int length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader x, int length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader x, int length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateObject(int columnIndex, Object x, int scaleOrLength) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateObject(String columnLabel, Object x, int scaleOrLength) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateObject(int columnIndex, Object x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateObject(String columnLabel, Object x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateRef(int columnIndex, Ref x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateRef(String columnLabel, Ref x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBlob(int columnIndex, Blob x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBlob(String columnLabel, Blob x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateClob(int columnIndex, Clob x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateClob(String columnLabel, Clob x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateArray(int columnIndex, Array x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateArray(String columnLabel, Array x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateRowId(int columnIndex, RowId x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateRowId(String columnLabel, RowId x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNString(int columnIndex, String x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNString(String columnLabel, String x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNClob(int columnIndex, NClob x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNClob(String columnLabel, NClob x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateSQLXML(int columnIndex, SQLXML x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateSQLXML(String columnLabel, SQLXML x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNCharacterStream(int columnIndex, Reader x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNCharacterStream(String columnLabel, Reader x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBlob(int columnIndex, InputStream x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBlob(String columnLabel, InputStream x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateClob(int columnIndex, Reader x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateClob(String columnLabel, Reader x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNClob(int columnIndex, Reader x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNClob(String columnLabel, Reader x, long length) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNCharacterStream(int columnIndex, Reader x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNCharacterStream(String columnLabel, Reader x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateAsciiStream(int columnIndex, InputStream x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateAsciiStream(String columnLabel, InputStream x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBinaryStream(int columnIndex, InputStream x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBinaryStream(String columnLabel, InputStream x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateCharacterStream(int columnIndex, Reader x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateCharacterStream(String columnLabel, Reader x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBlob(int columnIndex, InputStream x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateBlob(String columnLabel, InputStream x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateClob(int columnIndex, Reader x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateClob(String columnLabel, Reader x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNClob(int columnIndex, Reader x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateNClob(String columnLabel, Reader x) throws SQLException {
        throw readOnly();
    }

    @Override
    public void insertRow() throws SQLException {
        throw readOnly();
    }

    @Override
    public void updateRow() throws SQLException {
        throw readOnly();
    }

    @Override
    public void deleteRow() throws SQLException {
        throw readOnly();
    }

    @Override
    public void refreshRow() throws SQLException {
        throw readOnly();
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        throw readOnly();
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        throw readOnly();
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        throw readOnly();
    }
}
