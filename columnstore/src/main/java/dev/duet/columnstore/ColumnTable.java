package dev.duet.columnstore;

import dev.duet.core.catalog.TableDef;
import java.util.HashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The column storage of one table: its segments (sealed ones first, the open one last), the key
 * map that locates each key's live row, and what of it is persisted.
 *
 * <p>Locking: {@link #lock}'s write lock is taken by the sync thread to append rows, publish them
 * and switch segments; scans take the read lock to snapshot the segment list and to copy rows out
 * of in-memory segments. The fields marked "sync thread" are only ever touched by the one thread
 * applying commits.
 */
final class ColumnTable {
    final TableDef def;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Copy-on-write under the write lock; oldest first, the open segment last. */
    volatile Segment[] segments = new Segment[0];

    /** Written by the sync thread (volatile for metric readers): the segment receiving rows. */
    volatile Segment open;
    /**
     * Sync thread (the only thread that reads or writes it, with or without the table lock):
     * encoded key to (segment id << 32 | row) of its live row, or null until the table's first
     * UPDATE or DELETE since it was created or opened. Only those need the old row's position, and
     * an INSERT's key has no live row (the row store logged it as new), so an append-only table
     * never pays the map's 36 bytes per live row on the heap (plus the bytes of keys longer than
     * 8) nor a hash probe per row. {@code ColumnStore.buildKeys} builds it from the key columns of
     * every segment when it is first needed.
     */
    KeyMap keys;
    /** Written by the sync thread, read by scans: rows deleted at or before this may have been compacted away. */
    volatile long compactedTo;
    /** Sync thread: segments by id. */
    final HashMap<Integer, Segment> byId = new HashMap<>();
    /** Sync thread: every commit at or before this is wholly in the persisted segments and delete vectors. */
    long persistedTs;
    /**
     * Sync thread: the watermark (timestamp, WAL position) before the first commit whose rows are
     * only in the open segment, or -1 when the open segment is empty; replay must start there.
     */
    long pendingFromTs = -1;
    long pendingFromLsn = -1;
    /** Sync thread: rows appended since the last publish; the write lock is held for the commit being applied. */
    boolean touched;
    boolean writing;
    /** Sync thread: the sink of bulk runs into the open segment, made once per open segment ({@link ColumnStore#insertRun}). */
    ColumnStore.RowRun run;

    ColumnTable(TableDef def, long persistedTs) {
        this.def = def;
        this.persistedTs = persistedTs;
    }

    /** Adds a segment at the end of the list (write lock held). */
    void addSegment(Segment s) {
        Segment[] old = segments;
        Segment[] next = java.util.Arrays.copyOf(old, old.length + 1);
        next[old.length] = s;
        segments = next;
        byId.put(s.id, s);
    }

    static long position(int segmentId, int row) {
        return ((long) segmentId << 32) | (row & 0xFFFFFFFFL);
    }

    static int segmentOf(long position) {
        return (int) (position >>> 32);
    }

    static int rowOf(long position) {
        return (int) position;
    }
}
