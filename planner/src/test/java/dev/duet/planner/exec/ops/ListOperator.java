package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Test input: returns given rows in batches of given sizes (cycled), each a fresh batch from the
 * query's allocator that is closed at the next call, as a scan would. Counts batches pulled so
 * that tests can see when a consumer stops early.
 */
final class ListOperator implements Operator {
    private final QueryContext context;
    private final List<BatchColumn> columns;
    private final List<Object[]> rows;
    private final int[] batchSizes;
    private int position;
    private int batchIndex;
    private int pulled;
    private VectorSchemaRoot current;
    private boolean closed;

    ListOperator(QueryContext context, List<BatchColumn> columns, List<Object[]> rows, int... batchSizes) {
        this.context = context;
        this.columns = List.copyOf(columns);
        this.rows = rows;
        this.batchSizes = batchSizes.length == 0 ? new int[] {context.batchSize()} : batchSizes;
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    /** Batches returned so far. */
    int pulled() {
        return pulled;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (current != null) {
            current.close();
            current = null;
        }
        if (position >= rows.size()) {
            return null;
        }
        int n = Math.min(batchSizes[batchIndex++ % batchSizes.length], rows.size() - position);
        current = Batches.fromRows(context.allocator(), columns, rows.subList(position, position + n));
        position += n;
        pulled++;
        return current;
    }

    @Override
    public void close() {
        closed = true;
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
