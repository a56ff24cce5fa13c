package dev.duet.jdbc;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Where a {@link DuetResultSet} gets its rows: Arrow batches, one at a time. A batch belongs to
 * the source and stays valid until the next {@link #nextBatch()} or {@link #close()}.
 */
interface BatchSource extends AutoCloseable {
    /** The next batch, or null at the end. */
    VectorSchemaRoot nextBatch();

    /** Frees everything the source holds (for a query: its memory). Idempotent. */
    @Override
    void close();
}
