package dev.duet.planner.exec.ops;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * ORDER BY: reads its whole input on the first {@link #next()}, sorts it and returns the rows in
 * order, in batches of the query's batch size, with the input's columns. The sort is stable
 * (rows with equal keys keep their input order). For ORDER BY ... LIMIT use {@link TopNOperator}.
 *
 * <p>Input batches are kept by taking over their vectors (a transfer, no copy), so the buffered
 * rows are charged to the query's allocator where they were allocated; the sort keys
 * ({@link NormalizedSortKeys}, a few bytes per row) and the row index are charged through a
 * {@link HeapReservation}. Past the query's memory limit the sort fails with 53200. Output rows
 * are gathered from the buffered batches column by column; everything is freed when the last
 * batch has been returned or the operator is closed.
 */
public final class SortOperator implements Operator {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final QueryContext context;
    private final Operator input;
    private final SortSpec spec;
    private final List<BatchColumn> columns;
    private final NormalizedSortKeys encoding;
    private final int batchSize;

    private HeapReservation memory;
    private FieldVector[][] batches = new FieldVector[0][];
    private int batchCount;
    private byte[] keys;
    private int[] ids;
    /** Batch index of each row id; ids are given in input order, so a batch's ids are consecutive. */
    private int[] batchOf;
    private int[] batchStart = new int[0];
    private int rowCount;
    private int emitted;
    private GatherOutput gather;
    private boolean sorted;
    private boolean done;
    private boolean closed;

    /** Sorts {@code input} by {@code spec}'s keys. */
    public SortOperator(QueryContext context, Operator input, SortSpec spec) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.input = Objects.requireNonNull(input, "input is null");
        this.spec = Objects.requireNonNull(spec, "spec is null");
        this.columns = input.columns();
        this.encoding = new NormalizedSortKeys(spec.keys(), columns);
        this.batchSize = context.batchSize();
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("sort is closed");
        }
        if (done) {
            return null;
        }
        if (!sorted) {
            consume();
            sorted = true;
        }
        context.checkCancelled();
        if (emitted >= rowCount) {
            done = true;
            release();
            return null;
        }
        int n = Math.min(batchSize, rowCount - emitted);
        gather.reserve(n);
        int[] outBatch = gather.batchIndexes();
        int[] outRow = gather.rowIndexes();
        for (int i = 0; i < n; i++) {
            int id = ids[emitted + i];
            int b = batchOf[id];
            outBatch[i] = b;
            outRow[i] = id - batchStart[b];
        }
        emitted += n;
        return gather.emit(n);
    }

    private void consume() {
        memory = new HeapReservation(context, "sort");
        keys = new byte[0];
        batchOf = new int[0];
        int w = encoding.rowWidth;
        for (VectorSchemaRoot b = input.next(); b != null; b = input.next()) {
            context.checkCancelled();
            int rows = b.getRowCount();
            if (rows == 0) {
                continue;
            }
            long total = (long) rowCount + rows;
            if (total * w > MAX_ARRAY) {
                throw DuetException.of(SqlState.OUT_OF_MEMORY,
                        "out of memory: a sort holds at most %d rows in memory", MAX_ARRAY / w);
            }
            if (total > batchOf.length) {
                int capacity = (int) Math.min(MAX_ARRAY / w, Math.max(total, 2L * batchOf.length));
                keys = memory.grow(keys, capacity * w);
                batchOf = memory.grow(batchOf, capacity);
            }
            encoding.encode(b.getFieldVectors(), rows, keys, rowCount);
            int id = batchCount;
            FieldVector[] owned = ArrowBuffers.take(b, context.allocator());
            if (batchCount == batches.length) {
                batches = Arrays.copyOf(batches, Math.max(16, 2 * batchCount));
                batchStart = Arrays.copyOf(batchStart, batches.length);
            }
            batches[batchCount] = owned;
            batchStart[batchCount++] = rowCount;
            Arrays.fill(batchOf, rowCount, rowCount + rows, id);
            rowCount += rows;
        }
        input.close();
        ids = new int[0];
        ids = memory.grow(ids, rowCount);
        for (int i = 0; i < rowCount; i++) {
            ids[i] = i;
        }
        RowSorter.sort(encoding, keys, ids, rowCount, new NormalizedSortKeys.RowLocator() {
            @Override
            public FieldVector[] batch(int position) {
                return batches[batchOf[position]];
            }

            @Override
            public int row(int position) {
                return position - batchStart[batchOf[position]];
            }
        }, null, memory);
        memory.release(keys.length);
        keys = null; // the order is known: the keys are no longer needed
        gather = new GatherOutput(context, columns, memory, batches, batchCount);
    }

    private void release() {
        if (gather != null) {
            gather.close();
            gather = null;
        }
        for (int b = 0; b < batchCount; b++) {
            for (FieldVector v : batches[b]) {
                v.close();
            }
            batches[b] = null;
        }
        batchCount = 0;
        keys = null;
        ids = null;
        batchOf = null;
        if (memory != null) {
            memory.close();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            release();
        } finally {
            input.close();
        }
    }

    @Override
    public String toString() {
        return "Sort[" + spec + "]";
    }
}
