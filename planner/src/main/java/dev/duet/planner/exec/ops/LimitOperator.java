package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * LIMIT/OFFSET: skips the first {@code offset} rows of its input and returns at most
 * {@code limit} more. Whole input batches inside the window pass through untouched (the input's
 * batch is returned as is, valid until the next call, as the Operator contract allows); a batch
 * cut by the window's edges is returned as a slice that shares the input's buffers. Once the
 * limit is reached the input is not pulled again but closed at once, so that a sort or scan
 * below frees its memory early; {@code LIMIT 0} never pulls it.
 */
public final class LimitOperator implements Operator {
    private final QueryContext context;
    private final Operator input;
    private final LimitSpec spec;
    private final List<BatchColumn> columns;
    private long toSkip;
    private long remaining;
    private VectorSchemaRoot slice;
    private boolean done;
    private boolean closed;

    /** Applies {@code spec} to {@code input}. */
    public LimitOperator(QueryContext context, Operator input, LimitSpec spec) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.input = Objects.requireNonNull(input, "input is null");
        this.spec = Objects.requireNonNull(spec, "spec is null");
        this.columns = input.columns();
        this.toSkip = spec.offset();
        this.remaining = spec.limit();
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("limit is closed");
        }
        if (done) {
            return null;
        }
        releaseSlice();
        while (remaining > 0) {
            context.checkCancelled();
            VectorSchemaRoot b = input.next();
            if (b == null) {
                break;
            }
            int rows = b.getRowCount();
            if (toSkip >= rows) {
                toSkip -= rows;
                continue;
            }
            int start = (int) toSkip;
            toSkip = 0;
            int n = (int) Math.min(rows - start, remaining);
            remaining -= n;
            if (start == 0 && n == rows) {
                return b;
            }
            return slice(b, start, n);
        }
        finish();
        return null;
    }

    private VectorSchemaRoot slice(VectorSchemaRoot b, int start, int n) {
        List<FieldVector> from = b.getFieldVectors();
        if (slice == null) {
            slice = VectorSchemaRoot.create(b.getSchema(), context.allocator());
        }
        List<FieldVector> to = slice.getFieldVectors();
        for (int c = 0; c < from.size(); c++) {
            // the input may hand out new vector objects each batch: pair them every time
            TransferPair pair = from.get(c).makeTransferPair(to.get(c));
            pair.splitAndTransfer(start, n);
        }
        slice.setRowCount(n);
        return slice;
    }

    private void releaseSlice() {
        if (slice != null) {
            for (FieldVector v : slice.getFieldVectors()) {
                v.clear();
            }
        }
    }

    private void finish() {
        done = true;
        if (slice != null) {
            VectorSchemaRoot s = slice;
            slice = null;
            s.close();
        }
        input.close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (slice != null) {
                VectorSchemaRoot s = slice;
                slice = null;
                s.close();
            }
        } finally {
            input.close();
        }
    }

    @Override
    public String toString() {
        return "Limit[" + spec + "]";
    }
}
