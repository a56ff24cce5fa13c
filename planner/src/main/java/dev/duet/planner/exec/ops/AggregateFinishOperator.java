package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The last step of a two-phase aggregation: turns the rows of the final {@link
 * HashAggregateOperator} (which merged the workers' partial states) into the columns the
 * one-phase aggregate would have returned. A column is either moved over as it is (group keys,
 * SUM, MIN, MAX, and COUNT, which the final phase computed as a SUM of partial counts), or an
 * average computed from a merged sum and a merged count, as {@code AVG} computes it (the exact sum
 * converted to double, divided by the scale, then by the count). Per batch it reads whole
 * vectors into primitive arrays; nothing is allocated per row.
 */
public final class AggregateFinishOperator implements Operator {
    private final QueryContext context;
    private final Operator input;
    private final List<BatchColumn> columns;
    private final int[] source;
    private final int[] countColumn;
    private VectorSchemaRoot out;
    private double[] sums = new double[0];
    private long[] counts = new long[0];
    private boolean closed;

    /**
     * @param columns     the output columns
     * @param source      per output column, the input column moved over, or for an average the merged sum
     * @param countColumn per output column, -1, or for an average the input column of the merged count
     */
    public AggregateFinishOperator(QueryContext context, Operator input, List<BatchColumn> columns, int[] source,
            int[] countColumn) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.input = Objects.requireNonNull(input, "input is null");
        this.columns = List.copyOf(columns);
        this.source = source.clone();
        this.countColumn = countColumn.clone();
        if (this.source.length != this.columns.size() || this.countColumn.length != this.columns.size()) {
            throw new IllegalArgumentException("one source per output column");
        }
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("aggregate finish is closed");
        }
        VectorSchemaRoot in = input.next();
        if (in == null) {
            free();
            return null;
        }
        if (out == null) {
            out = Batches.create(context.allocator(), columns);
        }
        int n = in.getRowCount();
        for (int j = 0; j < source.length; j++) {
            FieldVector target = out.getVector(j);
            FieldVector from = in.getVector(source[j]);
            if (countColumn[j] < 0) {
                from.makeTransferPair(target).transfer();
                continue;
            }
            if (sums.length < n) {
                sums = new double[Math.max(n, 2 * sums.length)];
                counts = new long[sums.length];
            }
            DataType sumType = input.columns().get(source[j]).type();
            ArrowBuffers.readDoubles(from, sumType, n, sums);
            ArrowBuffers.readLongs(in.getVector(countColumn[j]), DataType.Kind.BIGINT, n, counts);
            target.clear();
            target.setInitialCapacity(n);
            target.allocateNew();
            for (int r = 0; r < n; r++) {
                if (from.isNull(r) || counts[r] == 0) {
                    target.setNull(r);
                } else {
                    ArrowBuffers.setDouble(target, r, sums[r] / counts[r]);
                }
            }
        }
        out.setRowCount(n);
        return out;
    }

    private void free() {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        free();
        input.close();
    }
}
