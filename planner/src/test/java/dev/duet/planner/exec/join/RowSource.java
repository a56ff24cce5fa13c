package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A test input: hands out the given rows as batches of the given sizes, each a fresh batch from
 * the query's allocator that is freed at the next call (so a consumer that keeps a batch too long
 * reads freed memory, and one that forgets to close its input leaks).
 */
final class RowSource implements Operator {
    private final QueryContext ctx;
    private final List<BatchColumn> columns;
    private final List<List<Object[]>> batches;
    private int next;
    private VectorSchemaRoot current;
    private boolean closed;
    int closeCount;
    int batchesRead;

    RowSource(QueryContext ctx, List<BatchColumn> columns, List<List<Object[]>> batches) {
        this.ctx = ctx;
        this.columns = List.copyOf(columns);
        this.batches = batches;
        for (List<Object[]> b : batches) {
            if (b.isEmpty()) {
                throw new IllegalArgumentException("batches have at least one row");
            }
        }
    }

    /** {@code rows} in batches of {@code batchRows} rows. */
    static RowSource of(QueryContext ctx, List<BatchColumn> columns, List<Object[]> rows, int batchRows) {
        return new RowSource(ctx, columns, split(rows, batchRows));
    }

    static List<List<Object[]>> split(List<Object[]> rows, int batchRows) {
        List<List<Object[]>> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += batchRows) {
            out.add(rows.subList(i, Math.min(rows.size(), i + batchRows)));
        }
        return out;
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("source is closed");
        }
        freeCurrent();
        if (next == batches.size()) {
            return null;
        }
        current = Batches.fromRows(ctx.allocator(), columns, batches.get(next++));
        batchesRead++;
        return current;
    }

    /** The batch last returned, or null. */
    VectorSchemaRoot current() {
        return current;
    }

    private void freeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        closeCount++;
        closed = true;
        freeCurrent();
    }
}
