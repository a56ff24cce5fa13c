package dev.duet.columnstore.parquet;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
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
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes Arrow batches of known {@link BatchColumn}s into one Parquet file, with per row group
 * min/max/null-count statistics for every column (types as {@link ParquetTypes} lists them).
 *
 * <p>Values go from the Arrow buffers straight into parquet-java's {@link RecordConsumer}: no
 * boxed value or row object is made on Duet's side (parquet-java itself wraps each string in a
 * {@link Binary}). Pages and the open row group are buffered on the Java heap by parquet-java, up
 * to one row group ({@link ParquetWriteOptions#rowGroupRows()}, at most 128 MB).
 *
 * <p>The file appears only at {@link #close()}: rows are written to a hidden temporary file
 * beside it ({@code .<name>.<random>.tmp}), which close forces to disk and renames into place
 * atomically. {@link #abort()} (or close after a failed write) deletes it instead. Not
 * thread-safe: one thread writes one file.
 */
public final class ParquetBatchWriter implements AutoCloseable {
    private final Path file;
    private final Path temp;
    private final List<BatchColumn> columns;
    private final ParquetWriteOptions options;
    private final BatchWriteSupport support;
    private final ParquetWriter<Cursor> writer;
    private final Cursor cursor = new Cursor();
    private long rowsWritten;
    private boolean failed;
    private boolean closed;

    private ParquetBatchWriter(Path file, Path temp, List<BatchColumn> columns, ParquetWriteOptions options,
            BatchWriteSupport support, ParquetWriter<Cursor> writer) {
        this.file = file;
        this.temp = temp;
        this.columns = columns;
        this.options = options;
        this.support = support;
        this.writer = writer;
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
        BatchWriteSupport support = new BatchWriteSupport(schema, cols);
        try {
            Builder builder = new Builder(new LocalOutputFile(temp), support);
            for (String column : options.unfilteredColumns()) {
                builder.withStatisticsEnabled(column, false);
            }
            ParquetWriter<Cursor> writer = builder
                    .withConf(new PlainParquetConfiguration())
                    .withWriteMode(ParquetFileWriter.Mode.CREATE)
                    .withCompressionCodec(options.compression().codec())
                    .withDictionaryEncoding(options.dictionary())
                    .withRowGroupRowCountLimit(options.rowGroupRows())
                    .withExtraMetaData(extra)
                    .build();
            return new ParquetBatchWriter(target, temp, cols, options, support, writer);
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw ioError("could not create file \"" + file + "\"", e);
        }
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
        support.bind(batch);
        support.checkNotNull(fromRow, rowCount);
        try {
            for (int r = fromRow, end = fromRow + rowCount; r < end; r++) {
                cursor.row = r;
                writer.write(cursor);
            }
            rowsWritten += rowCount;
        } catch (IOException e) {
            failed = true;
            throw ioError("could not write file \"" + file + "\"", e);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        } finally {
            support.unbind();
        }
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
            writer.close();
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (!options.overwrite() && Files.exists(file)) {
                throw DuetException.of(SqlState.DUPLICATE_FILE, "file \"%s\" already exists", file);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(file.getParent());
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw ioError("could not write file \"" + file + "\"", e);
        } catch (RuntimeException e) {
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
            writer.close();
        } catch (IOException | RuntimeException e) {
            // the file is being thrown away; what matters is releasing the writer's resources
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw ioError("could not delete unfinished file \"" + temp + "\"", e);
            }
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

    /** The row being written: one mutable instance per writer, so no object is made per row. */
    static final class Cursor {
        int row;
    }

    private static final class Builder extends ParquetWriter.Builder<Cursor, Builder> {
        private final BatchWriteSupport support;

        Builder(OutputFile file, BatchWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Cursor> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<Cursor> getWriteSupport(ParquetConfiguration conf) {
            return support;
        }
    }

    /**
     * Feeds one row at a time from the bound batch's vectors to the record consumer, through one
     * {@link FieldWriter} per column (chosen once per column, so no type dispatch per value).
     */
    private static final class BatchWriteSupport extends WriteSupport<Cursor> {
        private final MessageType schema;
        private final List<BatchColumn> columns;
        private final FieldWriter[] fields;
        private RecordConsumer consumer;

        BatchWriteSupport(MessageType schema, List<BatchColumn> columns) {
            this.schema = schema;
            this.columns = columns;
            this.fields = new FieldWriter[columns.size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = FieldWriter.of(columns.get(i), i);
            }
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        void bind(VectorSchemaRoot batch) {
            List<FieldVector> vectors = batch.getFieldVectors();
            if (vectors.size() != fields.length) {
                throw new IllegalArgumentException("batch has " + vectors.size() + " columns, the file "
                        + fields.length);
            }
            for (int i = 0; i < fields.length; i++) {
                FieldVector v = vectors.get(i);
                ArrowType expected = columns.get(i).type().arrowType();
                if (!v.getField().getType().equals(expected)) {
                    throw new IllegalArgumentException("batch column " + i + " (" + v.getField()
                            + ") does not hold " + columns.get(i));
                }
                fields[i].bind(v);
            }
        }

        void unbind() {
            for (FieldWriter f : fields) {
                f.bind(null);
            }
        }

        void checkNotNull(int fromRow, int rowCount) {
            for (FieldWriter f : fields) {
                if (!f.nullable && f.vector.getNullCount() > 0) {
                    for (int r = fromRow, end = fromRow + rowCount; r < end; r++) {
                        if (f.vector.isNull(r)) {
                            throw DuetException.of(SqlState.NOT_NULL_VIOLATION,
                                    "null value in column \"%s\" of a Parquet file where it is NOT NULL", f.name);
                        }
                    }
                }
            }
        }

        @Override
        public void write(Cursor cursor) {
            int row = cursor.row;
            RecordConsumer rc = consumer;
            rc.startMessage();
            for (FieldWriter f : fields) {
                if (BitVectorHelper.get(f.validity, row) == 0) {
                    continue; // an absent optional field is a NULL
                }
                rc.startField(f.name, f.index);
                f.write(rc, row);
                rc.endField(f.name, f.index);
            }
            rc.endMessage();
        }
    }

    /** Moves one column's values from Arrow buffers to the record consumer. */
    private abstract static class FieldWriter {
        final String name;
        final int index;
        final boolean nullable;
        FieldVector vector;
        ArrowBuf validity;
        ArrowBuf data;
        ArrowBuf offsets;
        /** Reused for each value's bytes (strings, BYTEA, wide decimals); parquet-java copies what it keeps. */
        byte[] scratch = new byte[64];

        FieldWriter(BatchColumn column, int index) {
            this.name = column.name();
            this.index = index;
            this.nullable = column.nullable();
        }

        final void bind(FieldVector v) {
            vector = v;
            validity = v == null ? null : v.getValidityBuffer();
            data = v == null ? null : v.getDataBuffer();
            offsets = v == null || !(v instanceof org.apache.arrow.vector.BaseVariableWidthVector)
                    ? null : v.getOffsetBuffer();
        }

        abstract void write(RecordConsumer rc, int row);

        static FieldWriter of(BatchColumn column, int index) {
            DataType t = column.type();
            return switch (t.kind()) {
                case BOOLEAN -> new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        rc.addBoolean(BitVectorHelper.get(data, row) != 0);
                    }
                };
                case SMALLINT -> new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        rc.addInteger(data.getShort((long) row * 2));
                    }
                };
                case INTEGER, DATE -> new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        rc.addInteger(data.getInt((long) row * 4));
                    }
                };
                case BIGINT, TIMESTAMP -> new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        rc.addLong(data.getLong((long) row * 8));
                    }
                };
                case REAL -> new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        rc.addFloat(data.getFloat((long) row * 4));
                    }
                };
                case DOUBLE -> new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        rc.addDouble(data.getDouble((long) row * 8));
                    }
                };
                case DECIMAL -> decimal(column, index);
                case VARCHAR, BYTEA -> new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        int start = offsets.getInt((long) row * 4);
                        int length = offsets.getInt((long) row * 4 + 4) - start;
                        if (length > scratch.length) {
                            scratch = new byte[Math.max(length, scratch.length * 2)];
                        }
                        data.getBytes(start, scratch, 0, length);
                        rc.addBinary(Binary.fromReusedByteArray(scratch, 0, length));
                    }
                };
            };
        }

        /**
         * Arrow holds a decimal as a 16-byte little-endian two's complement integer; Parquet wants
         * an INT32/INT64 for small precisions, else big-endian bytes of the column's fixed width.
         */
        private static FieldWriter decimal(BatchColumn column, int index) {
            int precision = column.type().precision();
            if (precision <= 9) {
                return new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        rc.addInteger((int) data.getLong((long) row * 16));
                    }
                };
            }
            if (precision <= 18) {
                return new FieldWriter(column, index) {
                    @Override
                    void write(RecordConsumer rc, int row) {
                        rc.addLong(data.getLong((long) row * 16));
                    }
                };
            }
            int width = ParquetTypes.decimalBytes(precision);
            return new FieldWriter(column, index) {
                @Override
                void write(RecordConsumer rc, int row) {
                    long base = (long) row * 16;
                    for (int k = 0; k < width; k++) {
                        scratch[width - 1 - k] = data.getByte(base + k);
                    }
                    rc.addBinary(Binary.fromReusedByteArray(scratch, 0, width));
                }
            };
        }
    }
}
