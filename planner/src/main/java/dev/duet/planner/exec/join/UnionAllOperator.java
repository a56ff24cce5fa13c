package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Closeables;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code UNION ALL}: every batch of the first input, then of the second, and so on, with no
 * copying. An input whose batches already have exactly this operator's schema is passed
 * through; another (other column names, a narrower VARCHAR or DECIMAL, not nullable where the
 * union is) has its vectors transferred into this operator's batch, which takes their buffers
 * rather than copying them. Each input is closed as soon as it is exhausted.
 */
public final class UnionAllOperator implements Operator {
    private final QueryContext ctx;
    private final List<Operator> inputs;
    private final List<BatchColumn> columns;
    private final boolean[] passThrough;
    private VectorSchemaRoot own;
    private int current;
    private boolean closed;

    public UnionAllOperator(QueryContext ctx, List<Operator> inputs) {
        this.ctx = Objects.requireNonNull(ctx, "ctx is null");
        this.inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs is null"));
        this.columns = SetOperationColumns.of("UNION ALL", this.inputs);
        this.passThrough = new boolean[this.inputs.size()];
        for (int k = 0; k < passThrough.length; k++) {
            passThrough[k] = this.inputs.get(k).schema().equals(schema());
        }
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("UnionAllOperator is closed");
        }
        while (current < inputs.size()) {
            ctx.checkCancelled();
            VectorSchemaRoot batch = inputs.get(current).next();
            if (batch == null) {
                inputs.get(current).close();
                current++;
                continue;
            }
            if (passThrough[current]) {
                return batch;
            }
            if (own == null) {
                own = Batches.create(ctx.allocator(), columns);
            }
            for (int c = 0; c < columns.size(); c++) {
                FieldVector from = batch.getVector(c);
                from.makeTransferPair(own.getVector(c)).transfer();
            }
            own.setRowCount(batch.getRowCount());
            return own;
        }
        release();
        return null;
    }

    private void release() {
        current = inputs.size();
        if (own != null) {
            own.close();
            own = null;
        }
        Closeables.closeAll(inputs);
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
        return "UNION ALL";
    }
}
