package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.HeapReservation;
import dev.duet.core.exec.QueryContext;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The output side of the operators that buffer their input and return its rows in a new order
 * (sort, top-N): for each output row the caller writes which buffered batch and which row of it
 * into {@link #batchIndexes()} and {@link #rowIndexes()} (after {@link #reserve}), then
 * {@link #emit} gathers those rows column by column into one output batch, reused from call to
 * call. The index arrays are charged to the operator's {@link HeapReservation}; the batch to the
 * query's allocator, freed by {@link #close()}.
 */
final class GatherOutput implements AutoCloseable {
    private final QueryContext context;
    private final List<BatchColumn> columns;
    private final HeapReservation memory;
    private final VectorGather[] gathers;
    private int[] batchIndexes = new int[0];
    private int[] rowIndexes = new int[0];
    private VectorSchemaRoot output;

    /** Gathers from the first {@code batchCount} of {@code batches} (each the vectors of {@code columns}). */
    GatherOutput(QueryContext context, List<BatchColumn> columns, HeapReservation memory,
            FieldVector[][] batches, int batchCount) {
        this.context = context;
        this.columns = columns;
        this.memory = memory;
        this.gathers = new VectorGather[columns.size()];
        for (int c = 0; c < gathers.length; c++) {
            gathers[c] = new VectorGather(columns.get(c).type());
            gathers[c].bind(batches, batchCount, c);
        }
    }

    /** Makes {@link #batchIndexes()} and {@link #rowIndexes()} hold at least {@code n} entries. */
    void reserve(int n) {
        if (batchIndexes.length < n) {
            batchIndexes = memory.grow(batchIndexes, n);
            rowIndexes = memory.grow(rowIndexes, n);
        }
    }

    /** Output row i comes from buffered batch {@code batchIndexes()[i]}. */
    int[] batchIndexes() {
        return batchIndexes;
    }

    /** Output row i is row {@code rowIndexes()[i]} of its batch. */
    int[] rowIndexes() {
        return rowIndexes;
    }

    /** The output batch of the first {@code n} rows named in the index arrays. */
    VectorSchemaRoot emit(int n) {
        if (output == null) {
            output = Batches.create(context.allocator(), columns);
        }
        Batches.allocate(output, n);
        List<FieldVector> out = output.getFieldVectors();
        for (int c = 0; c < gathers.length; c++) {
            gathers[c].gather(out.get(c), batchIndexes, rowIndexes, n);
        }
        output.setRowCount(n);
        return output;
    }

    @Override
    public void close() {
        if (output != null) {
            VectorSchemaRoot o = output;
            output = null;
            o.close();
        }
    }
}
