package dev.duet.columnstore.parquet;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Writes Arrow batches of known {@link BatchColumn}s into one Parquet file, with per page and per
 * row group min/max/null-count statistics for every column (types as {@link ParquetTypes} lists
 * them).
 *
 * <p>Pages are encoded column at a time straight from the Arrow buffers by one
 * {@link PageEncoder} per column: data pages V1, PLAIN values, definition levels of optional
 * columns as a RLE/bit-packed hybrid, compressed with the options' codec. A row group's pages are
 * buffered per column (compressed, on the heap) until it ends, because a file holds each column's
 * chunk contiguously; the row group then goes to parquet-java's {@link ParquetFileWriter}, which
 * writes the page headers, the column and offset indexes and the footer. A row group holds
 * {@link ParquetWriteOptions#rowGroupRows()} rows, or fewer once its pages reach
 * {@value #ROW_GROUP_BYTES} bytes.
 *
 * <p>The file appears only at {@link #close()}: rows are written to a hidden temporary file
 * beside it ({@code .<name>.<random>.tmp}), which close forces to disk and renames into place
 * atomically. {@link #abort()} (or close after a failed write) deletes it instead. Not
 * thread-safe: one thread writes one file.
 */
public final class ParquetBatchWriter implements AutoCloseable {
    /** Compressed bytes at which a row group ends before its row count (they are held in memory). */
    static final long ROW_GROUP_BYTES = 128L << 20;
    /**
     * The codecs' Hadoop configuration, without Hadoop's default resources (the codecs read none of
     * them): one with them parses Hadoop's XML files again for every file written (~0.7 ms). Only
     * read, and copied where a codec sets its level.
     */
    private static final Configuration CODEC_CONF = new Configuration(false);
    /** Rows per write step: the row group's byte bound is checked between steps. */
    private static final int STEP_ROWS = PageEncoder.PAGE_ROWS;
    /** Bytes of a column's values per write step at most (or one row), for the same reason. */
    static final long STEP_BYTES = 16L << 20;

    private final Path file;
    private final Path temp;
    private final List<BatchColumn> columns;
    private final ParquetWriteOptions options;
    private final ParquetFileWriter out;
    private final CodecFactory codecs;
    private final PageEncoder[] encoders;
    private final Map<String, String> metadata;
    private int rowGroupRows;
    private long rowsWritten;
    private boolean failed;
    private boolean closed;

    private ParquetBatchWriter(Path file, Path temp, List<BatchColumn> columns, ParquetWriteOptions options,
            ParquetFileWriter out, CodecFactory codecs, PageEncoder[] encoders, Map<String, String> metadata) {
        this.file = file;
        this.temp = temp;
        this.columns = columns;
        this.options = options;
        this.out = out;
        this.codecs = codecs;
        this.encoders = encoders;
        this.metadata = metadata;
    }

    /**
     * Starts a Parquet file of these columns at {@code file} (its parent directory must exist).
     * Fails with 58P02 when the file exists and {@code options.overwrite()} is false, 58P01 when
     * the directory does not exist, 58030 on other I/O errors, 42701 on duplicate column names.
     */
    public static ParquetBatchWriter create(Path file, List<BatchColumn> columns, ParquetWriteOptions options) {
        return create(file, columns, options, Map.of());
    }

    /**
     * As {@link #create(Path, List, ParquetWriteOptions)}, also storing {@code metadata} as the
     * file's key-value metadata (read back by {@link ParquetBatchReader#metadata()}); keys starting
     * with {@code duet.} are Duet's own and must not be used.
     */
    public static ParquetBatchWriter create(Path file, List<BatchColumn> columns, ParquetWriteOptions options,
            Map<String, String> metadata) {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(columns, "columns is null");
        Objects.requireNonNull(options, "options is null");
        Objects.requireNonNull(metadata, "metadata is null");
        if (columns.isEmpty()) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "a Parquet file needs at least one column");
        }
        for (String key : metadata.keySet()) {
            if (key.startsWith("duet.")) {
                throw new IllegalArgumentException("metadata key " + key + " is reserved");
            }
        }
        CodecPoolLogging.quiet();
        List<BatchColumn> cols = List.copyOf(columns);
        MessageType schema = ParquetTypes.schema(cols);
        Path target = file.toAbsolutePath();
        if (!options.overwrite() && Files.exists(target)) {
            throw DuetException.of(SqlState.DUPLICATE_FILE, "file \"%s\" already exists", file);
        }
        if (Files.isDirectory(target)) {
            throw DuetException.of(SqlState.IO_ERROR, "could not write file \"%s\": it is a directory", file);
        }
        Path temp = target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        Map<String, String> extra = new HashMap<>(metadata);
        extra.put(ParquetTypes.DUET_TYPES_KEY, ParquetTypes.duetTypes(cols));
        ParquetFileWriter out;
        try {
            out = new ParquetFileWriter(new LocalOutputFile(temp), schema, ParquetFileWriter.Mode.CREATE,
                    ROW_GROUP_BYTES, 0, ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                    ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH,
                    ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
            out.start();
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw ioError("could not create file \"" + file + "\"", e);
        }
        CodecFactory codecs = new CodecFactory(CODEC_CONF, PageEncoder.PAGE_BYTES);
        BytesInputCompressor compressor = options.compression() == ParquetWriteOptions.Compression.ZSTD
                ? codecs.getCompressor(options.compression().codec(), options.zstdLevel())
                : codecs.getCompressor(options.compression().codec());
        PageEncoder[] encoders = new PageEncoder[cols.size()];
        for (int i = 0; i < encoders.length; i++) {
            BatchColumn c = cols.get(i);
            encoders[i] = PageEncoder.of(c, schema.getColumns().get(i), compressor,
                    !options.unfilteredColumns().contains(c.name()));
        }
        return new ParquetBatchWriter(target, temp, cols, options, out, codecs, encoders, extra);
    }

    /** The columns this writer writes, in order. */
    public List<BatchColumn> columns() {
        return columns;
    }

    /** Writes every row of {@code batch}, whose vectors match {@link #columns()} by position. */
    public void write(VectorSchemaRoot batch) {
        write(batch, 0, batch.getRowCount());
    }

    /**
     * Writes rows {@code fromRow .. fromRow + rowCount - 1} of {@code batch}, whose vectors match
     * {@link #columns()} by position. A NULL in a NOT NULL column fails with 23502 before any row of
     * the call is written; an I/O error (58030) leaves the writer failed (close then deletes the
     * unfinished file).
     */
    public void write(VectorSchemaRoot batch, int fromRow, int rowCount) {
        Objects.requireNonNull(batch, "batch is null");
        ensureOpen();
        Objects.checkFromIndexSize(fromRow, rowCount, batch.getRowCount());
        bind(batch);
        checkNotNull(fromRow, rowCount);
        try {
            int row = fromRow;
            int end = fromRow + rowCount;
            while (row < end) {
                int n = Math.min(Math.min(end - row, options.rowGroupRows() - rowGroupRows), STEP_ROWS);
                for (PageEncoder e : encoders) {
                    n = e.rowsWithin(row, n, STEP_BYTES);
                }
                for (PageEncoder e : encoders) {
                    e.append(row, n);
                }
                row += n;
                rowGroupRows += n;
                rowsWritten += n;
                if (rowGroupRows == options.rowGroupRows() || bufferedBytes() >= ROW_GROUP_BYTES) {
                    writeRowGroup();
                }
            }
        } catch (IOException e) {
            failed = true;
            throw ioError("could not write file \"" + file + "\"", e);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            for (PageEncoder e : encoders) {
                e.bind(null);
            }
        }
    }

    private void bind(VectorSchemaRoot batch) {
        List<FieldVector> vectors = batch.getFieldVectors();
        if (vectors.size() != encoders.length) {
            throw new IllegalArgumentException("batch has " + vectors.size() + " columns, the file " + encoders.length);
        }
        for (int i = 0; i < encoders.length; i++) {
            FieldVector v = vectors.get(i);
            ArrowType expected = columns.get(i).type().arrowType();
            if (!v.getField().getType().equals(expected)) {
                throw new IllegalArgumentException("batch column " + i + " (" + v.getField() + ") does not hold "
                        + columns.get(i));
            }
        }
        for (int i = 0; i < encoders.length; i++) {
            encoders[i].bind(vectors.get(i));
        }
    }

    private void checkNotNull(int fromRow, int rowCount) {
        for (int i = 0; i < encoders.length; i++) {
            BatchColumn c = columns.get(i);
            FieldVector v = encoders[i].vector;
            if (!c.nullable() && v.getNullCount() > 0) {
                for (int r = fromRow, end = fromRow + rowCount; r < end; r++) {
                    if (v.isNull(r)) {
                        for (PageEncoder e : encoders) {
                            e.bind(null);
                        }
                        throw DuetException.of(SqlState.NOT_NULL_VIOLATION,
                                "null value in column \"%s\" of a Parquet file where it is NOT NULL", c.name());
                    }
                }
            }
        }
    }

    private long bufferedBytes() {
        long sum = 0;
        for (PageEncoder e : encoders) {
            sum += e.bufferedBytes();
        }
        return sum;
    }

    /** Writes the open row group's column chunks, one after the other, and starts a new row group. */
    private void writeRowGroup() throws IOException {
        for (PageEncoder e : encoders) {
            e.finishPage();
        }
        out.startBlock(rowGroupRows);
        for (PageEncoder e : encoders) {
            out.startColumn(e.descriptor, rowGroupRows, options.compression().codec());
            for (int p = 0; p < e.pageCount; p++) {
                out.writeDataPage(e.pageRows[p], e.pageUncompressed[p],
                        BytesInput.from(e.chunk.array(), e.pageOffset[p], e.pageCompressed[p]), e.pageStatistics[p],
                        e.pageRows[p], Encoding.RLE, Encoding.RLE, Encoding.PLAIN);
            }
            out.endColumn();
            e.clearChunk();
        }
        out.endBlock();
        rowGroupRows = 0;
    }

    /** Rows written so far. */
    public long rowsWritten() {
        return rowsWritten;
    }

    /** The options this writer was created with. */
    public ParquetWriteOptions options() {
        return options;
    }

    /**
     * Writes the footer, forces the file to disk and moves it to its name: the file is complete
     * (and visible) only once this returns. After a failed write it does what {@link #abort()}
     * does. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (failed) {
            abort();
            return;
        }
        closed = true;
        try {
            try {
                if (rowGroupRows > 0) {
                    writeRowGroup();
                }
                out.end(metadata);
            } finally {
                codecs.release();
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (!options.overwrite() && Files.exists(file)) {
                throw DuetException.of(SqlState.DUPLICATE_FILE, "file \"%s\" already exists", file);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(file.getParent());
        } catch (IOException e) {
            closeQuietly(e);
            deleteQuietly(temp, e);
            throw ioError("could not write file \"" + file + "\"", e);
        } catch (RuntimeException e) {
            closeQuietly(e);
            deleteQuietly(temp, e);
            throw e;
        }
    }

    /** Gives up the file: nothing is left at its name or in the temporary file. Idempotent. */
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.abort();
            out.close();
        } catch (IOException | RuntimeException e) {
            // the file is being thrown away; what matters is releasing the writer's resources
        } finally {
            codecs.release();
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw ioError("could not delete unfinished file \"" + temp + "\"", e);
            }
        }
    }

    private void closeQuietly(Exception cause) {
        try {
            out.close();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer of " + file + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("writer of " + file + " failed earlier; close or abort it");
        }
    }

    private static void forceDirectory(Path dir) {
        // Makes the rename durable; some platforms cannot open a directory, which is harmless.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // best effort, as above
        }
    }

    private static void deleteQuietly(Path p, Exception cause) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** The DuetException for an I/O failure: 58P01 for a missing directory, else 58030. */
    static DuetException ioError(String what, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof java.io.FileNotFoundException) {
            return new DuetException(SqlState.UNDEFINED_FILE, what + ": no such file or directory", e);
        }
        if (e instanceof FileAlreadyExistsException) {
            return new DuetException(SqlState.DUPLICATE_FILE, what + ": file exists", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DuetException(SqlState.IO_ERROR, what + ": permission denied", e);
        }
        return new DuetException(SqlState.IO_ERROR, what + ": " + e.getMessage(), e);
    }
}
