package dev.duet.engine.sql;

import dev.duet.planner.OutputColumn;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The outcome of one statement. A query's rows stream from its operators as they are read;
 * several results of one {@link Session} may be open at once (a statement that writes to the
 * transaction an open result reads first buffers that result's remaining rows). Always close a
 * result: closing frees the query's memory and ends the read-only transaction of an auto-commit
 * query.
 */
public interface Result extends AutoCloseable {
    /** True for statements that return rows (queries, SHOW, EXPLAIN). */
    boolean returnsRows();

    /** The result columns; empty unless {@link #returnsRows()}. */
    List<OutputColumn> columns();

    /**
     * The next batch (at least one row; owned by the result, valid until the next call or close);
     * null at the end and for statements that return no rows. Query errors (22012, 57014, 53200,
     * ...) surface here too.
     */
    VectorSchemaRoot nextBatch();

    /**
     * The rows as canonical Java values ({@link dev.duet.core.types.DataType}), one array per
     * row in column order, when the result holds them so instead of in batches (a query that looks
     * up one primary key builds no Arrow batch); null otherwise. A consumer reads either these or
     * {@link #nextBatch()}, which returns the same rows as a batch.
     */
    default List<Object[]> valueRows() {
        return null;
    }

    /** Rows inserted, updated or deleted (CREATE TABLE AS: rows written); -1 for queries; 0 for DDL/utility. */
    long updateCount();

    /**
     * PostgreSQL's command tag: {@code "SELECT 3"}, {@code "INSERT 0 5"}, {@code "UPDATE 2"},
     * {@code "CREATE TABLE"}, {@code "BEGIN"}, ... A query's row count is final once
     * {@link #nextBatch()} returned null.
     */
    String commandTag();

    /** Frees the query's memory (its allocator ends at zero). Idempotent. */
    @Override
    void close();
}
