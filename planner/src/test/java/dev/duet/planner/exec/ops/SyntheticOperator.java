package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Test input for throughput runs: {@code rows} rows generated into Arrow batches. By default each
 * batch is generated at {@link #next()}; after {@link #prebuild()} all batches are made up front
 * and {@code next()} only hands them out (closing the previous one), so that a timed run measures
 * the operator above and not the input. Column
 * {@code c}'s value at row {@code r} is a function of a mixed hash of (r, c) taken modulo the
 * column's cardinality; strings come from a fixed pool.
 */
final class SyntheticOperator implements Operator {
    private final QueryContext context;
    private final List<BatchColumn> columns;
    private final long[] cardinality;
    private final long rows;
    private final byte[][] strings;
    private long position;
    private VectorSchemaRoot batch;
    private java.util.ArrayDeque<VectorSchemaRoot> prebuilt;

    SyntheticOperator(QueryContext context, List<BatchColumn> columns, long[] cardinality, long rows) {
        this.context = context;
        this.columns = columns;
        this.cardinality = cardinality;
        this.rows = rows;
        strings = new byte[4096][];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = ("str-" + Long.toString(mix(i) % 1_000_000_007L, 36) + "-" + i).getBytes(StandardCharsets.UTF_8);
        }
    }

    static long mix(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return (x ^ (x >>> 31)) & Long.MAX_VALUE;
    }

    /** The value number (before typing) of column {@code c} at row {@code r}. */
    long valueNumber(int c, long r) {
        return mix(r * 31 + c) % cardinality[c];
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    /** Generates every batch now; {@link #next()} then returns them one by one. */
    SyntheticOperator prebuild() {
        java.util.ArrayDeque<VectorSchemaRoot> all = new java.util.ArrayDeque<>();
        for (VectorSchemaRoot b = generate(); b != null; b = generate()) {
            all.add(b);
            batch = null; // keep it: the next call makes a new one
        }
        prebuilt = all;
        return this;
    }

    @Override
    public VectorSchemaRoot next() {
        if (prebuilt == null) {
            return generate();
        }
        if (batch != null) {
            batch.close();
        }
        batch = prebuilt.poll();
        return batch;
    }

    private VectorSchemaRoot generate() {
        if (position >= rows) {
            if (batch != null) {
                batch.close();
                batch = null;
            }
            return null;
        }
        int n = (int) Math.min(context.batchSize(), rows - position);
        if (batch == null) {
            batch = Batches.create(context.allocator(), columns);
        }
        Batches.allocate(batch, n);
        List<FieldVector> vs = batch.getFieldVectors();
        for (int c = 0; c < vs.size(); c++) {
            FieldVector v = vs.get(c);
            DataType.Kind kind = columns.get(c).type().kind();
            for (int i = 0; i < n; i++) {
                long x = valueNumber(c, position + i);
                switch (kind) {
                    case INTEGER -> ((IntVector) v).set(i, (int) x);
                    case BIGINT -> ((BigIntVector) v).set(i, x - cardinality[c] / 2);
                    case DOUBLE -> ((Float8Vector) v).set(i, x / 64.0);
                    case VARCHAR -> {
                        byte[] s = strings[(int) (x % strings.length)];
                        ((BaseVariableWidthVector) v).setSafe(i, s, 0, s.length);
                    }
                    default -> throw new IllegalArgumentException(kind.toString());
                }
            }
        }
        batch.setRowCount(n);
        position += n;
        return batch;
    }

    @Override
    public void close() {
        if (batch != null) {
            batch.close();
            batch = null;
        }
        if (prebuilt != null) {
            prebuilt.forEach(VectorSchemaRoot::close);
            prebuilt.clear();
        }
    }
}
