package dev.duet.jdbc;

import static dev.duet.jdbc.JdbcErrors.error;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import dev.duet.core.types.TextValues;
import dev.duet.engine.sql.BatchOutcome;
import dev.duet.engine.sql.Prepared;
import dev.duet.engine.sql.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.List;
import java.util.function.Supplier;

/**
 * A statement planned once ({@link dev.duet.engine.sql.Session#prepare}) and run with parameter
 * values any number of times, batches included, without planning again.
 *
 * <p>Parameter values: Java values of the types JDBC names for each setter; {@code java.sql.Date}
 * and {@code Timestamp} become {@link LocalDate} and {@link LocalDateTime} (read in the JVM's time
 * zone, or the given {@link Calendar}'s); {@link OffsetDateTime}, {@link ZonedDateTime} and
 * {@link Instant} are converted to UTC, matching how they are read back. A string given for a
 * parameter of another type is parsed as that type's literal (as PostgreSQL treats an untyped
 * string). Duet has no TIME type: time values are rejected (0A000).
 */
final class DuetPreparedStatement extends DuetStatement implements PreparedStatement {
    private final Prepared prepared;
    private final List<DataType> parameterTypes;
    private final Object[] values;
    private final boolean[] bound;
    /**
     * {@link #values} as a list, handed to the session by {@link #execute()}: the session copies
     * what it keeps while the statement runs (on this thread, under the session lock), so no copy
     * is needed per execution; a batch keeps a copy per statement ({@link #addBatch()}).
     */
    private final List<Object> valuesView;
    private final List<List<Object>> batch = new ArrayList<>();
    /** One execution with the bound values (made once rather than a lambda per execution). */
    private final Supplier<Result> executeBound;

    DuetPreparedStatement(DuetConnection connection, String sql) throws SQLException {
        super(connection);
        if (sql == null) {
            throw error(SqlState.SYNTAX_ERROR, "the SQL text is null");
        }
        this.prepared = run(() -> connection.session().prepare(sql));
        this.parameterTypes = prepared.parameterTypes();
        this.values = new Object[parameterTypes.size()];
        this.bound = new boolean[values.length];
        this.valuesView = Arrays.asList(values);
        this.executeBound = () -> connection.session().execute(prepared, valuesView);
    }

    // ---------------------------------------------------------------- running

    /** 07001 unless every parameter is bound. */
    private void checkBound() throws SQLException {
        for (int i = 0; i < bound.length; i++) {
            if (!bound[i]) {
                throw error(SqlState.WRONG_PARAMETER_COUNT, "no value specified for parameter %d", i + 1);
            }
        }
    }

    @Override
    public boolean execute() throws SQLException {
        checkOpen();
        clearResults();
        checkBound();
        return setResult(run(executeBound));
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        execute();
        return requireResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        return clampCount(executeLargeUpdate());
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        execute();
        return requireUpdateCount();
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        checkBound();
        batch.add(Arrays.asList(values.clone()));
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
    }

    /**
     * Runs the batch through {@link dev.duet.engine.sql.Session#executeBatch}: in auto-commit mode,
     * one transaction for the whole batch; a failure stops it, keeps the statements before the
     * failing one, and reports their counts in the {@link java.sql.BatchUpdateException}.
     */
    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        clearResults();
        List<List<Object>> sets = List.copyOf(batch);
        batch.clear();
        BatchOutcome outcome = run(() -> connection.session().executeBatch(prepared, sets));
        if (outcome.failure() != null) {
            throw batchFailure(JdbcErrors.translate(outcome.failure()), outcome.counts());
        }
        return outcome.counts();
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return prepared.columns().isEmpty() ? null : new DuetResultSetMetaData(prepared.columns());
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        checkOpen();
        return new DuetParameterMetaData(parameterTypes);
    }

    // ---------------------------------------------------------------- binding

    /** Binds parameter {@code index} (1-based) to {@code value}, normalised to what the session accepts. */
    private void bind(int index, Object value) throws SQLException {
        set(index, normalise(value));
    }

    /** Binds parameter {@code index} (1-based) to {@code value}, a value the session takes as it is. */
    private void set(int index, Object value) throws SQLException {
        checkOpen();
        if (index < 1 || index > values.length) {
            throw error(SqlState.INVALID_PARAMETER_VALUE,
                    "parameter index %d is out of range (the statement has %d parameters)", index, values.length);
        }
        values[index - 1] = value;
        bound[index - 1] = true;
    }

    private static Object normalise(Object value) throws SQLException {
        if (value == null) {
            return null;
        }
        if (value instanceof Character c) {
            return c.toString(); // a string for a parameter of another type is parsed by the session
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (value instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (value instanceof Time || value instanceof LocalTime || value instanceof OffsetTime) {
            throw JdbcErrors.notSupported("TIME values (Duet has no TIME type)");
        }
        if (value instanceof java.util.Date d) {
            return new Timestamp(d.getTime()).toLocalDateTime();
        }
        if (value instanceof OffsetDateTime t) {
            return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (value instanceof ZonedDateTime t) {
            return t.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
        }
        if (value instanceof Instant t) {
            return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
        }
        if (value instanceof Blob b) {
            return b.getBytes(1, (int) Math.min(b.length(), Integer.MAX_VALUE));
        }
        if (value instanceof Clob c) {
            return c.getSubString(1, (int) Math.min(c.length(), Integer.MAX_VALUE));
        }
        return value; // Boolean, numbers, byte[], LocalDate, LocalDateTime: the session coerces them
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        Arrays.fill(values, null);
        Arrays.fill(bound, false);
    }

    @Override
    public void setNull(int parameterIndex, int sqlType) throws SQLException {
        bind(parameterIndex, null);
    }

    @Override
    public void setNull(int parameterIndex, int sqlType, String typeName) throws SQLException {
        bind(parameterIndex, null);
    }

    @Override
    public void setBoolean(int parameterIndex, boolean x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setByte(int parameterIndex, byte x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setShort(int parameterIndex, short x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setInt(int parameterIndex, int x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setLong(int parameterIndex, long x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setFloat(int parameterIndex, float x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setDouble(int parameterIndex, double x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setBigDecimal(int parameterIndex, BigDecimal x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setString(int parameterIndex, String x) throws SQLException {
        set(parameterIndex, x);
    }

    @Override
    public void setNString(int parameterIndex, String value) throws SQLException {
        set(parameterIndex, value);
    }

    @Override
    public void setBytes(int parameterIndex, byte[] x) throws SQLException {
        bind(parameterIndex, x == null ? null : x.clone());
    }

    @Override
    public void setDate(int parameterIndex, java.sql.Date x) throws SQLException {
        bind(parameterIndex, x);
    }

    @Override
    public void setDate(int parameterIndex, java.sql.Date x, Calendar cal) throws SQLException {
        bind(parameterIndex, x == null || cal == null ? x
                : Instant.ofEpochMilli(x.getTime()).atZone(zone(cal)).toLocalDate());
    }

    @Override
    public void setTime(int parameterIndex, Time x) throws SQLException {
        bind(parameterIndex, x);
    }

    @Override
    public void setTime(int parameterIndex, Time x, Calendar cal) throws SQLException {
        bind(parameterIndex, x);
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
        bind(parameterIndex, x);
    }

    @Override
    public void setTimestamp(int parameterIndex, Timestamp x, Calendar cal) throws SQLException {
        bind(parameterIndex, x == null || cal == null ? x : LocalDateTime.ofInstant(x.toInstant(), zone(cal)));
    }

    private static ZoneId zone(Calendar cal) {
        return cal.getTimeZone().toZoneId();
    }

    @Override
    public void setObject(int parameterIndex, Object x) throws SQLException {
        bind(parameterIndex, x);
    }

    /**
     * Binds {@code x} meant as a value of {@code targetSqlType}: a string is parsed as that type
     * (so {@code setObject(i, "42", Types.INTEGER)} binds 42); other values bind as themselves.
     */
    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
        if (x instanceof String s && targetSqlType != Types.VARCHAR && targetSqlType != Types.CHAR
                && targetSqlType != Types.LONGVARCHAR && targetSqlType != Types.NVARCHAR && targetSqlType != Types.OTHER) {
            DataType target = typeOf(targetSqlType);
            try {
                if (target != null) {
                    x = TextValues.parse(target, s, null);
                } else if (targetSqlType == Types.DECIMAL || targetSqlType == Types.NUMERIC) {
                    x = new BigDecimal(s.strip()); // any precision: the parameter's type rounds it
                }
            } catch (DuetException e) {
                throw e.toSQLException();
            } catch (NumberFormatException e) {
                throw error(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type numeric: \"%s\"", s);
            }
        }
        bind(parameterIndex, x);
    }

    @Override
    public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
        setObject(parameterIndex, x, targetSqlType);
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType, int scaleOrLength) throws SQLException {
        setObject(parameterIndex, x, targetSqlType);
    }

    @Override
    public void setObject(int parameterIndex, Object x, SQLType targetSqlType) throws SQLException {
        Integer code = targetSqlType == null ? null : targetSqlType.getVendorTypeNumber();
        if (code == null) {
            bind(parameterIndex, x);
        } else {
            setObject(parameterIndex, x, code);
        }
    }

    /** The Duet type a {@link Types} code names, or null where none fits (DECIMAL: no one precision fits). */
    private static DataType typeOf(int sqlType) {
        return switch (sqlType) {
            case Types.BOOLEAN, Types.BIT -> DataType.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT -> DataType.SMALLINT;
            case Types.INTEGER -> DataType.INTEGER;
            case Types.BIGINT -> DataType.BIGINT;
            case Types.REAL -> DataType.REAL;
            case Types.FLOAT, Types.DOUBLE -> DataType.DOUBLE;
            case Types.DATE -> DataType.DATE;
            case Types.TIMESTAMP -> DataType.TIMESTAMP;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> DataType.BYTEA;
            default -> null;
        };
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, int length) throws SQLException {
        setAsciiStream(parameterIndex, x, (long) length);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x, long length) throws SQLException {
        setAsciiStream(parameterIndex, x);
    }

    @Override
    public void setAsciiStream(int parameterIndex, InputStream x) throws SQLException {
        bind(parameterIndex, x == null ? null : new String(readAll(x), StandardCharsets.US_ASCII));
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int parameterIndex, InputStream x, int length) throws SQLException {
        throw JdbcErrors.notSupported("setUnicodeStream");
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, int length) throws SQLException {
        setBinaryStream(parameterIndex, x);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x, long length) throws SQLException {
        setBinaryStream(parameterIndex, x);
    }

    @Override
    public void setBinaryStream(int parameterIndex, InputStream x) throws SQLException {
        bind(parameterIndex, x == null ? null : readAll(x));
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, int length) throws SQLException {
        setCharacterStream(parameterIndex, reader);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader, long length) throws SQLException {
        setCharacterStream(parameterIndex, reader);
    }

    @Override
    public void setCharacterStream(int parameterIndex, Reader reader) throws SQLException {
        bind(parameterIndex, reader == null ? null : readAll(reader));
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value, long length) throws SQLException {
        setCharacterStream(parameterIndex, value);
    }

    @Override
    public void setNCharacterStream(int parameterIndex, Reader value) throws SQLException {
        setCharacterStream(parameterIndex, value);
    }

    @Override
    public void setBlob(int parameterIndex, Blob x) throws SQLException {
        bind(parameterIndex, x);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream, long length) throws SQLException {
        setBinaryStream(parameterIndex, inputStream);
    }

    @Override
    public void setBlob(int parameterIndex, InputStream inputStream) throws SQLException {
        setBinaryStream(parameterIndex, inputStream);
    }

    @Override
    public void setClob(int parameterIndex, Clob x) throws SQLException {
        bind(parameterIndex, x);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader, long length) throws SQLException {
        setCharacterStream(parameterIndex, reader);
    }

    @Override
    public void setClob(int parameterIndex, Reader reader) throws SQLException {
        setCharacterStream(parameterIndex, reader);
    }

    @Override
    public void setNClob(int parameterIndex, NClob value) throws SQLException {
        bind(parameterIndex, value);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader, long length) throws SQLException {
        setCharacterStream(parameterIndex, reader);
    }

    @Override
    public void setNClob(int parameterIndex, Reader reader) throws SQLException {
        setCharacterStream(parameterIndex, reader);
    }

    @Override
    public void setRef(int parameterIndex, Ref x) throws SQLException {
        throw JdbcErrors.notSupported("REF values");
    }

    @Override
    public void setArray(int parameterIndex, Array x) throws SQLException {
        throw JdbcErrors.notSupported("ARRAY values");
    }

    @Override
    public void setURL(int parameterIndex, URL x) throws SQLException {
        throw JdbcErrors.notSupported("DATALINK values");
    }

    @Override
    public void setRowId(int parameterIndex, RowId x) throws SQLException {
        throw JdbcErrors.notSupported("ROWID values");
    }

    @Override
    public void setSQLXML(int parameterIndex, SQLXML xmlObject) throws SQLException {
        throw JdbcErrors.notSupported("XML values");
    }

    private static byte[] readAll(InputStream in) throws SQLException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new SQLException("reading a parameter stream failed: " + e.getMessage(), SqlState.IO_ERROR.code(), e);
        }
    }

    private static String readAll(Reader in) throws SQLException {
        try {
            StringWriter out = new StringWriter();
            in.transferTo(out);
            return out.toString();
        } catch (IOException e) {
            throw new SQLException("reading a parameter stream failed: " + e.getMessage(), SqlState.IO_ERROR.code(), e);
        }
    }

    // ---------------------------------------------------------------- the text-taking methods do not apply

    private static SQLException textGiven() {
        return error(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                "a PreparedStatement runs its own SQL: use execute() without text");
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        throw textGiven();
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        throw textGiven();
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        throw textGiven();
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        throw textGiven();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw textGiven();
    }
}
