package dev.duet.columnstore;

import dev.duet.core.exec.QueryContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The segments of one table of the {@link ColumnStore} at one snapshot, cut into morsels that
 * {@link ColumnScan}s take one at a time: the unit of parallel scanning. A morsel is one row group
 * of a sealed segment, or a range of rows of an in-memory one; every morsel is handed out exactly
 * once, whichever scan asks first ({@link #take()} is thread-safe), so K scans over one
 * {@code ScanMorsels}, on K threads, together read each visible row exactly once.
 *
 * <p>The segment list is fixed when the morsels are made, under the table's read lock, exactly as
 * a serial scan fixes it: the store counts the morsels as one running scan (old segment files stay
 * until they are closed), and in-memory segments are retained until {@link #close()}. Visibility
 * (the snapshot, delete vectors), zone-map skipping and the segment cache's pinning are the
 * scans' business, per row group, as in a serial scan.
 *
 * <p>A serial scan ({@link ColumnStore#scan}) owns a private instance whose morsels are whole
 * segments in order, so it reads exactly as before morsels existed. Made by
 * {@link ColumnStore#morsels} for a parallel scan: its owner closes it after every scan over it is
 * closed.
 */
public final class ScanMorsels implements AutoCloseable {
    final ColumnStore store;
    final ColumnTable table;
    final long snapshot;
    final int[] columns;
    final List<ZonePredicate> predicates;
    /**
     * The segments as the scans see them. Written only in the constructor and, for a serial
     * instance (one scan, one thread), by {@link #releasePart}; read by the scans after their
     * creation, which the handing of a scan to its thread orders after the constructor.
     */
    private final List<Part> parts = new ArrayList<>();
    /** Morsel i: part {@code part[i]}, row groups (sealed) or rows (in memory) {@code [from[i], to[i])}. */
    private final int[] part;
    private final int[] from;
    private final int[] to;
    /** The next morsel to hand out; advanced atomically, so each is taken once. */
    private final AtomicInteger next = new AtomicInteger();
    private final boolean wholeParts;
    /** Guarded by {@code this}. */
    private boolean closed;

    /** One segment as the scans see it: a sealed file, or in-memory rows up to {@code count}. */
    record Part(Segment.SealedFile file, OpenRows rows, int count, DeleteVector deletes) {
    }

    /** One morsel: rows or row groups {@code [from, to)} of part {@code part}. */
    record Morsel(int part, int from, int to) {
    }

    /**
     * @param morselRows rows per morsel of an in-memory segment; 0 makes each segment one morsel
     *                   (a serial scan: sealed segments are then not opened here either)
     */
    ScanMorsels(ColumnStore store, ColumnTable table, long snapshot, int[] columns, List<ZonePredicate> predicates,
            int morselRows) {
        this.store = store;
        this.table = table;
        this.snapshot = snapshot;
        this.columns = columns;
        this.predicates = predicates;
        this.wholeParts = morselRows <= 0;
        table.lock.readLock().lock();
        try {
            store.scanStarted(this);
            for (Segment s : table.segments) {
                if (s.file != null) {
                    if (s.file.minInsertTs() <= snapshot) {
                        parts.add(new Part(s.file, null, 0, s.deletes));
                    }
                } else if (s.rows != null && s.rows.published() > 0) {
                    s.rows.retain();
                    parts.add(new Part(null, s.rows, s.rows.published(), s.deletes));
                }
            }
        } finally {
            table.lock.readLock().unlock();
        }
        List<int[]> morsels = new ArrayList<>();
        try {
            for (int i = 0; i < parts.size(); i++) {
                Part p = parts.get(i);
                if (wholeParts) {
                    morsels.add(new int[] {i, 0, p.file != null ? Integer.MAX_VALUE : p.count});
                } else if (p.file != null) {
                    int groups;
                    try (SegmentFile.Reader reader = store.openSealed(p.file)) {
                        groups = reader.rowGroupCount();
                    }
                    for (int rg = 0; rg < groups; rg++) {
                        morsels.add(new int[] {i, rg, rg + 1});
                    }
                } else {
                    for (int r = 0; r < p.count; r += morselRows) {
                        morsels.add(new int[] {i, r, Math.min(p.count, r + morselRows)});
                    }
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        part = new int[morsels.size()];
        from = new int[morsels.size()];
        to = new int[morsels.size()];
        for (int i = 0; i < morsels.size(); i++) {
            part[i] = morsels.get(i)[0];
            from[i] = morsels.get(i)[1];
            to[i] = morsels.get(i)[2];
        }
    }

    /** The number of morsels (the most scans that can usefully share them). */
    public int morselCount() {
        return part.length;
    }

    /**
     * A new scan reading morsels from these under {@code context}'s allocator (a worker's own
     * context, for one). The caller closes it, and closes this once all its scans are closed.
     */
    public ColumnScan newScan(QueryContext context) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("morsels are closed");
            }
        }
        return new ColumnScan(this, context, false);
    }

    /** The next morsel nobody has taken, or null when all are taken. Any thread. */
    Morsel take() {
        int i = next.getAndIncrement();
        if (i >= part.length) {
            next.set(part.length); // keeps the counter from wrapping however often scans ask
            return null;
        }
        return new Morsel(part[i], from[i], to[i]);
    }

    Part part(int index) {
        return parts.get(index);
    }

    /** Whether every morsel is a whole segment (a serial scan's own morsels). */
    boolean wholeParts() {
        return wholeParts;
    }

    /**
     * Releases part {@code index}'s in-memory rows early, once its only scan is done with it (a
     * serial scan frees a segment's rows as soon as it moves past it).
     */
    void releasePart(int index) {
        Part p = parts.get(index);
        if (p.rows != null) {
            p.rows.release();
            parts.set(index, new Part(null, null, 0, null));
        }
    }

    /** Releases the in-memory segments and ends the store's count of this scan. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (int i = 0; i < parts.size(); i++) {
            releasePart(i);
        }
        store.scanEnded(this);
    }

    @Override
    public String toString() {
        return "ScanMorsels(" + table.def.qualifiedName() + " at " + snapshot + ", " + part.length + " morsels)";
    }
}
