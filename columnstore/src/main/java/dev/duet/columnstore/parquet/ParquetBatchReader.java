package dev.duet.columnstore.parquet;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.BinaryStatistics;
import org.apache.parquet.column.statistics.BooleanStatistics;
import org.apache.parquet.column.statistics.DoubleStatistics;
import org.apache.parquet.column.statistics.FloatStatistics;
import org.apache.parquet.column.statistics.IntStatistics;
import org.apache.parquet.column.statistics.LongStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads a Parquet file of flat columns into Arrow batches, one row group at a time and only the
 * columns asked for, plus the footer's row counts and per-column statistics. Works for files
 * Duet writes and for other writers' files whose types map to Duet types (see
 * {@link ParquetTypes}); an unsupported column fails at {@link #open} with 0A000.
 *
 * <p>Values are read column chunk by column chunk into the vectors' buffers; the vectors are
 * allocated from the caller's allocator. A chunk whose data pages are all PLAIN (the column store's
 * segment files) is decoded page by page in bulk by {@link PlainChunkDecoder}; any other chunk
 * (dictionary pages, delta encodings, footers without encoding statistics) value by value through
 * parquet-java's {@link ColumnReader}. parquet-java reads and decompresses the pages into heap
 * buffers either way. Not thread-safe: one thread reads through one reader.
 */
public final class ParquetBatchReader implements AutoCloseable {
    private final Path file;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final List<BatchColumn> columns;
    private final List<BlockMetaData> blocks;
    private final long[] firstRows;
    private final String createdBy;
    private final BinarySink sink = new BinarySink();
    private final PlainChunkDecoder decoder;

    private ParquetBatchReader(Path file, ParquetFileReader reader, List<BatchColumn> columns) {
        this.file = file;
        this.reader = reader;
        this.schema = reader.getFooter().getFileMetaData().getSchema();
        this.columns = columns;
        this.blocks = reader.getRowGroups();
        this.firstRows = new long[blocks.size()];
        long first = 0;
        for (int i = 0; i < firstRows.length; i++) {
            firstRows[i] = first;
            first += blocks.get(i).getRowCount();
        }
        this.createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
        this.decoder = new PlainChunkDecoder(file.toString());
    }

    /**
     * A file's parsed footer and columns, to open the same unchanged file again without reading and
     * parsing its footer ({@link #open(Path, Footer)}). Immutable; shared by readers on any thread.
     */
    public static final class Footer {
        private final ParquetMetadata metadata;
        private final List<BatchColumn> columns;

        private Footer(ParquetMetadata metadata, List<BatchColumn> columns) {
            this.metadata = metadata;
            this.columns = columns;
        }
    }

    /**
     * Opens a Parquet file and reads its footer. Fails with 58P01 when the file does not exist,
     * 22P04 when it is not a Parquet file, 0A000 when a column has a type Duet cannot hold, 58030
     * on other I/O errors.
     */
    public static ParquetBatchReader open(Path file) {
        return open(file, null);
    }

    /**
     * Opens a Parquet file whose footer was read before ({@link #footer()} of an earlier reader of
     * the same file, which must not have changed since), or, when {@code footer} is null, reads it
     * as {@link #open(Path)} does.
     */
    public static ParquetBatchReader open(Path file, Footer footer) {
        Objects.requireNonNull(file, "file is null");
        CodecPoolLogging.quiet();
        if (footer == null && !Files.exists(file)) {
            throw DuetException.of(SqlState.UNDEFINED_FILE, "could not open file \"%s\": no such file or directory", file);
        }
        if (footer == null && Files.isDirectory(file)) {
            throw DuetException.of(SqlState.IO_ERROR, "could not read file \"%s\": it is a directory", file);
        }
        ParquetFileReader reader;
        try {
            ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration()).build();
            LocalInputFile input = new LocalInputFile(file);
            reader = footer == null ? ParquetFileReader.open(input, options)
                    : ParquetFileReader.open(input, footer.metadata, options, input.newStream());
        } catch (NoSuchFileException e) {
            throw new DuetException(SqlState.UNDEFINED_FILE,
                    "could not open file \"" + file + "\": no such file or directory", e);
        } catch (IOException e) {
            throw ParquetBatchWriter.ioError("could not read file \"" + file + "\"", e);
        } catch (RuntimeException e) {
            // parquet-java reports a bad magic number or a damaged footer this way
            throw new DuetException(SqlState.BAD_COPY_FILE_FORMAT,
                    "file \"" + file + "\" is not a valid Parquet file: " + e.getMessage(), e);
        }
        if (footer != null) {
            return new ParquetBatchReader(file, reader, footer.columns);
        }
        try {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            String duetTypes = reader.getFooter().getFileMetaData().getKeyValueMetaData()
                    .get(ParquetTypes.DUET_TYPES_KEY);
            List<BatchColumn> columns = List.copyOf(ParquetTypes.columns(schema, duetTypes, file.toString()));
            if (columns.isEmpty()) {
                throw DuetException.of(SqlState.BAD_COPY_FILE_FORMAT, "Parquet file \"%s\" has no columns", file);
            }
            return new ParquetBatchReader(file, reader, columns);
        } catch (RuntimeException e) {
            try {
                reader.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** This file's footer, to open it again without re-reading it ({@link #open(Path, Footer)}). */
    public Footer footer() {
        return new Footer(reader.getFooter(), columns);
    }

    /** The file's columns with the Duet types they read as. */
    public List<BatchColumn> columns() {
        return columns;
    }

    /** The file's key-value metadata (including Duet's own {@code duet.*} entries). */
    public Map<String, String> metadata() {
        return reader.getFooter().getFileMetaData().getKeyValueMetaData();
    }

    /** Rows in the file. */
    public long rowCount() {
        return reader.getRecordCount();
    }

    /** Row groups in the file. */
    public int rowGroupCount() {
        return blocks.size();
    }

    /** The position in the file of row group {@code rowGroup}'s first row. */
    public long rowGroupFirstRow(int rowGroup) {
        return firstRows[Objects.checkIndex(rowGroup, firstRows.length)];
    }

    /** Rows in row group {@code rowGroup}. */
    public long rowGroupRowCount(int rowGroup) {
        return blocks.get(Objects.checkIndex(rowGroup, blocks.size())).getRowCount();
    }

    /**
     * The statistics of one column chunk, or null when the file has none for it. Bounds are in
     * the column's canonical Java form ({@link DataType}).
     */
    public ColumnStats stats(int rowGroup, int column) {
        Objects.checkIndex(rowGroup, blocks.size());
        Objects.checkIndex(column, columns.size());
        Statistics<?> s = blocks.get(rowGroup).getColumns().get(column).getStatistics();
        if (s == null) {
            return null;
        }
        long nulls = s.isNumNullsSet() ? s.getNumNulls() : -1;
        Object min = null;
        Object max = null;
        if (s.hasNonNullValue()) {
            DataType type = columns.get(column).type();
            PrimitiveType p = schema.getType(column).asPrimitiveType();
            min = statValue(s, true, type, p);
            max = statValue(s, false, type, p);
        }
        if (nulls < 0 && min == null) {
            return null;
        }
        return new ColumnStats(min, max, nulls);
    }

    private static Object statValue(Statistics<?> s, boolean min, DataType type, PrimitiveType p) {
        if (s instanceof IntStatistics i) {
            return int32Value(min ? i.getMin() : i.getMax(), type, p);
        }
        if (s instanceof LongStatistics l) {
            return int64Value(min ? l.getMin() : l.getMax(), type, p);
        }
        if (s instanceof BooleanStatistics b) {
            return min ? b.getMin() : b.getMax();
        }
        if (s instanceof FloatStatistics f) {
            return min ? f.getMin() : f.getMax();
        }
        if (s instanceof DoubleStatistics d) {
            return min ? d.getMin() : d.getMax();
        }
        if (s instanceof BinaryStatistics b) {
            Binary v = min ? b.genericGetMin() : b.genericGetMax();
            return switch (type.kind()) {
                case VARCHAR -> v.toStringUsingUTF8();
                case DECIMAL -> new BigDecimal(new BigInteger(v.getBytes()), type.scale());
                default -> v.getBytes();
            };
        }
        return null; // INT96 and other statistics Duet has no type for
    }

    private static Object int32Value(int v, DataType type, PrimitiveType p) {
        return switch (type.kind()) {
            case SMALLINT -> (short) v;
            case INTEGER -> v;
            case BIGINT -> Integer.toUnsignedLong(v); // only UINT(32) reads an INT32 as BIGINT
            case DATE -> LocalDate.ofEpochDay(v);
            case DECIMAL -> BigDecimal.valueOf(v, type.scale());
            default -> throw new IllegalStateException("INT32 column " + p + " read as " + type);
        };
    }

    private static Object int64Value(long v, DataType type, PrimitiveType p) {
        return switch (type.kind()) {
            case BIGINT -> v;
            case DECIMAL -> BigDecimal.valueOf(v, type.scale());
            case TIMESTAMP -> Values.fromEpochMicros(toMicros(v, p));
            default -> throw new IllegalStateException("INT64 column " + p + " read as " + type);
        };
    }

    /**
     * Reads row group {@code rowGroup}'s columns {@code columnIndexes} (positions in
     * {@link #columns()}, each at most once, in the order the batch should have them) into a new
     * batch allocated from {@code allocator}. The caller owns the batch and closes it.
     */
    public VectorSchemaRoot readRowGroup(int rowGroup, int[] columnIndexes, BufferAllocator allocator) {
        Objects.checkIndex(rowGroup, blocks.size());
        Objects.requireNonNull(columnIndexes, "columnIndexes is null");
        Objects.requireNonNull(allocator, "allocator is null");
        List<BatchColumn> selected = new ArrayList<>(columnIndexes.length);
        boolean[] seen = new boolean[columns.size()];
        for (int c : columnIndexes) {
            Objects.checkIndex(c, columns.size());
            if (seen[c]) {
                throw new IllegalArgumentException("column " + c + " asked for twice");
            }
            seen[c] = true;
            selected.add(columns.get(c));
        }
        long rowCount = blocks.get(rowGroup).getRowCount();
        if (rowCount > Integer.MAX_VALUE) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "row group %d of \"%s\" has %d rows, more than one batch can hold", rowGroup, file, rowCount);
        }
        int rows = (int) rowCount;
        List<Type> fields = new ArrayList<>();
        for (int c = 0; c < seen.length; c++) {
            if (seen[c]) {
                fields.add(schema.getType(c)); // parquet-java wants the projection in file order
            }
        }
        MessageType projection = new MessageType(schema.getName(), fields);
        VectorSchemaRoot batch = Batches.create(allocator, selected);
        try {
            if (!fields.isEmpty()) {
                reader.setRequestedSchema(projection);
                try (PageReadStore pages = reader.readRowGroup(rowGroup)) {
                    ColumnReadStoreImpl store = null;
                    List<FieldVector> vectors = batch.getFieldVectors();
                    for (int j = 0; j < columnIndexes.length; j++) {
                        int c = columnIndexes[j];
                        PrimitiveType p = schema.getType(c).asPrimitiveType();
                        ColumnDescriptor d = projection.getColumnDescription(new String[] {p.getName()});
                        if (plainChunk(rowGroup, c)) {
                            decoder.decode(pages.getPageReader(d), vectors.get(j), columns.get(c).type(), p,
                                    d.getMaxDefinitionLevel() > 0, rows);
                            continue;
                        }
                        if (store == null) {
                            store = new ColumnReadStoreImpl(pages, new NoOpConverter(fields.size()), projection,
                                    createdBy);
                        }
                        fill(vectors.get(j), columns.get(c).type(), p, store.getColumnReader(d), rows);
                    }
                }
            }
            batch.setRowCount(rows);
            return batch;
        } catch (IOException e) {
            batch.close();
            throw ParquetBatchWriter.ioError("could not read file \"" + file + "\"", e);
        } catch (org.apache.parquet.hadoop.BadConfigurationException e) {
            // parquet-java looks codecs up by class name: BROTLI (and LZO) have none on Duet's class path
            batch.close();
            java.util.Set<String> codecs = new java.util.TreeSet<>();
            for (int c : columnIndexes) {
                codecs.add(blocks.get(rowGroup).getColumns().get(c).getCodec().name());
            }
            throw new DuetException(SqlState.FEATURE_NOT_SUPPORTED, "Parquet file \"" + file
                    + "\" is compressed with " + String.join(", ", codecs) + ", which Duet cannot read", e);
        } catch (org.apache.parquet.io.ParquetDecodingException e) {
            batch.close();
            throw new DuetException(SqlState.BAD_COPY_FILE_FORMAT,
                    "Parquet file \"" + file + "\" is damaged: " + e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            batch.close();
            throw e;
        }
    }

    /**
     * Whether column {@code column} of {@code rowGroup} is read page by page in bulk
     * ({@link PlainChunkDecoder}) rather than value by value through parquet-java's column reader.
     */
    boolean plainChunk(int rowGroup, int column) {
        return PlainChunkDecoder.handles(blocks.get(rowGroup).getColumns().get(column));
    }

    /**
     * Copies {@code rows} values of one column chunk into {@code v} through parquet-java's column
     * reader (dictionary-encoded and other non-PLAIN chunks). One loop per type, so the
     * per-value work is a definition-level test, the value read and a buffer store.
     */
    private void fill(FieldVector v, DataType type, PrimitiveType p, ColumnReader cr, int rows) {
        int maxDl = cr.getDescriptor().getMaxDefinitionLevel();
        v.setInitialCapacity(Math.max(rows, 1));
        v.allocateNew(); // zeroed validity: every row starts NULL
        PrimitiveTypeName physical = p.getPrimitiveTypeName();
        switch (type.kind()) {
            case BOOLEAN -> {
                BitVector bv = (BitVector) v;
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        bv.set(i, cr.getBoolean() ? 1 : 0);
                    }
                }
            }
            case SMALLINT -> {
                SmallIntVector sv = (SmallIntVector) v;
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        sv.set(i, (short) cr.getInteger());
                    }
                }
            }
            case INTEGER -> {
                IntVector iv = (IntVector) v;
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        iv.set(i, cr.getInteger());
                    }
                }
            }
            case DATE -> {
                DateDayVector dv = (DateDayVector) v;
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        dv.set(i, cr.getInteger());
                    }
                }
            }
            case BIGINT -> {
                BigIntVector bv = (BigIntVector) v;
                boolean unsigned32 = physical == PrimitiveTypeName.INT32;
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        bv.set(i, unsigned32 ? Integer.toUnsignedLong(cr.getInteger()) : cr.getLong());
                    }
                }
            }
            case REAL -> {
                Float4Vector fv = (Float4Vector) v;
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        fv.set(i, cr.getFloat());
                    }
                }
            }
            case DOUBLE -> {
                Float8Vector fv = (Float8Vector) v;
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        fv.set(i, cr.getDouble());
                    }
                }
            }
            case TIMESTAMP -> {
                TimeStampMicroVector tv = (TimeStampMicroVector) v;
                long factor = PlainChunkDecoder.microsFactor(p);
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        long raw = cr.getLong();
                        tv.set(i, factor > 0 ? raw * factor : Math.floorDiv(raw, -factor));
                    }
                }
            }
            case DECIMAL -> fillDecimal(v, physical, cr, rows, maxDl);
            case VARCHAR, BYTEA -> {
                BaseVariableWidthVector bv = (BaseVariableWidthVector) v;
                BinarySink s = sink;
                for (int i = 0; i < rows; i++, cr.consume()) {
                    if (cr.getCurrentDefinitionLevel() == maxDl) {
                        s.reset();
                        writeTo(cr.getBinary(), s);
                        bv.setSafe(i, s.bytes, 0, s.length);
                    }
                }
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
        v.setValueCount(rows);
    }

    /** Arrow's decimal is a 16-byte little-endian two's complement integer. */
    private void fillDecimal(FieldVector v, PrimitiveTypeName physical, ColumnReader cr, int rows, int maxDl) {
        ArrowBuf data = v.getDataBuffer();
        ArrowBuf validity = v.getValidityBuffer();
        BinarySink s = sink;
        for (int i = 0; i < rows; i++, cr.consume()) {
            if (cr.getCurrentDefinitionLevel() != maxDl) {
                continue;
            }
            long base = (long) i * 16;
            if (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64) {
                long unscaled = physical == PrimitiveTypeName.INT32 ? cr.getInteger() : cr.getLong();
                data.setLong(base, unscaled);
                data.setLong(base + 8, unscaled >> 63);
            } else {
                s.reset();
                writeTo(cr.getBinary(), s);
                byte[] b = s.bytes;
                int n = s.length;
                byte sign = n > 0 && b[0] < 0 ? (byte) -1 : 0;
                for (int k = 0; k < 16; k++) {
                    data.setByte(base + k, k < n ? b[n - 1 - k] : sign);
                }
            }
            BitVectorHelper.setBit(validity, i);
        }
    }

    private static void writeTo(Binary value, BinarySink s) {
        try {
            value.writeTo(s);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
    }

    private static long toMicros(long raw, PrimitiveType p) {
        long factor = PlainChunkDecoder.microsFactor(p);
        return factor > 0 ? raw * factor : Math.floorDiv(raw, -factor);
    }

    /** Closes the file. */
    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw ParquetBatchWriter.ioError("could not close file \"" + file + "\"", e);
        }
    }

    /**
     * parquet-java's column readers need a converter tree even when values are pulled with
     * {@code getInteger()} and friends, as here; this one is never called.
     */
    private static final class NoOpConverter extends GroupConverter {
        private final PrimitiveConverter leaf = new PrimitiveConverter() {
        };
        private final int fields;

        NoOpConverter(int fields) {
            this.fields = fields;
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            Objects.checkIndex(fieldIndex, fields);
            return leaf;
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }
}
