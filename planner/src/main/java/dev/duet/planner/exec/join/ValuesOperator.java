package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Constant rows ({@link ValuesSpec}) as batches of up to the query's batch size. Values are
 * written one at a time through {@link Batches#set}: VALUES lists are short, and this is not a
 * hot loop.
 */
public final class ValuesOperator implements Operator {
    private final QueryContext ctx;
    private final ValuesSpec spec;
    private final int batchSize;
    private VectorSchemaRoot batch;
    private int nextRow;
    private boolean closed;

    public ValuesOperator(QueryContext ctx, ValuesSpec spec) {
        this.ctx = Objects.requireNonNull(ctx, "ctx is null");
        this.spec = Objects.requireNonNull(spec, "spec is null");
        this.batchSize = ctx.batchSize();
    }

    @Override
    public List<BatchColumn> columns() {
        return spec.columns();
    }

    /** The spec this operator produces. */
    public ValuesSpec spec() {
        return spec;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("ValuesOperator is closed");
        }
        ctx.checkCancelled();
        List<List<Object>> rows = spec.rows();
        if (nextRow >= rows.size()) {
            release();
            return null;
        }
        if (batch == null) {
            batch = Batches.create(ctx.allocator(), spec.columns());
        }
        int n = Math.min(batchSize, rows.size() - nextRow);
        List<FieldVector> vectors = batch.getFieldVectors();
        for (FieldVector v : vectors) {
            v.reset(); // clears the last batch's values, offsets and validity; keeps the buffers
        }
        for (int r = 0; r < n; r++) {
            List<Object> row = rows.get(nextRow + r);
            for (int c = 0; c < vectors.size(); c++) {
                Batches.set(vectors.get(c), r, row.get(c));
            }
        }
        nextRow += n;
        batch.setRowCount(n);
        return batch;
    }

    private void release() {
        nextRow = spec.rows().size();
        if (batch != null) {
            batch.close();
            batch = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
