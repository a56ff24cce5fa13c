package dev.duet.columnstore;

import java.nio.file.Path;

/**
 * One segment of a table: first open (its rows in {@link OpenRows}), then sealed (its rows in a
 * Parquet file). Its {@link DeleteVector} and its id stay the same across the seal, so the key map's
 * (segment, row) positions stay valid. {@code rows} and {@code file} change under the table's
 * write lock; scans read them under its read lock.
 */
final class Segment {
    final int id;
    final DeleteVector deletes;
    /** Non-null until the file replaces the rows in memory. */
    OpenRows rows;
    /** Non-null once sealed and listed by the manifest. */
    SealedFile file;

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
