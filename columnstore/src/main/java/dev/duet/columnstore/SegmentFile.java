package dev.duet.columnstore;

import dev.duet.columnstore.parquet.ColumnStats;
import dev.duet.columnstore.parquet.ParquetBatchReader;
import dev.duet.columnstore.parquet.ParquetBatchWriter;
import dev.duet.columnstore.parquet.ParquetWriteOptions;
import dev.duet.core.exec.BatchColumn;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The one seam between the column store and its file format (Parquet through
 * {@link dev.duet.columnstore.parquet}): writing a sealed segment's rows, reading them back by row
 * group with per-row-group statistics.
 */
final class SegmentFile {
    private SegmentFile() {
    }

    /** Receives the key column of a segment, one row group at a time. */
    interface KeyConsumer {
        /** Rows {@code [firstRow, firstRow + count)} have keys {@code keys[0, count)}; the vector is freed after the call. */
        void keys(int firstRow, VarBinaryVector keys, int count);
    }

    /**
     * Writes rows {@code [0, count)} of {@code rows} (vectors in the order of {@code columns}) to
     * {@code file} (ZSTD level 1, row groups of {@code rowGroupRows}, no statistics for the hidden
     * key column); the file appears complete and forced to disk, or not at all. Returns its size.
     */
    static long write(Path file, List<BatchColumn> columns, VectorSchemaRoot rows, int count, int rowGroupRows) {
        ParquetWriteOptions options = ParquetWriteOptions.defaults().withRowGroupRows(rowGroupRows).withOverwrite(true)
                // level 1 compresses about a third faster than 3, to about the same size: ZSTD is most
                // of the seal thread's CPU, which it takes from the writers
                .withZstdLevel(1)
                // no scan filters by the hidden key: its statistics would only cost the seal
                .withUnfilteredColumns(java.util.Set.of(OpenRows.KEY));
        ParquetBatchWriter writer = ParquetBatchWriter.create(file, columns, options);
        try {
            writer.write(rows, 0, count);
        } catch (RuntimeException | Error e) {
            writer.abort();
            throw e;
        }
        writer.close();
        return file.toFile().length();
    }

    static Reader open(Path file) {
        return new Reader(ParquetBatchReader.open(file));
    }

    /** Opens {@code file}, reusing {@code footer} (from an earlier reader of it) when not null. */
    static Reader open(Path file, ParquetBatchReader.Footer footer) {
        return new Reader(ParquetBatchReader.open(file, footer));
    }

    /** Calls {@code consumer} with column {@code keyColumn} (a BYTEA column) of every row group, in row order. */
    static void forEachKey(Path file, int keyColumn, BufferAllocator allocator, KeyConsumer consumer) {
        try (ParquetBatchReader reader = ParquetBatchReader.open(file)) {
            int[] columns = {keyColumn};
            for (int rg = 0; rg < reader.rowGroupCount(); rg++) {
                int first = (int) reader.rowGroupFirstRow(rg);
                try (VectorSchemaRoot batch = reader.readRowGroup(rg, columns, allocator)) {
                    consumer.keys(first, (VarBinaryVector) batch.getVector(0), batch.getRowCount());
                }
            }
        }
    }

    /** An open segment file. One thread at a time. */
    static final class Reader implements AutoCloseable {
        private final ParquetBatchReader reader;

        private Reader(ParquetBatchReader reader) {
            this.reader = reader;
        }

        int rowGroupCount() {
            return reader.rowGroupCount();
        }

        ParquetBatchReader.Footer footer() {
            return reader.footer();
        }

        long rowGroupFirstRow(int rowGroup) {
            return reader.rowGroupFirstRow(rowGroup);
        }

        int rowGroupRowCount(int rowGroup) {
            return (int) reader.rowGroupRowCount(rowGroup);
        }

        /** Statistics of column {@code column} in {@code rowGroup}, or null if the file has none. */
        ColumnStats stats(int rowGroup, int column) {
            return reader.stats(rowGroup, column);
        }

        /** Columns {@code columns} of {@code rowGroup}, in that order, as a batch under {@code allocator}. */
        VectorSchemaRoot readRowGroup(int rowGroup, int[] columns, BufferAllocator allocator) {
            return reader.readRowGroup(rowGroup, columns, allocator);
        }

        @Override
        public void close() {
            reader.close();
        }
    }
}
