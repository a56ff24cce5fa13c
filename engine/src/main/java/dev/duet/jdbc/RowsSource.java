package dev.duet.jdbc;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.planner.OutputColumn;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Rows the driver builds itself (database metadata), as one Arrow batch, so that they are read
 * through exactly the same code as query results. The batch lives in a child allocator of its own,
 * freed by {@link #close()}.
 */
final class RowsSource implements BatchSource {
    private final BufferAllocator allocator;
    private VectorSchemaRoot batch;
    private boolean delivered;

    /** Rows of canonical values (one per column, or null) in the given columns, allocated under {@code parent}. */
    RowsSource(BufferAllocator parent, List<OutputColumn> columns, List<Object[]> rows) {
        List<BatchColumn> batchColumns = new ArrayList<>(columns.size());
        for (OutputColumn c : columns) {
            batchColumns.add(new BatchColumn(c.name(), c.type(), c.nullable()));
        }
        allocator = parent.newChildAllocator("jdbc-rows", 0, Long.MAX_VALUE);
        try {
            batch = Batches.fromRows(allocator, batchColumns, rows);
        } catch (RuntimeException e) {
            allocator.close();
            throw e;
        }
    }

    @Override
    public VectorSchemaRoot nextBatch() {
        if (delivered || batch == null) {
            return null;
        }
        delivered = true;
        return batch;
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close();
            batch = null;
            allocator.close();
        }
    }
}
