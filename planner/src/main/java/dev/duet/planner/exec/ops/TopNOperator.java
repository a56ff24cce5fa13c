package dev.duet.planner.exec.ops;

import dev.duet.core.exec.HeapReservation;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
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
 * ORDER BY ... LIMIT n OFFSET m without sorting everything: keeps the best {@code m + n} rows seen
 * so far in a bounded max-heap (the worst kept row at its root), so each further input row costs
 * one comparison with the root, and a replacement {@code O(log(m + n))}. At the end the kept rows
 * are sorted and rows {@code [m, m + n)} returned. Ties keep the earlier input row, so the result
 * is exactly that of a stable {@link SortOperator} followed by a {@link LimitOperator}.
 *
 * <p>The heap holds each kept row's {@link NormalizedSortKeys} and a reference to its row; input
 * batches still referenced are taken over (no copy) and freed as soon as no kept row points into
 * them. When the batches held carry many more rows than are kept, the kept rows are compacted
 * into one batch, so memory stays in {@code O(m + n + batch size)}. {@code LIMIT 0} returns
 * nothing without reading the input. Memory beyond the query limit is 53200.
 */
public final class TopNOperator implements Operator {
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final QueryContext context;
    private final Operator input;
    private final TopNSpec spec;
    private final List<BatchColumn> columns;
    private final NormalizedSortKeys encoding;
    private final long keep;
    private final int batchSize;

    private HeapReservation memory;
    private int capacity;
    private byte[] heapKeys;
    private int[] heap;
    private int[] entryBatch;
    private int[] entryRow;
    private long[] entrySeq;
    private int size;
    private long nextSeq;
    private byte[] batchKeys = new byte[0];

    private FieldVector[][] batches = new FieldVector[0][];
    private int[] refCount = new int[0];
    private int[] batchRows = new int[0];
    /** Whether a registered batch's vectors are this operator's (taken over) or still the input's. */
    private boolean[] owned = new boolean[0];
    private int batchCount;
    private long retainedRows;

    private int[] order;
    private int emitted;
    private FieldVector[] current;
    /** Kept rows: key position = entry id. */
    private final NormalizedSortKeys.RowLocator entries = new NormalizedSortKeys.RowLocator() {
        @Override
        public FieldVector[] batch(int position) {
            return batches[entryBatch[position]];
        }

        @Override
        public int row(int position) {
            return entryRow[position];
        }
    };
    /** Rows of the input batch being added: key position = row. */
    private final NormalizedSortKeys.RowLocator candidates = new NormalizedSortKeys.RowLocator() {
        @Override
        public FieldVector[] batch(int position) {
            return current;
        }

        @Override
        public int row(int position) {
            return position;
        }
    };
    private GatherOutput gather;
    private boolean built;
    private boolean done;
    private boolean closed;

    /** The first {@code spec.limit()} rows after {@code spec.offset()} of {@code input} in {@code spec}'s order. */
    public TopNOperator(QueryContext context, Operator input, TopNSpec spec) {
        this.context = Objects.requireNonNull(context, "context is null");
        this.input = Objects.requireNonNull(input, "input is null");
        this.spec = Objects.requireNonNull(spec, "spec is null");
        this.columns = input.columns();
        this.encoding = new NormalizedSortKeys(spec.keys(), columns);
        this.keep = spec.limit() == 0 ? 0 : spec.keep();
        this.batchSize = context.batchSize();
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("top-N is closed");
        }
        if (done) {
            return null;
        }
        if (!built) {
            build();
            built = true;
        }
        context.checkCancelled();
        if (emitted >= size) {
            done = true;
            release();
            return null;
        }
        int n = Math.min(batchSize, size - emitted);
        gather.reserve(n);
        int[] outBatch = gather.batchIndexes();
        int[] outRow = gather.rowIndexes();
        for (int i = 0; i < n; i++) {
            int e = order[emitted + i];
            outBatch[i] = entryBatch[e];
            outRow[i] = entryRow[e];
        }
        emitted += n;
        return gather.emit(n);
    }

    private void build() {
        memory = new HeapReservation(context, "top-N");
        heapKeys = new byte[0];
        heap = new int[0];
        entryBatch = new int[0];
        entryRow = new int[0];
        entrySeq = new long[0];
        if (keep > 0) {
            for (VectorSchemaRoot b = input.next(); b != null; b = input.next()) {
                context.checkCancelled();
                if (b.getRowCount() > 0) {
                    addBatch(b);
                }
            }
        }
        input.close();
        order = new int[0];
        order = memory.grow(order, size);
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        RowSorter.sort(encoding, heapKeys, order, size, entries, entrySeq, memory);
        emitted = (int) Math.min(spec.offset(), size);
        gather = new GatherOutput(context, columns, memory, batches, batchCount);
    }

    private void addBatch(VectorSchemaRoot b) {
        int rows = b.getRowCount();
        int w = encoding.rowWidth;
        if ((long) rows * w > MAX_ARRAY) {
            throw DuetException.of(SqlState.OUT_OF_MEMORY, "out of memory: a batch of %d rows is too large to sort", rows);
        }
        if (batchKeys.length < rows * w) {
            batchKeys = memory.grow(batchKeys, rows * w);
        }
        List<FieldVector> vectors = b.getFieldVectors();
        encoding.encode(vectors, rows, batchKeys, 0);
        current = vectors.toArray(new FieldVector[0]);
        int bid = registerBatch(current, rows);
        byte[] bk = batchKeys;
        for (int r = 0; r < rows; r++) {
            if (size < keep) {
                if (size == capacity) {
                    growEntries();
                }
                int e = size;
                System.arraycopy(bk, r * w, heapKeys, e * w, w);
                entryBatch[e] = bid;
                entryRow[e] = r;
                entrySeq[e] = nextSeq++;
                refCount[bid]++;
                heap[size++] = e;
                siftUp(size - 1);
                continue;
            }
            int root = heap[0];
            // a later row must be strictly better than the worst kept one to replace it
            if (encoding.compare(bk, r, candidates, heapKeys, root, entries) < 0) {
                int old = entryBatch[root];
                if (--refCount[old] == 0 && old != bid) {
                    freeBatch(old);
                }
                System.arraycopy(bk, r * w, heapKeys, root * w, w);
                entryBatch[root] = bid;
                entryRow[root] = r;
                entrySeq[root] = nextSeq++;
                refCount[bid]++;
                siftDown(0);
            }
        }
        current = null;
        if (refCount[bid] > 0) {
            batches[bid] = ArrowBuffers.take(b, context.allocator());
            owned[bid] = true;
            retainedRows += rows;
            if (batchCount > 1 && retainedRows > 2L * size + 2L * batchSize) {
                compact();
            }
        } else {
            batches[bid] = null;
        }
    }

    private int registerBatch(FieldVector[] vectors, int rows) {
        if (batchCount == batches.length) {
            int n = Math.max(16, 2 * batchCount);
            batches = Arrays.copyOf(batches, n);
            refCount = Arrays.copyOf(refCount, n);
            batchRows = Arrays.copyOf(batchRows, n);
            owned = Arrays.copyOf(owned, n);
        }
        int bid = batchCount++;
        batches[bid] = vectors;
        owned[bid] = false;
        refCount[bid] = 0;
        batchRows[bid] = rows;
        return bid;
    }

    private void freeBatch(int bid) {
        FieldVector[] vs = batches[bid];
        batches[bid] = null;
        if (vs != null && owned[bid]) {
            owned[bid] = false;
            for (FieldVector v : vs) {
                v.close();
            }
            retainedRows -= batchRows[bid];
        }
    }

    /** Copies every kept row into one fresh batch and frees the batches they came from. */
    private void compact() {
        VectorSchemaRoot fresh = Batches.create(context.allocator(), columns);
        FieldVector[] vectors;
        try {
            Batches.allocate(fresh, size);
            List<FieldVector> out = fresh.getFieldVectors();
            VectorGather[] g = bindGathers();
            for (int c = 0; c < g.length; c++) {
                g[c].gather(out.get(c), entryBatch, entryRow, size);
            }
            fresh.setRowCount(size);
            vectors = out.toArray(new FieldVector[0]);
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        for (int b = 0; b < batchCount; b++) {
            freeBatch(b);
        }
        batchCount = 0;
        int bid = registerBatch(vectors, size);
        owned[bid] = true;
        refCount[bid] = size;
        retainedRows = size;
        Arrays.fill(entryBatch, 0, size, bid);
        for (int e = 0; e < size; e++) {
            entryRow[e] = e;
        }
    }

    private VectorGather[] bindGathers() {
        VectorGather[] g = new VectorGather[columns.size()];
        for (int c = 0; c < g.length; c++) {
            g[c] = new VectorGather(columns.get(c).type());
            g[c].bind(batches, batchCount, c);
        }
        return g;
    }

    private void growEntries() {
        int w = encoding.rowWidth;
        long limit = Math.min(keep, MAX_ARRAY / w);
        if (capacity >= limit) {
            throw DuetException.of(SqlState.OUT_OF_MEMORY, "out of memory: a top-N holds at most %d rows in memory", limit);
        }
        int n = (int) Math.min(limit, Math.max(64, 2L * capacity));
        heapKeys = memory.grow(heapKeys, n * w);
        heap = memory.grow(heap, n);
        entryBatch = memory.grow(entryBatch, n);
        entryRow = memory.grow(entryRow, n);
        entrySeq = memory.grow(entrySeq, n);
        capacity = n;
    }

    /** Orders kept rows: by key, then by arrival. */
    private int compareEntries(int a, int b) {
        int c = encoding.compare(heapKeys, a, entries, heapKeys, b, entries);
        return c != 0 ? c : Long.compare(entrySeq[a], entrySeq[b]);
    }

    private void siftUp(int i) {
        int e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (compareEntries(e, heap[p]) <= 0) {
                break;
            }
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = e;
    }

    private void siftDown(int i) {
        int e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int r = c + 1;
            if (r < size && compareEntries(heap[r], heap[c]) > 0) {
                c = r;
            }
            if (compareEntries(heap[c], e) <= 0) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = e;
    }

    private void release() {
        if (gather != null) {
            gather.close();
            gather = null;
        }
        for (int b = 0; b < batchCount; b++) {
            freeBatch(b); // closes only batches taken over; the others belong to the input
        }
        batchCount = 0;
        heapKeys = null;
        batchKeys = null;
        order = null;
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
        return "TopN[" + spec + "]";
    }
}
