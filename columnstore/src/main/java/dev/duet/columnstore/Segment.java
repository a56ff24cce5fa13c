package dev.duet.columnstore;

import java.nio.file.Path;

/**
 * One segment of a table: first open (its rows in {@link OpenRows}, receiving appends), then
 * frozen (no more appends; the seal thread writes its file while scans keep reading its rows),
 * then sealed (its rows in a Parquet file). Its {@link DeleteVector} and its id stay the same
 * throughout, so the key map's (segment, row) positions stay valid and deletes of a frozen row land
 * in the vector the sealed segment keeps. {@code rows} and {@code file} change under the table's
 * write lock; scans read them under its read lock.
 */
final class Segment {
    final int id;
    final DeleteVector deletes;
    /** Non-null until the file replaces the rows in memory. */
    OpenRows rows;
    /** Non-null once sealed and listed by the manifest. */
    SealedFile file;
    /**
     * Sync thread: while frozen, the watermark (timestamp, WAL position) before the first commit
     * of its rows, from which a restart must replay until its file is listed by a manifest; -1
     * otherwise.
     */
    long frozenFromTs = -1;
    long frozenFromLsn = -1;
    /** Sync thread: a {@link Compaction} of this sealed segment is running; no second one is started. */
    boolean compacting;

    Segment(int id, DeleteVector deletes) {
        this.id = id;
        this.deletes = deletes;
    }

    /** A sealed segment's file and what the manifest says about it. */
    record SealedFile(Path path, int rowCount, long minInsertTs, long maxInsertTs, long bytes) {
    }

    int rowCount() {
        SealedFile f = file;
        return f != null ? f.rowCount() : rows.count();
    }

    static String fileName(long tableId, int segmentId) {
        return "t" + tableId + "-s" + segmentId + ".parquet";
    }

    static String deleteFileName(long tableId, int segmentId) {
        return "t" + tableId + "-s" + segmentId + ".del";
    }
}
