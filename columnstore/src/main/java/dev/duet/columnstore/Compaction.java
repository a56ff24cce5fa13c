package dev.duet.columnstore;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The rewrite of one sealed segment without its rows deleted at or before {@code limit} (no
 * snapshot any reader may still use sees them), run on the store's compaction thread (a
 * {@link Sealer}). It reads only the segment's file, which never changes, and a copy of its
 * delete vector taken by the sync thread at submission; it writes the new segment's file (forced)
 * and records, per old row position, where the row went. The sync thread installs the result
 * ({@code ColumnStore.installCompaction}): deletions applied since the copy are carried over
 * through that mapping, the key map (if the table has one yet) follows the live rows, and the new
 * segment replaces the old one in the table's list before the next manifest lists it. Until then the new file is listed
 * nowhere, so a crash leaves it to be deleted on open.
 */
final class Compaction extends Sealer.Job {
    final ColumnTable table;
    final Segment segment;
    /** The new segment (id taken by the sync thread); its file is set by {@link #write} if any row remains. */
    final Segment fresh;
    final long limit;
    private final long[] deletedAtSubmit;
    private final Path file;
    private final int rowGroupRows;
    private final BufferAllocator allocator;

    /** Results, read by the sync thread once the job is handed back: per old row, its new row or -1 (dropped). */
    private int[] newRow;
    /** The keys of the rows that were live at submission, by old row position (null for the others). */
    private byte[][] keys;
    private int kept;

    Compaction(ColumnTable table, Segment segment, Segment fresh, long limit, Path file, int rowGroupRows,
            BufferAllocator allocator) {
        this.table = table;
        this.segment = segment;
        this.fresh = fresh;
        this.limit = limit;
        long[] view = segment.deletes.view();
        this.deletedAtSubmit = Arrays.copyOf(view, view.length);
        this.file = file;
        this.rowGroupRows = rowGroupRows;
        this.allocator = allocator;
    }

    /** True if {@code d}, a row's deletion timestamp, removes it from the rewritten segment. */
    static boolean dropped(long d, long limit) {
        return d != 0 && d <= limit;
    }

    @Override
    void write() {
        Segment.SealedFile old = segment.file;
        List<BatchColumn> cols = OpenRows.storedColumns(table.def);
        int[] all = new int[cols.size()];
        Arrays.setAll(all, i -> i);
        int tsColumn = table.def.columnCount();
        int rows = old.rowCount();
        int[] moved = new int[rows];
        Arrays.fill(moved, -1);
        byte[][] live = new byte[rows][];
        long minTs = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        int n = 0;
        try (VectorSchemaRoot out = Batches.create(allocator, cols)) {
            Batches.allocate(out, Math.max(1, rows));
            try (SegmentFile.Reader reader = SegmentFile.open(old.path())) {
                for (int rg = 0; rg < reader.rowGroupCount(); rg++) {
                    int first = (int) reader.rowGroupFirstRow(rg);
                    try (VectorSchemaRoot b = reader.readRowGroup(rg, all, allocator)) {
                        BigIntVector ts = (BigIntVector) b.getVector(tsColumn);
                        VarBinaryVector keyColumn = (VarBinaryVector) b.getVector(tsColumn + 1);
                        for (int i = 0; i < b.getRowCount(); i++) {
                            int pos = first + i;
                            long d = pos < deletedAtSubmit.length ? deletedAtSubmit[pos] : 0;
                            if (dropped(d, limit)) {
                                continue;
                            }
                            for (int c = 0; c < all.length; c++) {
                                out.getVector(c).copyFromSafe(i, n, b.getVector(c));
                            }
                            minTs = Math.min(minTs, ts.get(i));
                            maxTs = Math.max(maxTs, ts.get(i));
                            if (d == 0) {
                                live[pos] = keyColumn.get(i);
                            }
                            moved[pos] = n++;
                        }
                    }
                }
            }
            out.setRowCount(n);
            if (n > 0) {
                long bytes = SegmentFile.write(file, cols, out, n, rowGroupRows);
                fresh.file = new Segment.SealedFile(file, n, minTs, maxTs, bytes);
            }
        }
        newRow = moved;
        keys = live;
        kept = n;
    }

    @Override
    void abandon() {
        // holds nothing but a copy of the delete vector
    }

    /** Where old row {@code row} went in {@link #fresh}, or -1 if it was dropped. */
    int newRow(int row) {
        return newRow[row];
    }

    /** The key of old row {@code row} if it was live at submission, else null. */
    byte[] keyAt(int row) {
        return keys[row];
    }

    /** Rows in the new segment (0: the old segment simply goes). */
    int kept() {
        return kept;
    }

    /** Rows of the old segment. */
    int oldRows() {
        return newRow.length;
    }

    Path file() {
        return file;
    }
}
