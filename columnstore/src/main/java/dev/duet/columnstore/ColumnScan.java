package dev.duet.columnstore;

import dev.duet.columnstore.parquet.ColumnStats;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.OperatorDetails;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.exec.VectorRanges;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * A scan of one table of the {@link ColumnStore} at a snapshot: the rows inserted at or before it
 * and not deleted at or before it, segment by segment (sealed ones row group by row group, skipping
 * row groups whose statistics rule out a {@link ZonePredicate}; in-memory ones in batches of the
 * query's batch size). Batches are allocated from the query's allocator.
 *
 * <p>Sealed row groups go through the store's {@link SegmentCache} (unless it is turned off): the
 * chunks of the needed columns are decoded once into the cache. A row group the snapshot sees
 * whole (no row deleted at or before it, every row inserted at or before it: the common case of a
 * table read after its load) becomes a batch of the cached buffers themselves, lent to the query
 * ({@link SegmentCache#lend}: accounted to the query's allocator, pinned in the cache until the
 * query frees them), so that reading it copies nothing. Of any other row group, the chunks are
 * pinned while this scan copies the visible rows, runs at a time, into a batch of its own.
 *
 * <p>The segment list is fixed when the scan is created; an in-memory segment it includes stays
 * readable (it holds a reference) even if it is sealed meanwhile, and the scan reads only its rows
 * published before the scan began (rows appended later belong to commits after the snapshot).
 * Copies out of in-memory segments are made under the table's read lock, because appending may
 * reallocate their vectors.
 *
 * <p>The scan reads {@link ScanMorsels}: a serial scan owns morsels that are whole segments, in
 * order; scans of a parallel query share one {@code ScanMorsels} (each on its own thread, each with
 * its own context and allocator) and each reads the morsels it takes, so that together they
 * return every visible row once, in no particular order.
 */
public final class ColumnScan implements Operator {
    private final ColumnStore store;
    private final QueryContext context;
    private final ColumnTable table;
    private final long snapshot;
    private final int[] columns;
    private final List<ZonePredicate> predicates;
    private final List<BatchColumn> output;
    private final ScanMorsels morsels;
    /** Whether this scan made its morsels and closes them (a serial scan). */
    private final boolean ownsMorsels;

    /** The morsel being read, or null between morsels. */
    private ScanMorsels.Morsel morsel;
    /** The reader of part {@code readerPart}'s file, kept open while consecutive morsels read it. */
    private SegmentFile.Reader reader;
    private int readerPart = -1;
    private int rowGroup;
    private int openCursor;
    private VectorSchemaRoot current;
    private boolean closed;
    private long skipped;
    private long read;

    ColumnScan(ColumnStore store, QueryContext context, ColumnTable table, long snapshot, int[] columns,
            List<ZonePredicate> predicates) {
        this(new ScanMorsels(store, table, snapshot, columns, predicates, 0), context, true);
    }

    ColumnScan(ScanMorsels morsels, QueryContext context, boolean ownsMorsels) {
        this.morsels = morsels;
        this.ownsMorsels = ownsMorsels;
        this.store = morsels.store;
        this.context = context;
        this.table = morsels.table;
        this.snapshot = morsels.snapshot;
        this.columns = morsels.columns;
        this.predicates = morsels.predicates;
        this.output = new ArrayList<>(columns.length);
        for (int c : columns) {
            ColumnDef def = table.def.column(c);
            output.add(new BatchColumn(def.name(), def.type(), !def.notNull()));
        }
    }

    @Override
    public List<BatchColumn> columns() {
        return output;
    }

    /** For EXPLAIN ANALYZE: the row groups of sealed segments this scan read and skipped by their min/max. */
    @Override
    public void reportDetails(OperatorDetails details) {
        details.add("row groups read", read);
        details.add("row groups skipped", skipped);
    }

    /** Row groups skipped by their min/max so far. */
    public long rowGroupsSkipped() {
        return skipped;
    }

    /** Row groups read so far. */
    public long rowGroupsRead() {
        return read;
    }

    @Override
    public VectorSchemaRoot next() {
        if (closed) {
            throw new IllegalStateException("scan is closed");
        }
        freeCurrent();
        try {
            while (true) {
                context.checkCancelled();
                if (morsel == null) {
                    morsel = morsels.take();
                    if (morsel == null) {
                        closeReader();
                        return null;
                    }
                    rowGroup = morsel.from();
                    openCursor = morsel.from();
                }
                ScanMorsels.Part p = morsels.part(morsel.part());
                VectorSchemaRoot batch = p.file() != null ? nextSealed(p) : nextOpen(p);
                if (batch != null) {
                    current = batch;
                    return batch;
                }
                endMorsel();
            }
        } catch (OutOfMemoryException e) {
            throw context.outOfMemory(e);
        }
    }

    private void endMorsel() {
        if (morsels.wholeParts()) {
            // a serial scan is past this segment for good: free its reader and rows now
            closeReader();
            if (ownsMorsels) {
                morsels.releasePart(morsel.part());
            }
        }
        morsel = null;
    }

    private void closeReader() {
        if (reader != null) {
            reader.close();
            reader = null;
            readerPart = -1;
        }
    }

    /** The next non-empty batch of visible rows of sealed part {@code p}, or null when it is done. */
    private VectorSchemaRoot nextSealed(ScanMorsels.Part p) {
        if (reader != null && readerPart != morsel.part()) {
            closeReader();
        }
        if (reader == null) {
            reader = store.openSealed(p.file());
            readerPart = morsel.part();
        }
        long[] deletes = p.deletes().view();
        boolean checkInsert = p.file().maxInsertTs() > snapshot;
        int tsColumn = table.def.columnCount();
        int groupsEnd = Math.min(morsel.to(), reader.rowGroupCount());
        while (rowGroup < groupsEnd) {
            int rg = rowGroup++;
            if (!mayMatch(rg)) {
                skipped++;
                store.countRowGroups(0, 1);
                continue;
            }
            read++;
            store.countRowGroups(1, 0);
            int first = (int) reader.rowGroupFirstRow(rg);
            int rows = reader.rowGroupRowCount(rg);
            boolean anyDeleted = false;
            for (int r = first; r < first + rows && r < deletes.length; r++) {
                long d = deletes[r];
                if (d != 0 && d <= snapshot) {
                    anyDeleted = true;
                    break;
                }
            }
            boolean needTs = checkInsert || columns.length == 0;
            int[] toRead = columns;
            if (needTs) {
                toRead = java.util.Arrays.copyOf(columns, columns.length + 1);
                toRead[columns.length] = tsColumn;
            }
            SegmentCache cache = store.segmentCache();
            if (!cache.enabled() && !anyDeleted && !checkInsert) {
                VectorSchemaRoot raw = reader.readRowGroup(rg, toRead, context.allocator());
                if (!needTs) {
                    return raw;
                }
                VectorSchemaRoot trimmed = dropLast(raw);
                if (trimmed.getRowCount() > 0) {
                    return trimmed;
                }
                trimmed.close();
                continue;
            }
            if (cache.enabled() && !anyDeleted && !needTs) {
                return lendRowGroup(cache, p.file(), rg, rows);
            }
            SegmentCache.Entry[] pinned = null;
            VectorSchemaRoot raw = null;
            VectorSchemaRoot out = null;
            try {
                FieldVector[] src = new FieldVector[toRead.length];
                if (cache.enabled()) {
                    pinned = pin(cache, p.file(), rg, toRead);
                    for (int i = 0; i < src.length; i++) {
                        src[i] = pinned[i].vector;
                    }
                } else {
                    raw = reader.readRowGroup(rg, toRead, context.allocator());
                    for (int i = 0; i < src.length; i++) {
                        src[i] = raw.getVector(i);
                    }
                }
                BigIntVector ts = needTs ? (BigIntVector) src[columns.length] : null;
                out = newBatch(rows);
                int n = 0;
                int r = 0;
                while (r < rows) {
                    if (!visible(ts, checkInsert, r, deletes, first + r)) {
                        r++;
                        continue;
                    }
                    int end = r + 1;
                    while (end < rows && visible(ts, checkInsert, end, deletes, first + end)) {
                        end++;
                    }
                    copyRun(src, r, end - r, out, n);
                    n += end - r;
                    r = end;
                }
                finish(out, n);
            } catch (RuntimeException e) {
                if (out != null) {
                    out.close();
                }
                throw e;
            } finally {
                if (raw != null) {
                    raw.close();
                }
                if (pinned != null) {
                    for (SegmentCache.Entry e : pinned) {
                        if (e != null) {
                            cache.unpin(e);
                        }
                    }
                }
            }
            if (out.getRowCount() > 0) {
                return out;
            }
            out.close();
        }
        return null;
    }

    /**
     * Row group {@code rg} of {@code file} ({@code rows} rows, all visible) as a batch whose
     * vectors are the cached chunks' buffers lent to the query; see the class javadoc.
     */
    private VectorSchemaRoot lendRowGroup(SegmentCache cache, Segment.SealedFile file, int rg, int rows) {
        SegmentCache.Entry[] pinned = pin(cache, file, rg, columns);
        VectorSchemaRoot out = null;
        List<ArrowBuf> buffers = new ArrayList<>(3);
        try {
            out = Batches.create(context.allocator(), output);
            for (int j = 0; j < columns.length; j++) {
                FieldVector src = pinned[j].vector;
                buffers.clear();
                try {
                    for (ArrowBuf b : src.getFieldBuffers()) {
                        buffers.add(cache.lend(pinned[j], b, context.allocator()));
                    }
                    out.getVector(j).loadFieldBuffers(new ArrowFieldNode(rows, src.getNullCount()), buffers);
                } finally {
                    for (ArrowBuf b : buffers) {
                        b.close(); // the vector took references of its own to those it keeps
                    }
                }
            }
            out.setRowCount(rows);
            return out;
        } catch (RuntimeException e) {
            if (out != null) {
                out.close();
            }
            throw e;
        } finally {
            for (SegmentCache.Entry e : pinned) {
                cache.unpin(e);
            }
        }
    }

    /** The next batch of visible rows of in-memory part {@code p}, or null when it is done. */
    private VectorSchemaRoot nextOpen(ScanMorsels.Part p) {
        int limit = context.batchSize();
        VectorSchemaRoot out = null;
        table.lock.readLock().lock();
        try {
            VectorSchemaRoot src = p.rows().root();
            BigIntVector ts = p.rows().insertTs();
            long[] deletes = p.deletes().view();
            int count = morsel.to();
            FieldVector[] vectors = null;
            int n = 0;
            while (openCursor < count && n < limit) {
                int r = openCursor;
                if (!visible(ts, true, r, deletes, r)) {
                    openCursor++;
                    continue;
                }
                int stop = Math.min(count, r + (limit - n));
                int end = r + 1;
                while (end < stop && visible(ts, true, end, deletes, end)) {
                    end++;
                }
                if (out == null) {
                    out = newBatch(Math.min(limit, count - r));
                }
                if (vectors == null) {
                    vectors = new FieldVector[columns.length];
                    for (int j = 0; j < columns.length; j++) {
                        vectors[j] = src.getVector(columns[j]);
                    }
                }
                copyRun(vectors, r, end - r, out, n);
                n += end - r;
                openCursor = end;
            }
            if (out != null) {
                finish(out, n);
            }
            return out;
        } catch (RuntimeException e) {
            if (out != null) {
                out.close();
            }
            throw e;
        } finally {
            table.lock.readLock().unlock();
        }
    }

    private boolean mayMatch(int rg) {
        for (ZonePredicate pred : predicates) {
            ColumnStats st = reader.stats(rg, pred.column());
            if (st == null) {
                continue;
            }
            if (st.nullCount() >= reader.rowGroupRowCount(rg) || !pred.mayMatch(table.def.column(pred.column()).type(), st.min(), st.max())) {
                return false;
            }
        }
        return true;
    }

    private VectorSchemaRoot newBatch(int rows) {
        VectorSchemaRoot out = Batches.create(context.allocator(), output);
        try {
            Batches.allocate(out, Math.max(rows, 1));
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /**
     * Whether row {@code row} of a batch (whose insert timestamps are {@code ts}, checked only when
     * {@code checkInsert}), at position {@code pos} of its segment, is visible at the snapshot.
     */
    private boolean visible(BigIntVector ts, boolean checkInsert, int row, long[] deletes, int pos) {
        long d = pos < deletes.length ? deletes[pos] : 0;
        return (d == 0 || d > snapshot) && !(checkInsert && ts.get(row) > snapshot);
    }

    /**
     * Copies rows {@code [from, from + count)} of {@code src} (output column {@code j} from
     * {@code src[j]}) to {@code out} from row {@code to}, column by column on the buffers.
     */
    private void copyRun(FieldVector[] src, int from, int count, VectorSchemaRoot out, int to) {
        for (int j = 0; j < columns.length; j++) {
            VectorRanges.copy(src[j], from, count, out.getVector(j), to);
        }
    }

    /**
     * Row group {@code rg}'s chunks of file columns {@code fileColumns}, pinned in the cache; the
     * ones not cached yet are decoded into it first. On failure, unpins what it pinned.
     */
    private SegmentCache.Entry[] pin(SegmentCache cache, Segment.SealedFile file, int rg, int[] fileColumns) {
        SegmentCache.Entry[] pinned = new SegmentCache.Entry[fileColumns.length];
        try {
            int missing = 0;
            for (int i = 0; i < fileColumns.length; i++) {
                pinned[i] = cache.pin(new SegmentCache.Key(file, rg, fileColumns[i]));
                if (pinned[i] == null) {
                    missing++;
                }
            }
            if (missing > 0) {
                int[] toDecode = new int[missing];
                int k = 0;
                for (int i = 0; i < fileColumns.length; i++) {
                    if (pinned[i] == null) {
                        toDecode[k++] = fileColumns[i];
                    }
                }
                // the cache owns the vectors from here: the batch object itself holds nothing else
                VectorSchemaRoot decoded = reader.readRowGroup(rg, toDecode, cache.allocator());
                k = 0;
                for (int i = 0; i < fileColumns.length; i++) {
                    if (pinned[i] == null) {
                        pinned[i] = cache.put(new SegmentCache.Key(file, rg, fileColumns[i]), decoded.getVector(k++));
                    }
                }
            }
            return pinned;
        } catch (RuntimeException e) {
            for (SegmentCache.Entry p : pinned) {
                if (p != null) {
                    cache.unpin(p);
                }
            }
            throw e;
        }
    }

    private static void finish(VectorSchemaRoot out, int rows) {
        for (FieldVector v : out.getFieldVectors()) {
            VectorRanges.finish(v, rows);
        }
        out.setRowCount(rows);
    }

    /** The batch without its last vector (the insert timestamps read for visibility). */
    private static VectorSchemaRoot dropLast(VectorSchemaRoot raw) {
        List<FieldVector> vectors = new ArrayList<>(raw.getFieldVectors());
        FieldVector last = vectors.remove(vectors.size() - 1);
        int rows = raw.getRowCount();
        last.close();
        VectorSchemaRoot trimmed = new VectorSchemaRoot(vectors);
        trimmed.setRowCount(rows);
        return trimmed;
    }

    private void freeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        freeCurrent();
        closeReader();
        if (ownsMorsels) {
            morsels.close();
        }
    }

    @Override
    public String toString() {
        return "ColumnScan(" + table.def.qualifiedName() + " at " + snapshot + ")";
    }
}
