/**
 * The column store: per table, an open Arrow segment receiving synced rows, sealed at a row
 * threshold into a Parquet segment file with zone maps (written by a background seal thread, off
 * the sync; segments with many deleted rows are rewritten by a compaction thread); per-row insert
 * commit timestamps and per-segment delete vectors give snapshot visibility; a manifest lists the
 * segments and the sync watermark. A scan can be cut into morsels
 * ({@link dev.duet.columnstore.ScanMorsels}: a sealed row group, or a range of an open segment's
 * rows) that several scans of one parallel query share. Depends on {@code core} (and Arrow,
 * Parquet) only: it knows nothing of the row store
 * or of SQL.
 */
package dev.duet.columnstore;
