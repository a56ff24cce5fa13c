package dev.duet.columnstore.parquet;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * How {@link ParquetBatchWriter} writes a file: the page compression, the number of rows per row
 * group (the unit of statistics and of {@link ParquetBatchReader#readRowGroup}) and whether an
 * existing file may be replaced. Pages are always PLAIN-encoded (no dictionaries), compressed
 * with the codec.
 *
 * @param compression page compression
 * @param rowGroupRows rows per row group (the last one may hold fewer; a row group also closes
 *     early once it holds 128 MB)
 * @param overwrite replace an existing file; when false, an existing file fails with 58P02
 * @param unfilteredColumns columns written without statistics (no min/max or null count, in pages
 *     and row groups): ones no reader skips data by, such as the column store's hidden key, which
 *     spares comparing every value of it with the page's bounds
 * @param zstdLevel the ZSTD compression level (1 to 22; parquet-java's default 3): ignored by the
 *     other codecs. Level 1 compresses about a third faster at about the same size on the column
 *     store's segments (see docs/performance.md)
 */
public record ParquetWriteOptions(Compression compression, int rowGroupRows, boolean overwrite,
        Set<String> unfilteredColumns, int zstdLevel) {
    /** ZSTD's level by default (parquet-java's). */
    public static final int DEFAULT_ZSTD_LEVEL = 3;

    /** Rows per row group by default: a power of two near DuckDB's 122,880. */
    public static final int DEFAULT_ROW_GROUP_ROWS = 1 << 17;

    /** Page compression codecs Duet writes (any codec parquet-java reads is accepted on read). */
    public enum Compression {
        ZSTD(CompressionCodecName.ZSTD),
        SNAPPY(CompressionCodecName.SNAPPY),
        NONE(CompressionCodecName.UNCOMPRESSED);

        private final CompressionCodecName codec;

        Compression(CompressionCodecName codec) {
            this.codec = codec;
        }

        CompressionCodecName codec() {
            return codec;
        }

        /**
         * The codec a user named, case-insensitively ({@code zstd}, {@code snappy}, {@code none}
         * or {@code uncompressed}); anything else fails with 22023.
         */
        public static Compression parse(String name) {
            Objects.requireNonNull(name, "name is null");
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "zstd" -> ZSTD;
                case "snappy" -> SNAPPY;
                case "none", "uncompressed" -> NONE;
                default -> throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE,
                        "unsupported Parquet compression \"%s\" (expected zstd, snappy or none)", name);
            };
        }
    }

    public ParquetWriteOptions {
        Objects.requireNonNull(compression, "compression is null");
        if (rowGroupRows < 1) {
            throw new IllegalArgumentException("rowGroupRows must be positive: " + rowGroupRows);
        }
        unfilteredColumns = Set.copyOf(unfilteredColumns);
        if (zstdLevel < 1 || zstdLevel > 22) {
            throw new IllegalArgumentException("zstdLevel must be within 1 and 22: " + zstdLevel);
        }
    }

    /** ZSTD, {@link #DEFAULT_ROW_GROUP_ROWS} rows per row group, no overwrite, statistics for every column, ZSTD level 3. */
    public static ParquetWriteOptions defaults() {
        return new ParquetWriteOptions(Compression.ZSTD, DEFAULT_ROW_GROUP_ROWS, false, Set.of(), DEFAULT_ZSTD_LEVEL);
    }

    /** These options with another compression. */
    public ParquetWriteOptions withCompression(Compression newCompression) {
        return new ParquetWriteOptions(newCompression, rowGroupRows, overwrite, unfilteredColumns, zstdLevel);
    }

    /** These options with another row group size. */
    public ParquetWriteOptions withRowGroupRows(int rows) {
        return new ParquetWriteOptions(compression, rows, overwrite, unfilteredColumns, zstdLevel);
    }

    /** These options with another overwrite choice. */
    public ParquetWriteOptions withOverwrite(boolean replace) {
        return new ParquetWriteOptions(compression, rowGroupRows, replace, unfilteredColumns, zstdLevel);
    }

    /** These options with min/max statistics left out for {@code columns} (see {@link #unfilteredColumns()}). */
    public ParquetWriteOptions withUnfilteredColumns(Set<String> columns) {
        return new ParquetWriteOptions(compression, rowGroupRows, overwrite, columns, zstdLevel);
    }

    /** These options with another ZSTD level (1 to 22). */
    public ParquetWriteOptions withZstdLevel(int level) {
        return new ParquetWriteOptions(compression, rowGroupRows, overwrite, unfilteredColumns, level);
    }
}
