package dev.duet.columnstore;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a column store. {@code sealRows}: an open segment is sealed into a Parquet file once
 * it holds at least this many rows (checked at commit boundaries, so one large commit can make a
 * segment larger). {@code scanWait}: how long a scan waits for the watermark to reach its snapshot
 * before failing with 55000. {@code rowGroupRows}: rows per Parquet row group, the unit of zone-map
 * skipping. {@code compactFraction}: a sealed segment is rewritten without its deleted rows once
 * at least this fraction of its rows is deleted and invisible to every open snapshot.
 * {@code scanCacheBytes}: the budget of decoded sealed-segment column chunks that scans share
 * ({@link SegmentCache}, least recently used evicted first); 0 turns the cache off.
 */
public record ColumnStoreOptions(int sealRows, int rowGroupRows, Duration scanWait, double compactFraction,
        long scanCacheBytes) {
    /** Default seal threshold: 1 << 17 rows (DuckDB's row group is 122,880; a power of two keeps vectors at capacity). */
    public static final int DEFAULT_SEAL_ROWS = 1 << 17;

    /** Default scan cache budget: 1 GiB of decoded column chunks (TPC-H SF 1's Q1 columns take about 600 MB). */
    public static final long DEFAULT_SCAN_CACHE_BYTES = 1L << 30;

    public ColumnStoreOptions {
        Objects.requireNonNull(scanWait, "scanWait is null");
        if (sealRows < 1) {
            throw new IllegalArgumentException("sealRows must be positive: " + sealRows);
        }
        if (rowGroupRows < 1) {
            throw new IllegalArgumentException("rowGroupRows must be positive: " + rowGroupRows);
        }
        if (!(compactFraction > 0 && compactFraction <= 1)) {
            throw new IllegalArgumentException("compactFraction must be in (0, 1]: " + compactFraction);
        }
        if (scanCacheBytes < 0) {
            throw new IllegalArgumentException("scanCacheBytes must not be negative: " + scanCacheBytes);
        }
    }

    public static ColumnStoreOptions defaults() {
        return new ColumnStoreOptions(DEFAULT_SEAL_ROWS, 1 << 14, Duration.ofSeconds(5), 0.5, DEFAULT_SCAN_CACHE_BYTES);
    }

    public ColumnStoreOptions withSealRows(int value) {
        return new ColumnStoreOptions(value, rowGroupRows, scanWait, compactFraction, scanCacheBytes);
    }

    public ColumnStoreOptions withRowGroupRows(int value) {
        return new ColumnStoreOptions(sealRows, value, scanWait, compactFraction, scanCacheBytes);
    }

    public ColumnStoreOptions withScanWait(Duration value) {
        return new ColumnStoreOptions(sealRows, rowGroupRows, value, compactFraction, scanCacheBytes);
    }

    public ColumnStoreOptions withCompactFraction(double value) {
        return new ColumnStoreOptions(sealRows, rowGroupRows, scanWait, value, scanCacheBytes);
    }

    public ColumnStoreOptions withScanCacheBytes(long value) {
        return new ColumnStoreOptions(sealRows, rowGroupRows, scanWait, compactFraction, value);
    }
}
