package dev.duet.planner.exec.join;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code UNION}, {@code INTERSECT [ALL]} and {@code EXCEPT [ALL]} over two or more inputs
 * ({@link SetOperationSpec}), on a {@link DistinctRowTable} of whole rows (NULL equal to NULL).
 *
 * <p>UNION streams: each input batch is looked up, and the rows it adds to the table are the
 * output, so rows come out as soon as they are first seen. INTERSECT and EXCEPT read the first
 * input into the table with a count per distinct row, then look up the other inputs' rows
 * (adding nothing) to lower the counts, and finally emit each remaining row as many times as its
 * count says (once without ALL), in order of first appearance in the first input.
 *
 * <p>The table's rows and arrays are accounted to the query's memory limit (53200 when exceeded).
 * Each input is closed as soon as it is exhausted.
 */
public final class SetOperationOperator implements Operator {
    private final QueryContext ctx;
    private final SetOperationSpec spec;
    private final List<Operator> inputs;
    private final List<BatchColumn> columns;
    private final int batchSize;
    private final HeapReservation memory;

    private DistinctRowTable table;
    private FieldVector[] batchVectors;
    private int[] entries = new int[0];
    /** INTERSECT/EXCEPT: how many times each entry is still to be emitted. */
    private int[] counts;
    private boolean built;
    private int currentInput;
    private int emitEntry;
    private int emitted;
    private int[] selection;
    private VectorSchemaRoot output;
    private FieldVector[] outputVectors;
    private boolean done;
    private boolean closed;

    public SetOperationOperator(QueryContext ctx, SetOperationSpec spec, List<Operator> inputs) {
        this.ctx = Objects.requireNonNull(ctx, "ctx is null");
        this.spec = Objects.requireNonNull(spec, "spec is null");
        Objects.requireNonNull(inputs, "inputs is null");
        this.inputs = List.copyOf(inputs);
        if (this.inputs.size() < 2) {
            throw new IllegalArgumentException(spec.kind() + " needs at least two inputs, got " + this.inputs.size());
        }
        this.columns = SetOperationColumns.of(spec.kind().name(), this.inputs);
        this.batchSize = ctx.batchSize();
        this.memory = new HeapReservation(ctx, "SetOperationOperator");
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    /** The spec this operator runs. */
    public SetOperationSpec spec() {
        return spec;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("SetOperationOperator is closed");
        }
        if (done) {
            return null;
        }
        ctx.checkCancelled();
        if (table == null) {
            int expected = spec.rowsEstimate() > 0 ? (int) Math.min(spec.rowsEstimate(), 1 << 20) : 0;
            table = new DistinctRowTable(ctx.allocator(), columns, memory, expected);
            batchVectors = new FieldVector[columns.size()];
            output = Batches.create(ctx.allocator(), columns);
            outputVectors = output.getFieldVectors().toArray(new FieldVector[0]);
        }
        VectorSchemaRoot result = spec.kind() == SetOperationSpec.Kind.UNION ? nextUnion() : nextCounted();
        if (result == null) {
            release();
        }
        return result;
    }

    private VectorSchemaRoot nextUnion() {
        while (currentInput < inputs.size()) {
            VectorSchemaRoot batch = nextBatch();
            if (batch == null) {
                continue;
            }
            int before = table.size();
            table.add(batchVectors, batch.getRowCount(), entries);
            int added = table.size() - before;
            if (added > 0) {
                for (int c = 0; c < outputVectors.length; c++) {
                    VectorGather.copyRange(table.vector(c), before, added, outputVectors[c], 0);
                }
                output.setRowCount(added);
                return output;
            }
        }
        return null;
    }

    /** The current input's next batch, its vectors in {@link #batchVectors}; null (and on to the next input) at its end. */
    private VectorSchemaRoot nextBatch() {
        Operator input = inputs.get(currentInput);
        VectorSchemaRoot batch = input.next();
        if (batch == null) {
            input.close();
            currentInput++;
            return null;
        }
        ctx.checkCancelled();
        for (int c = 0; c < batchVectors.length; c++) {
            batchVectors[c] = batch.getVector(c);
        }
        int rows = batch.getRowCount();
        if (entries.length < rows) {
            memory.add((long) rows * Integer.BYTES);
            entries = new int[rows];
        }
        return batch;
    }

    private VectorSchemaRoot nextCounted() {
        if (!built) {
            count();
            built = true;
            memory.add((long) batchSize * Integer.BYTES);
            selection = new int[batchSize];
        }
        int n = 0;
        int size = table.size();
        while (n < batchSize && emitEntry < size) {
            int remaining = counts[emitEntry] - emitted;
            int take = Math.min(remaining, batchSize - n);
            for (int t = 0; t < take; t++) {
                selection[n++] = emitEntry;
            }
            emitted += Math.max(take, 0);
            if (emitted >= counts[emitEntry]) {
                emitEntry++;
                emitted = 0;
            }
        }
        if (n == 0) {
            return null;
        }
        for (int c = 0; c < outputVectors.length; c++) {
            VectorGather.gather(table.vector(c), selection, n, outputVectors[c], 0);
        }
        output.setRowCount(n);
        return output;
    }

    /** Reads every input, leaving in {@link #counts} how many times each distinct row of the first input is emitted. */
    private void count() {
        boolean all = spec.all();
        counts = new int[0];
        while (currentInput == 0) {
            VectorSchemaRoot batch = nextBatch();
            if (batch == null) {
                break;
            }
            int rows = batch.getRowCount();
            table.add(batchVectors, rows, entries);
            if (counts.length < table.size()) {
                int length = Math.max(table.size(), 2 * counts.length);
                memory.add((long) length * Integer.BYTES);
                counts = Arrays.copyOf(counts, length);
            }
            for (int i = 0; i < rows; i++) {
                int e = entries[i];
                counts[e] = all ? counts[e] + 1 : 1;
            }
        }
        int size = table.size();
        boolean intersect = spec.kind() == SetOperationSpec.Kind.INTERSECT;
        int[] seen = null;
        if (intersect && size > 0) {
            memory.add((long) size * Integer.BYTES);
            seen = new int[size];
        }
        while (currentInput < inputs.size()) {
            if (size == 0) {
                inputs.get(currentInput++).close(); // nothing can come out: do not read the rest
                continue;
            }
            int input = currentInput;
            if (seen != null) {
                Arrays.fill(seen, 0);
            }
            while (currentInput == input) {
                VectorSchemaRoot batch = nextBatch();
                if (batch == null) {
                    break;
                }
                int rows = batch.getRowCount();
                table.find(batchVectors, rows, entries);
                for (int i = 0; i < rows; i++) {
                    int e = entries[i];
                    if (e < 0) {
                        continue;
                    }
                    if (intersect) {
                        seen[e]++;
                    } else if (all) {
                        counts[e] = Math.max(counts[e] - 1, 0);
                    } else {
                        counts[e] = 0;
                    }
                }
            }
            if (intersect) {
                for (int e = 0; e < size; e++) {
                    counts[e] = Math.min(counts[e], seen[e]);
                }
            }
        }
    }

    private void release() {
        done = true;
        counts = null;
        selection = null;
        entries = new int[0];
        batchVectors = null;
        RuntimeException failure = null;
        for (AutoCloseable r : new AutoCloseable[] {output, table, memory}) {
            failure = closeQuietly(r, failure);
        }
        output = null;
        outputVectors = null;
        table = null;
        for (Operator input : inputs) {
            failure = closeQuietly(input, failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeQuietly(AutoCloseable resource, RuntimeException failure) {
        if (resource == null) {
            return failure;
        }
        try {
            resource.close();
        } catch (Exception e) {
            RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
            if (failure == null) {
                return r;
            }
            failure.addSuppressed(r);
        }
        return failure;
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
