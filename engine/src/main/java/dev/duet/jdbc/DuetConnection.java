package dev.duet.jdbc;

import static dev.duet.jdbc.JdbcErrors.error;

import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import dev.duet.engine.sql.Session;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * A JDBC connection: one {@link Session} on a database. Transactions follow JDBC (auto-commit on
 * by default) with snapshot isolation, which JDBC calls {@link #TRANSACTION_REPEATABLE_READ} (as
 * PostgreSQL does). Asking for READ UNCOMMITTED or READ COMMITTED gets repeatable read (JDBC lets
 * a driver substitute a stronger level); SERIALIZABLE is not available (0A000).
 *
 * <p>Like most JDBC connections it is meant for one thread at a time; calls from several threads
 * are serialised on {@link #sessionLock}, except {@link Statement#cancel()} and {@link #close()},
 * which may come from any thread.
 */
final class DuetConnection implements Connection {
    /** Held around every use of {@link #session} except {@link Session#cancel()}. */
    final Object sessionLock = new Object();
    private final Duet duet;
    private final Session session;
    private final String url;
    /** Run once when the connection closes: releases the shared database (or closes a private one). */
    private final Runnable onClose;
    private volatile boolean closed;
    /** Open statements, closed with the connection; guarded by its own monitor. */
    private final Set<DuetStatement> statements = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Open result sets of rows the driver built (metadata), closed with the connection; guarded by its own monitor. */
    private final Set<DuetResultSet> driverResults = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Properties clientInfo = new Properties();

    DuetConnection(Duet duet, String url, Runnable onClose) throws SQLException {
        this.duet = duet;
        this.url = url;
        this.onClose = onClose;
        try {
            this.session = duet.newSession();
        } catch (RuntimeException e) {
            onClose.run();
            throw JdbcErrors.translate(e);
        }
    }

    Session session() {
        return session;
    }

    Duet duet() {
        return duet;
    }

    String url() {
        return url;
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw error(SqlState.CONNECTION_DOES_NOT_EXIST, "this connection is closed");
        }
    }

    private <T extends DuetStatement> T register(T statement) {
        synchronized (statements) {
            statements.add(statement);
        }
        return statement;
    }

    void statementClosed(DuetStatement statement) {
        synchronized (statements) {
            statements.remove(statement);
        }
    }

    /** Runs a session call under the session lock, turning engine errors into SQLExceptions. */
    private void onSession(Runnable work) throws SQLException {
        checkOpen();
        synchronized (sessionLock) {
            try {
                work.run();
            } catch (RuntimeException e) {
                throw JdbcErrors.translate(e);
            }
        }
    }

    /**
     * A result set of rows the driver built (database metadata), in memory of the session's
     * allocator; closed with the connection if the caller has not closed it.
     */
    DuetResultSet driverRows(List<dev.duet.planner.OutputColumn> columns, List<Object[]> rows) throws SQLException {
        checkOpen();
        DuetResultSet rs;
        try {
            rs = DuetResultSet.ofRows(session.allocator(), columns, rows, closed -> {
                synchronized (driverResults) {
                    driverResults.remove(closed);
                }
            });
        } catch (RuntimeException e) {
            throw JdbcErrors.translate(e);
        }
        synchronized (driverResults) {
            driverResults.add(rs);
        }
        return rs;
    }

    // ---------------------------------------------------------------- statements

    @Override
    public Statement createStatement() throws SQLException {
        checkOpen();
        return register(new DuetStatement(this));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        checkResultSetKind(resultSetType, resultSetConcurrency, ResultSet.HOLD_CURSORS_OVER_COMMIT);
        return createStatement();
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        checkResultSetKind(resultSetType, resultSetConcurrency, resultSetHoldability);
        return createStatement();
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        checkOpen();
        return register(new DuetPreparedStatement(this, sql));
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        checkResultSetKind(resultSetType, resultSetConcurrency, ResultSet.HOLD_CURSORS_OVER_COMMIT);
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        checkResultSetKind(resultSetType, resultSetConcurrency, resultSetHoldability);
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        DuetStatement.requireNoGeneratedKeys(autoGeneratedKeys);
        return prepareStatement(sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        throw JdbcErrors.notSupported("generated keys");
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        throw JdbcErrors.notSupported("generated keys");
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        throw JdbcErrors.notSupported("stored procedures (prepareCall)");
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        throw JdbcErrors.notSupported("stored procedures (prepareCall)");
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        throw JdbcErrors.notSupported("stored procedures (prepareCall)");
    }

    /** Result sets are forward-only and read-only; they stay readable across commits. */
    private void checkResultSetKind(int type, int concurrency, int holdability) throws SQLException {
        checkOpen();
        if (type != ResultSet.TYPE_FORWARD_ONLY) {
            throw JdbcErrors.notSupported("scrollable result sets");
        }
        if (concurrency != ResultSet.CONCUR_READ_ONLY) {
            throw JdbcErrors.notSupported("updatable result sets");
        }
        if (holdability != ResultSet.HOLD_CURSORS_OVER_COMMIT && holdability != ResultSet.CLOSE_CURSORS_AT_COMMIT) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "invalid holdability %d", holdability);
        }
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql; // escape syntax is not translated
    }

    // ---------------------------------------------------------------- transactions

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        onSession(() -> session.setAutoCommit(autoCommit));
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        synchronized (sessionLock) {
            return session.autoCommit();
        }
    }

    @Override
    public void commit() throws SQLException {
        requireManualCommit("commit");
        onSession(session::commit);
    }

    @Override
    public void rollback() throws SQLException {
        requireManualCommit("rollback");
        onSession(session::rollback);
    }

    private void requireManualCommit(String what) throws SQLException {
        if (getAutoCommit()) {
            throw error(SqlState.INVALID_TRANSACTION_STATE, "cannot %s when auto-commit is on", what);
        }
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        onSession(() -> session.setReadOnly(readOnly));
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        synchronized (sessionLock) {
            return session.readOnly();
        }
    }

    /**
     * READ UNCOMMITTED, READ COMMITTED and REPEATABLE READ all give snapshot isolation (reported as
     * REPEATABLE READ); SERIALIZABLE fails with 0A000, since snapshot isolation allows write skew.
     */
    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        switch (level) {
            case TRANSACTION_READ_UNCOMMITTED, TRANSACTION_READ_COMMITTED, TRANSACTION_REPEATABLE_READ -> {
                // snapshot isolation: at least as strong as what was asked for
            }
            case TRANSACTION_SERIALIZABLE -> throw JdbcErrors.notSupported(
                    "SERIALIZABLE isolation (Duet gives snapshot isolation, reported as REPEATABLE READ)");
            default -> throw error(SqlState.INVALID_PARAMETER_VALUE, "invalid transaction isolation level %d", level);
        }
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        return TRANSACTION_REPEATABLE_READ;
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        throw JdbcErrors.notSupported("savepoints");
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        throw JdbcErrors.notSupported("savepoints");
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        throw JdbcErrors.notSupported("savepoints");
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        throw JdbcErrors.notSupported("savepoints");
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        checkResultSetKind(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    // ---------------------------------------------------------------- catalog, schema, description

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return new DuetDatabaseMetaData(this);
    }

    /** Catalogs are not supported: the request is ignored (as JDBC allows). */
    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        checkOpen();
        if (schema == null) {
            throw error(SqlState.INVALID_SCHEMA_NAME, "schema name is null");
        }
        if (!dev.duet.core.catalog.Catalog.DEFAULT_SCHEMA.equals(schema)) {
            throw JdbcErrors.notSupported("a default schema other than \"public\" (qualify names as schema.table)");
        }
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        return dev.duet.core.catalog.Catalog.DEFAULT_SCHEMA;
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return new java.util.HashMap<>();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        checkOpen();
        if (map != null && !map.isEmpty()) {
            throw JdbcErrors.notSupported("user-defined type maps");
        }
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
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "timeout must not be negative, got %d", timeout);
        }
        return !closed; // embedded: an open connection has nothing between it and the database
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        synchronized (clientInfo) {
            if (value == null) {
                clientInfo.remove(name);
            } else {
                clientInfo.setProperty(name, value);
            }
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        synchronized (clientInfo) {
            clientInfo.clear();
            clientInfo.putAll(properties);
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        checkOpen();
        synchronized (clientInfo) {
            return clientInfo.getProperty(name);
        }
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        checkOpen();
        synchronized (clientInfo) {
            Properties copy = new Properties();
            copy.putAll(clientInfo);
            return copy;
        }
    }

    // ---------------------------------------------------------------- objects Duet has no types for

    @Override
    public Clob createClob() throws SQLException {
        throw JdbcErrors.notSupported("CLOB values");
    }

    @Override
    public Blob createBlob() throws SQLException {
        throw JdbcErrors.notSupported("BLOB values");
    }

    @Override
    public NClob createNClob() throws SQLException {
        throw JdbcErrors.notSupported("NCLOB values");
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        throw JdbcErrors.notSupported("XML values");
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        throw JdbcErrors.notSupported("ARRAY values");
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        throw JdbcErrors.notSupported("STRUCT values");
    }

    // ---------------------------------------------------------------- life cycle

    /**
     * Closes the statements, rolls back an open transaction, ends the session and drops this
     * connection's hold on the database (closing it if this was the last connection). Idempotent.
     */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        session.cancel(); // a statement running on another thread stops instead of holding the lock
        SQLException failure = null;
        List<DuetStatement> open;
        synchronized (statements) {
            open = new ArrayList<>(statements);
        }
        List<DuetResultSet> rows;
        synchronized (driverResults) {
            rows = new ArrayList<>(driverResults);
        }
        List<AutoCloseable> toClose = new ArrayList<>(open);
        toClose.addAll(rows);
        for (AutoCloseable s : toClose) {
            try {
                s.close();
            } catch (SQLException e) {
                failure = chain(failure, e);
            } catch (Exception e) {
                throw new IllegalStateException("statements and result sets throw only SQLExceptions", e);
            }
        }
        try {
            synchronized (sessionLock) {
                session.close();
            }
        } catch (RuntimeException e) {
            failure = chain(failure, JdbcErrors.translate(e));
        } finally {
            try {
                onClose.run();
            } catch (RuntimeException e) {
                failure = chain(failure, JdbcErrors.translate(e));
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static SQLException chain(SQLException first, SQLException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (executor == null) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "executor is null");
        }
        if (!closed) {
            executor.execute(() -> {
                try {
                    close();
                } catch (SQLException e) {
                    // abort() has returned already; nobody is left to report the failure to
                    java.util.logging.Logger.getLogger(DuetConnection.class.getName())
                            .warning("closing an aborted connection failed: " + e);
                }
            });
        }
    }

    /** No network lies between an embedded connection and its database: the timeout is accepted and unused. */
    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        if (milliseconds < 0) {
            throw error(SqlState.INVALID_PARAMETER_VALUE, "timeout must not be negative, got %d", milliseconds);
        }
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return JdbcErrors.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
