package dev.duet.jdbc;

import static dev.duet.jdbc.JdbcErrors.error;

import dev.duet.core.SqlState;
import dev.duet.engine.sql.Result;
import dev.duet.engine.sql.Session;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A JDBC statement over the connection's {@link Session}. A statement text may hold several SQL
 * statements separated by semicolons; their results are walked with {@link #getMoreResults()}.
 * Query results stream ({@link DuetResultSet}); executing again, or closing the statement, closes
 * the previous result set and frees its memory. {@link #cancel()} and the query timeout make the
 * running statement fail with 57014. Forward-only, read-only result sets only.
 */
class DuetStatement implements Statement {
    final DuetConnection connection;
    private boolean closed;
    private boolean closeOnCompletion;
    private long maxRows;
    private int fetchSize;
    private int queryTimeoutSeconds;

    /** The current result: a result set, or an update count (when {@link #resultSet} is null). */
    private DuetResultSet resultSet;
    private long updateCount = -1;
    /** Results of a multi-statement text not yet reached by getMoreResults; closed with the statement. */
    private final Deque<Result> pending = new ArrayDeque<>();
    private final List<String> batch = new ArrayList<>();

    DuetStatement(DuetConnection connection) {
        this.connection = connection;
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs {@code work} on the session holding the connection's session lock, with this
     * statement's query timeout if it has one (the session's own {@code statement_timeout} is
     * restored afterwards; a streaming result keeps the deadline it started with). Engine errors
     * become SQLExceptions.
     */
    final <T> T run(Supplier<T> work) throws SQLException {
        Session session = connection.session();
        synchronized (connection.sessionLock) {
            Duration before = null;
            try {
                if (queryTimeoutSeconds > 0) {
                    before = session.statementTimeout();
                    session.setStatementTimeout(Duration.ofSeconds(queryTimeoutSeconds));
                }
                return work.get();
            } catch (RuntimeException e) {
                throw JdbcErrors.translate(e);
            } finally {
                if (before != null) {
                    session.setStatementTimeout(before);
                }
            }
        }
    }

    /** Makes {@code results} this statement's results (the first current), closing the previous ones. */
    final boolean setResults(List<Result> results) throws SQLException {
        pending.addAll(results);
        return advance();
    }

    /** Makes {@code result} this statement's only result (a statement of one SQL statement). */
    final boolean setResult(Result result) throws SQLException {
        pending.add(result);
        return advance();
    }

    /** Moves to the next pending result; true if it is a result set. */
    private boolean advance() throws SQLException {
        resultSet = null;
        updateCount = -1;
        Result next = pending.poll();
        if (next == null) {
            return false;
        }
        if (next.returnsRows()) {
            resultSet = new DuetResultSet(this, next.columns(), new ResultSource(next), maxRows);
            return true;
        }
        try {
            updateCount = next.updateCount();
        } finally {
            closeQuietly(next);
        }
        return false;
    }

    /** Closes the current result set and every pending result (before executing again or closing). */
    final void clearResults() throws SQLException {
        SQLException failure = null;
        DuetResultSet rs = resultSet;
        resultSet = null;
        updateCount = -1;
        if (rs != null) {
            try {
                rs.close();
            } catch (SQLException e) {
                failure = e;
            }
        }
        for (Result r; (r = pending.poll()) != null; ) {
            try {
                closeQuietly(r);
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void closeQuietly(Result r) throws SQLException {
        synchronized (connection.sessionLock) {
            try {
                r.close();
            } catch (RuntimeException e) {
                throw JdbcErrors.translate(e);
            }
        }
    }

    /** Called by a result set of this statement when it closes. */
    final void resultSetClosed(DuetResultSet rs) throws SQLException {
        if (rs == resultSet && closeOnCompletion && pending.isEmpty()) {
            resultSet = null;
            close();
        }
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        checkOpen();
        requireSql(sql);
        clearResults();
        List<Result> results = run(() -> mayHoldSeveralStatements(sql)
                ? connection.session().executeScript(sql)
                : List.of(connection.session().execute(sql)));
        if (results.isEmpty()) {
            updateCount = 0; // an empty statement, as PostgreSQL's "EMPTY QUERY"
            return false;
        }
        return setResults(results);
    }

    /**
     * False when {@code sql} is certainly one statement (no semicolon before its end): it then
     * runs through {@link Session#execute(String)}, whose plans are cached by text, instead of
     * being parsed as a script each time.
     */
    static boolean mayHoldSeveralStatements(String sql) {
        int end = sql.length();
        while (end > 0 && (sql.charAt(end - 1) == ';' || Character.isWhitespace(sql.charAt(end - 1)))) {
            end--;
        }
        return end == 0 || sql.lastIndexOf(';', end - 1) >= 0;
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        execute(sql);
        return requireResultSet();
    }

    final ResultSet requireResultSet() throws SQLException {
        if (resultSet == null) {
            clearResults();
            throw error(SqlState.NO_DATA, "the statement returned no rows (use executeUpdate or execute)");
        }
        return resultSet;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        return clampCount(executeLargeUpdate(sql));
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        execute(sql);
        return requireUpdateCount();
    }

    final long requireUpdateCount() throws SQLException {
        if (resultSet != null) {
            clearResults();
            throw error(SqlState.TOO_MANY_RESULTS, "the statement returned rows where none were expected (use executeQuery or execute)");
        }
        return updateCount;
    }

    static int clampCount(long count) {
        return count > Integer.MAX_VALUE ? SUCCESS_NO_INFO : (int) count;
    }

    private static void requireSql(String sql) throws SQLException {
        if (sql == null) {
            throw error(SqlState.SYNTAX_ERROR, "the SQL text is null");
        }
    }

    // ---------------------------------------------------------------- results

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return resultSet;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return clampCount(getLargeUpdateCount());
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return resultSet == null ? updateCount : -1;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return getMoreResults(CLOSE_CURRENT_RESULT);
    }

    /** Only {@link #CLOSE_CURRENT_RESULT} (results stream: an earlier one cannot stay open). */
    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        if (current != CLOSE_CURRENT_RESULT) {
            throw JdbcErrors.notSupported("keeping a ResultSet open across getMoreResults");
        }
        DuetResultSet rs = resultSet;
        resultSet = null;
        if (rs != null) {
            rs.close();
        }
        return advance();
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        return connection.driverRows(List.of(), List.of());
    }

    // ---------------------------------------------------------------- batches

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        requireSql(sql);
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        batch.clear();
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = executeLargeBatch();
        int[] out = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = clampCount(counts[i]);
        }
        return out;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        clearResults();
        List<String> statements = List.copyOf(batch);
        batch.clear();
        long[] counts = new long[statements.size()];
        for (int i = 0; i < counts.length; i++) {
            String sql = statements.get(i);
            try {
                counts[i] = batchCount(run(() -> connection.session().execute(sql)));
            } catch (SQLException e) {
                throw batchFailure(e, Arrays.copyOf(counts, i));
            }
        }
        return counts;
    }

    /** The update count of one batch element; a statement that returns rows fails the batch (JDBC). */
    final long batchCount(Result result) throws SQLException {
        try {
            if (result.returnsRows()) {
                throw error(SqlState.TOO_MANY_RESULTS, "a statement in a batch returned rows");
            }
            return result.updateCount();
        } finally {
            closeQuietly(result);
        }
    }

    static BatchUpdateException batchFailure(SQLException cause, long[] done) {
        return new BatchUpdateException(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), done, cause);
    }

    // ---------------------------------------------------------------- settings

    @Override
    public int getMaxRows() throws SQLException {
        return (int) Math.min(getLargeMaxRows(), Integer.MAX_VALUE);
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        setLargeMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        checkOpen();
        return maxRows;
    }

    /** Applies to result sets of later executions; rows beyond the limit are not returned. */
    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "max rows must not be negative, got %d", max);
        }
        maxRows = max;
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "max field size must not be negative, got %d", max);
        }
        // No limit is applied: values are returned whole (allowed: the limit is a hint for drivers).
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen();
        // Escape syntax ({fn ...}, {d '...'}) is not translated; the SQL text runs as written.
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        checkOpen();
        return queryTimeoutSeconds;
    }

    /** Statements of this object fail with 57014 once they have run this long (0: no limit). */
    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "query timeout must not be negative, got %d", seconds);
        }
        queryTimeoutSeconds = seconds;
    }

    /** Makes the statement running on this connection fail with 57014; any thread may call it. */
    @Override
    public void cancel() throws SQLException {
        checkOpen();
        connection.session().cancel();
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
    public void setCursorName(String name) throws SQLException {
        throw JdbcErrors.notSupported("named cursors");
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        if (direction != ResultSet.FETCH_FORWARD) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "result sets are TYPE_FORWARD_ONLY: only FETCH_FORWARD");
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        checkOpen();
        return ResultSet.FETCH_FORWARD;
    }

    /** A hint only: rows arrive in the executor's batches. */
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
    public int getResultSetConcurrency() throws SQLException {
        checkOpen();
        return ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public int getResultSetType() throws SQLException {
        checkOpen();
        return ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return connection;
    }

    // ---------------------------------------------------------------- variants Duet does not support

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        requireNoGeneratedKeys(autoGeneratedKeys);
        return executeUpdate(sql);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        throw JdbcErrors.notSupported("generated keys");
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        throw JdbcErrors.notSupported("generated keys");
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        requireNoGeneratedKeys(autoGeneratedKeys);
        return execute(sql);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        throw JdbcErrors.notSupported("generated keys");
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        throw JdbcErrors.notSupported("generated keys");
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        requireNoGeneratedKeys(autoGeneratedKeys);
        return executeLargeUpdate(sql);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        throw JdbcErrors.notSupported("generated keys");
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        throw JdbcErrors.notSupported("generated keys");
    }

    /** Duet has no generated columns (no SERIAL or identity), so only NO_GENERATED_KEYS is accepted. */
    static void requireNoGeneratedKeys(int autoGeneratedKeys) throws SQLException {
        if (autoGeneratedKeys == RETURN_GENERATED_KEYS) {
            throw JdbcErrors.notSupported("generated keys");
        }
        if (autoGeneratedKeys != NO_GENERATED_KEYS) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "invalid autoGeneratedKeys value %d", autoGeneratedKeys);
        }
    }

    // ---------------------------------------------------------------- life cycle

    final void checkOpen() throws SQLException {
        if (closed) {
            throw error(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "this Statement is closed");
        }
        connection.checkOpen();
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            clearResults();
        } finally {
            connection.statementClosed(this);
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
    }

    @Override
    public boolean isPoolable() throws SQLException {
        checkOpen();
        return false;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        checkOpen();
        return closeOnCompletion;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return JdbcErrors.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /** A query result's batches, read under the connection's session lock. */
    private final class ResultSource implements BatchSource {
        private final Result result;

        ResultSource(Result result) {
            this.result = result;
        }

        @Override
        public VectorSchemaRoot nextBatch() {
            synchronized (connection.sessionLock) {
                return result.nextBatch();
            }
        }

        @Override
        public List<Object[]> valueRows() {
            return result.valueRows(); // fixed when the statement ran: needs no lock
        }

        @Override
        public void close() {
            synchronized (connection.sessionLock) {
                result.close();
            }
        }
    }
}
