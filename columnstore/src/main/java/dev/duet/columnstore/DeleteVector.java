package dev.duet.columnstore;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.io.ByteSink;
import dev.duet.core.io.ByteSource;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The deletions of one segment: per row position, the commit timestamp that deleted it (0: live).
 * A row is visible at snapshot S if it was inserted at or before S and its delete timestamp is 0
 * or after S.
 *
 * <p>Concurrency: only the sync thread writes (one applier), scans read. A scan reads it only for
 * snapshots at or below the watermark it has read (volatile), and every delete at or below the
 * watermark was written before the watermark was published, so a scan always sees the deletes it
 * needs; later ones (timestamps above its snapshot) do not change its answer whatever it reads.
 * Growth swaps in a copied array through a volatile field for the same reason. Costs 8 bytes per
 * row of a segment with at least one deletion.
 */
final class DeleteVector {
    private static final int MAGIC = 0x44564431; // "DVD1"

    private volatile long[] ts = new long[0];
    /** Sync thread only: deleted rows; whether there are changes not yet written to the file. */
    private int deleted;
    private boolean dirty;

    /** Deletion timestamp of {@code row}, 0 if live. */
    long deletedAt(int row) {
        long[] t = ts;
        return row < t.length ? t[row] : 0;
    }

    /** Whether any row is deleted at or before {@code snapshot}. */
    boolean anyDeletedBy(long snapshot) {
        for (long t : ts) {
            if (t != 0 && t <= snapshot) {
                return true;
            }
        }
        return false;
    }

    /** The array to test rows against in a scan (a stable view; see the class comment). */
    long[] view() {
        return ts;
    }

    /** Marks {@code row} deleted at {@code commitTs}; a no-op if it already is (replay). Sync thread. */
    void mark(int row, long commitTs) {
        long[] t = ts;
        if (row >= t.length) {
            t = Arrays.copyOf(t, Math.max(row + 1, Math.max(16, t.length * 2)));
            ts = t;
        }
        if (t[row] != 0) {
            return;
        }
        t[row] = commitTs;
        deleted++;
        dirty = true;
    }

    int deletedCount() {
        return deleted;
    }

    boolean isDirty() {
        return dirty;
    }

    /**
     * Every deletion, encoded for its file (written by {@link DurableFiles#replace}, maybe on
     * another thread: the bytes are a copy); the vector counts as written from here on. Sync thread.
     */
    ByteSink encode() {
        long[] t = ts;
        ByteSink out = new ByteSink(16 + deleted * 12);
        out.writeInt(MAGIC);
        out.writeInt(deleted);
        for (int row = 0; row < t.length; row++) {
            if (t[row] != 0) {
                out.writeInt(row);
                out.writeLong(t[row]);
            }
        }
        dirty = false;
        return out;
    }

    /**
     * Reads the deletions of {@code file} (none if it does not exist), keeping only those at or
     * before {@code persistedTs}: later ones may belong to commits the manifest does not cover yet,
     * and replaying the WAL applies them again in their order.
     */
    static DeleteVector read(Path file, int rows, long persistedTs) {
        DeleteVector dv = new DeleteVector();
        byte[] body = DurableFiles.read(file);
        if (body == null) {
            return dv;
        }
        ByteSource in = new ByteSource(body, "delete vector " + file);
        if (in.readInt() != MAGIC) {
            throw DuetException.of(SqlState.DATA_CORRUPTED, "%s is not a delete vector", file);
        }
        int n = in.readInt();
        long[] t = new long[rows];
        for (int i = 0; i < n; i++) {
            int row = in.readInt();
            long at = in.readLong();
            if (row < 0 || row >= rows || at <= 0) {
                throw DuetException.of(SqlState.DATA_CORRUPTED, "delete vector %s names row %d of %d", file, row, rows);
            }
            if (at <= persistedTs) {
                t[row] = at;
                dv.deleted++;
            }
        }
        dv.ts = t;
        // entries dropped above persistedTs are written again once replay has applied them
        dv.dirty = dv.deleted != n;
        return dv;
    }
}
