package dev.duet.jdbc;

import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where a {@link DuetResultSet} gets its rows: Arrow batches, one at a time, or a list of rows of
 * Java values ({@link #valueRows()}). A batch belongs to
 * the source and stays valid until the next {@link #nextBatch()} or {@link #close()}.
 */
interface BatchSource extends AutoCloseable {
    /** The next batch, or null at the end. */
    VectorSchemaRoot nextBatch();

    /**
     * All rows as canonical Java values, when the source holds them so (a primary-key point
     * lookup, which builds no batch); null when they are read by {@link #nextBatch()}. Asked once,
     * before any row is read.
     */
    default List<Object[]> valueRows() {
        return null;
    }

    /** Frees everything the source holds (for a query: its memory). Idempotent. */
    @Override
    void close();
}
