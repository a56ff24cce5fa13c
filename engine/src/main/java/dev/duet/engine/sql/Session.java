package dev.duet.engine.sql;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.Catalog;
import dev.duet.engine.Duet;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;

/**
 * One client session (a JDBC connection): runs SQL statements with PostgreSQL's transaction
 * semantics. Used by one thread at a time; {@link #cancel()} may come from any thread.
 */
public final class Session implements AutoCloseable {
    private final Duet duet;
    private volatile Duration statementTimeout = Duration.ZERO;
    private boolean autoCommit = true;
    private boolean readOnly;

    public Session(Duet duet) {
        this.duet = Objects.requireNonNull(duet, "duet is null");
    }

    /** Plans {@code sql}, which must hold exactly one statement (42601 otherwise). Plans are cached. */
    public Prepared prepare(String sql) {
        throw notYet();
    }

    /** Runs one statement without parameters. */
    public Result execute(String sql) {
        throw notYet();
    }

    /** Runs a prepared statement; {@code parameters} are JDBC-style Java values, coerced to the parameter types. */
    public Result execute(Prepared statement, List<?> parameters) {
        throw notYet();
    }

    /** Runs every statement of a script in order; a syntax error anywhere rejects the whole script. */
    public List<Result> executeScript(String sql) {
        throw notYet();
    }

    /** Makes the running statement fail with 57014. Any thread. */
    public void cancel() {
    }

    /** The time a statement may run before it fails with 57014; zero means no limit. */
    public void setStatementTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        statementTimeout = timeout;
    }

    public boolean autoCommit() {
        return autoCommit;
    }

    /** JDBC semantics: turning auto-commit on commits an open transaction. */
    public void setAutoCommit(boolean on) {
        autoCommit = on;
    }

    public void commit() {
        throw notYet();
    }

    public void rollback() {
        throw notYet();
    }

    public boolean readOnly() {
        return readOnly;
    }

    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /** True while an explicit transaction is open. */
    public boolean inTransaction() {
        return false;
    }

    /** The catalog this session currently sees (its transaction's, if one is open). */
    public Catalog catalog() {
        return duet.catalog();
    }

    /** An allocator for result consumers (a child of the database's). */
    public BufferAllocator allocator() {
        throw notYet();
    }

    /** Rolls back an open transaction and frees the session. Idempotent. */
    @Override
    public void close() {
    }

    private static DuetException notYet() {
        return new DuetException(SqlState.FEATURE_NOT_SUPPORTED, "not supported yet");
    }
}
