package dev.duet.columnstore.parquet;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Decodes a flat column chunk whose data pages are all PLAIN-encoded (the column store's segment
 * files, written without dictionaries) page by page, straight from the decompressed page bytes into
 * an Arrow vector's buffers:
 *
 * <ul>
 * <li>definition levels (the RLE/bit-packed hybrid of bit width 1; the deprecated BIT_PACKED in
 * old v1 pages) become validity bits a run or a byte at a time;</li>
 * <li>fixed-width values whose Parquet and Arrow layouts agree (INTEGER, DATE, BIGINT, REAL,
 * DOUBLE, TIMESTAMP in micros) are one bulk copy per page when the page has no NULL, and one tight
 * loop scattering them past the NULL rows otherwise; the others (SMALLINT, unsigned 32-bit,
 * timestamps in millis or nanos, DECIMAL, BOOLEAN) one tight converting loop;</li>
 * <li>variable-width values go to the offsets and data buffers, the data buffer grown once per
 * page to the page's upper bound.</li>
 * </ul>
 *
 * <p>No object per value and no virtual call per value: parquet-java is used only to read and
 * decompress pages ({@link PageReader}). Chunks with dictionary pages or other encodings go
 * through parquet-java's column reader instead ({@link #handles}). Not thread-safe: one per
 * {@link ParquetBatchReader}.
 */
final class PlainChunkDecoder {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE =
            MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private final String file;

    /** The current page's bytes (set by {@link #load}): {@code bytes[start, end)}. */
    private byte[] bytes;
    private int start;
    private int end;
    /** Where direct (off-heap) page buffers are copied to, reused across pages. */
    private byte[] scratch = new byte[0];
    /** Bytes in a variable-width vector's data buffer so far. */
    private long dataEnd;

    PlainChunkDecoder(String file) {
        this.file = file;
    }

    /**
     * Whether this decoder can read a column chunk: the footer's encoding statistics say every data
     * page is PLAIN and there is no dictionary page. Footers without encoding statistics go to
     * parquet-java's reader.
     */
    static boolean handles(ColumnChunkMetaData chunk) {
        EncodingStats stats = chunk.getEncodingStats();
        if (stats == null || stats.hasDictionaryPages() || stats.getDataEncodings().isEmpty()) {
            return false;
        }
        for (Encoding e : stats.getDataEncodings()) {
            if (e != Encoding.PLAIN) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads {@code rows} rows of a column chunk from {@code pages} into {@code v}, which this
     * allocates (the caller owns it either way). {@code optional}: the column has definition
     * levels (maximum 1); otherwise every row is non-NULL.
     */
    void decode(PageReader pages, FieldVector v, DataType type, PrimitiveType p, boolean optional, int rows) {
        v.setInitialCapacity(Math.max(rows, 1));
        v.allocateNew(); // zeroed validity: every row starts NULL
        dataEnd = 0;
        int row = 0;
        while (row < rows) {
            DataPage page = pages.readPage();
            if (page == null) {
                throw damaged("column \"" + p.getName() + "\" has " + row + " of " + rows + " rows");
            }
            int n = page.getValueCount();
            if (n > rows - row) {
                throw damaged("column \"" + p.getName() + "\" has more values than its row group's " + rows + " rows");
            }
            int valuesAt = levels(page, v.getValidityBuffer(), row, n, optional);
            int nonNull = optional ? countBits(v.getValidityBuffer(), row, n) : n;
            values(v, type, p, row, n, nonNull, valuesAt);
            row += n;
        }
        if (v instanceof BaseVariableWidthVector bv) {
            bv.setLastSet(rows - 1);
        }
        v.setValueCount(rows);
    }

    /**
     * Loads the page, sets the validity bits of rows {@code [row, row + n)} from its definition
     * levels and returns where in {@link #bytes} its values start.
     */
    private int levels(DataPage page, ArrowBuf validity, int row, int n, boolean optional) {
        if (page instanceof DataPageV1 v1) {
            if (v1.getValueEncoding() != Encoding.PLAIN) {
                throw damaged("a page is " + v1.getValueEncoding() + " although the footer says PLAIN");
            }
            load(v1.getBytes());
            if (!optional) {
                setBits(validity, row, n);
                return start;
            }
            if (v1.getDlEncoding() == Encoding.BIT_PACKED) {
                unpackBigEndianBits(validity, row, n, start);
                return start + (n + 7) / 8;
            }
            if (v1.getDlEncoding() != Encoding.RLE) {
                throw damaged("definition levels are " + v1.getDlEncoding());
            }
            int length = intAt(start);
            int levelsAt = start + 4;
            if (length < 0 || levelsAt + length > end) {
                throw damaged("a page's definition levels overrun it");
            }
            hybrid(validity, row, n, levelsAt, levelsAt + length);
            return levelsAt + length;
        }
        DataPageV2 v2 = (DataPageV2) page;
        if (v2.getDataEncoding() != Encoding.PLAIN) {
            throw damaged("a page is " + v2.getDataEncoding() + " although the footer says PLAIN");
        }
        if (v2.isCompressed()) {
            throw new IllegalStateException("parquet-java returned a compressed v2 page");
        }
        if (optional) {
            load(v2.getDefinitionLevels());
            hybrid(validity, row, n, start, end);
        } else {
            setBits(validity, row, n);
        }
        load(v2.getData());
        return start;
    }

    /** Points {@link #bytes} at {@code input}'s bytes, copying only when they are off-heap. */
    private void load(BytesInput input) {
        ByteBuffer b;
        try {
            b = input.toByteBuffer();
        } catch (IOException e) {
            throw ParquetBatchWriter.ioError("could not read file \"" + file + "\"", e);
        }
        int length = b.remaining();
        if (b.hasArray()) {
            bytes = b.array();
            start = b.arrayOffset() + b.position();
        } else {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            b.duplicate().get(scratch, 0, length);
            bytes = scratch;
            start = 0;
        }
        end = start + length;
    }

    /**
     * Sets validity bits of rows {@code [row, row + n)} from a RLE/bit-packed hybrid of bit width 1
     * in {@code bytes[from, to)}: a run of ones is a range of set bits, a bit-packed group is its
     * bytes shifted into place (LSB first, as Arrow's validity).
     */
    private void hybrid(ArrowBuf validity, int row, int n, int from, int to) {
        int pos = from;
        int done = 0;
        while (done < n) {
            if (pos >= to) {
                throw damaged("a page's definition levels end early");
            }
            int header = 0;
            int shift = 0;
            int b;
            do {
                b = bytes[pos++];
                header |= (b & 0x7f) << shift;
                shift += 7;
            } while ((b & 0x80) != 0 && shift < 35);
            if ((header & 1) == 0) {
                int count = Math.min(header >>> 1, n - done);
                if (pos >= to) {
                    throw damaged("a page's definition levels end early");
                }
                if (bytes[pos++] != 0) {
                    setBits(validity, row + done, count);
                }
                done += count;
            } else {
                int groupBytes = header >>> 1; // 8 values per byte at bit width 1
                if (pos + groupBytes > to) {
                    throw damaged("a page's definition levels end early");
                }
                int count = Math.min(groupBytes * 8, n - done);
                orBits(validity, row + done, count, pos);
                pos += groupBytes;
                done += count;
            }
        }
    }

    /** ORs {@code count} bits from {@code bytes[at...]} (LSB first) into {@code validity} from bit {@code bit}. */
    private void orBits(ArrowBuf validity, int bit, int count, int at) {
        int shift = bit & 7;
        long index = bit >>> 3;
        int full = count >>> 3;
        if (shift == 0) {
            validity.setBytes(index, bytes, at, full);
        } else {
            for (int k = 0; k < full; k++) {
                int b = bytes[at + k] & 0xff;
                long i = index + k;
                validity.setByte(i, validity.getByte(i) | (b << shift));
                validity.setByte(i + 1, b >>> (8 - shift)); // the byte above is still untouched
            }
        }
        int rest = count & 7;
        if (rest != 0) {
            int b = bytes[at + full] & ((1 << rest) - 1);
            long i = index + full;
            int shifted = b << shift;
            validity.setByte(i, validity.getByte(i) | shifted);
            if (shift + rest > 8) {
                validity.setByte(i + 1, validity.getByte(i + 1) | (shifted >>> 8));
            }
        }
    }

    /** The deprecated BIT_PACKED levels of old v1 pages: MSB first, no length prefix. */
    private void unpackBigEndianBits(ArrowBuf validity, int row, int n, int at) {
        if (at + (n + 7) / 8 > end) {
            throw damaged("a page's definition levels overrun it");
        }
        for (int r = 0; r < n; r++) {
            if ((bytes[at + (r >>> 3)] & (0x80 >>> (r & 7))) != 0) {
                setBit(validity, row + r);
            }
        }
    }

    /** Sets bits {@code [from, from + count)}. */
    private static void setBits(ArrowBuf buf, int from, int count) {
        int bit = from;
        int stop = from + count;
        while (bit < stop && (bit & 7) != 0) {
            setBit(buf, bit++);
        }
        int bytes = (stop - bit) >>> 3;
        if (bytes > 0) {
            buf.setOne(bit >>> 3, bytes);
            bit += bytes << 3;
        }
        while (bit < stop) {
            setBit(buf, bit++);
        }
    }

    private static void setBit(ArrowBuf buf, int bit) {
        long i = bit >>> 3;
        buf.setByte(i, buf.getByte(i) | (1 << (bit & 7)));
    }

    private static boolean isSet(ArrowBuf buf, int bit) {
        return (buf.getByte(bit >>> 3) & (1 << (bit & 7))) != 0;
    }

    /** Set bits among {@code [from, from + count)}. */
    private static int countBits(ArrowBuf buf, int from, int count) {
        int bit = from;
        int stop = from + count;
        int n = 0;
        while (bit < stop && (bit & 63) != 0) {
            n += isSet(buf, bit++) ? 1 : 0;
        }
        while (stop - bit >= 64) {
            n += Long.bitCount(buf.getLong(bit >>> 3));
            bit += 64;
        }
        while (bit < stop) {
            n += isSet(buf, bit++) ? 1 : 0;
        }
        return n;
    }

    /** Decodes one page's {@code nonNull} values, starting at {@code bytes[at]}, into rows {@code [row, row + n)}. */
    private void values(FieldVector v, DataType type, PrimitiveType p, int row, int n, int nonNull, int at) {
        ArrowBuf validity = v.getValidityBuffer();
        PrimitiveTypeName physical = p.getPrimitiveTypeName();
        switch (type.kind()) {
            case INTEGER, DATE -> copyFixed(v.getDataBuffer(), validity, row, n, nonNull, at, 4);
            case REAL -> copyFixed(v.getDataBuffer(), validity, row, n, nonNull, at, 4);
            case DOUBLE -> copyFixed(v.getDataBuffer(), validity, row, n, nonNull, at, 8);
            case BIGINT -> {
                if (physical == PrimitiveTypeName.INT32) {
                    unsigned32(v.getDataBuffer(), validity, row, n, nonNull, at);
                } else {
                    copyFixed(v.getDataBuffer(), validity, row, n, nonNull, at, 8);
                }
            }
            case TIMESTAMP -> {
                long factor = microsFactor(p);
                if (factor == 1) {
                    copyFixed(v.getDataBuffer(), validity, row, n, nonNull, at, 8);
                } else {
                    timestamps(v.getDataBuffer(), validity, row, n, nonNull, at, factor);
                }
            }
            case SMALLINT -> smallints(v.getDataBuffer(), validity, row, n, nonNull, at);
            case BOOLEAN -> booleans(v.getDataBuffer(), validity, row, n, nonNull, at);
            case DECIMAL -> decimals(v.getDataBuffer(), validity, p, row, n, nonNull, at);
            case VARCHAR, BYTEA -> binaries((BaseVariableWidthVector) v, p, row, n, nonNull, at);
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    private void need(int at, long length) {
        if (length < 0 || at + length > end) {
            throw damaged("a page's values overrun it");
        }
    }

    /** Values whose Parquet and Arrow layouts agree: one copy without NULLs, else a scatter. */
    private void copyFixed(ArrowBuf data, ArrowBuf validity, int row, int n, int nonNull, int at, int width) {
        need(at, (long) nonNull * width);
        if (nonNull == n) {
            data.setBytes((long) row * width, bytes, at, (long) n * width);
            return;
        }
        int pos = at;
        int stop = row + n;
        if (width == 4) {
            for (int r = row; r < stop; r++) {
                if (isSet(validity, r)) {
                    data.setInt((long) r * 4, (int) INT.get(bytes, pos));
                    pos += 4;
                }
            }
        } else {
            for (int r = row; r < stop; r++) {
                if (isSet(validity, r)) {
                    data.setLong((long) r * 8, (long) LONG.get(bytes, pos));
                    pos += 8;
                }
            }
        }
    }

    private void unsigned32(ArrowBuf data, ArrowBuf validity, int row, int n, int nonNull, int at) {
        need(at, (long) nonNull * 4);
        int pos = at;
        for (int r = row, stop = row + n; r < stop; r++) {
            if (nonNull == n || isSet(validity, r)) {
                data.setLong((long) r * 8, Integer.toUnsignedLong((int) INT.get(bytes, pos)));
                pos += 4;
            }
        }
    }

    private void smallints(ArrowBuf data, ArrowBuf validity, int row, int n, int nonNull, int at) {
        need(at, (long) nonNull * 4);
        int pos = at;
        for (int r = row, stop = row + n; r < stop; r++) {
            if (nonNull == n || isSet(validity, r)) {
                data.setShort((long) r * 2, (short) (int) INT.get(bytes, pos));
                pos += 4;
            }
        }
    }

    private void timestamps(ArrowBuf data, ArrowBuf validity, int row, int n, int nonNull, int at, long factor) {
        need(at, (long) nonNull * 8);
        int pos = at;
        for (int r = row, stop = row + n; r < stop; r++) {
            if (nonNull == n || isSet(validity, r)) {
                long raw = (long) LONG.get(bytes, pos);
                data.setLong((long) r * 8, factor > 0 ? raw * factor : Math.floorDiv(raw, -factor));
                pos += 8;
            }
        }
    }

    /** PLAIN booleans are bit-packed LSB first, one bit per non-NULL value. */
    private void booleans(ArrowBuf data, ArrowBuf validity, int row, int n, int nonNull, int at) {
        need(at, (nonNull + 7) / 8);
        int value = 0;
        for (int r = row, stop = row + n; r < stop; r++) {
            if (nonNull == n || isSet(validity, r)) {
                if ((bytes[at + (value >>> 3)] & (1 << (value & 7))) != 0) {
                    setBit(data, r);
                }
                value++;
            }
        }
    }

    /** Arrow's decimal is a 16-byte little-endian two's complement integer. */
    private void decimals(ArrowBuf data, ArrowBuf validity, PrimitiveType p, int row, int n, int nonNull, int at) {
        PrimitiveTypeName physical = p.getPrimitiveTypeName();
        if (physical == PrimitiveTypeName.INT32 || physical == PrimitiveTypeName.INT64) {
            unscaledDecimals(data, validity, physical == PrimitiveTypeName.INT64 ? 8 : 4, row, n, nonNull, at);
            return;
        }
        boolean fixed = physical == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
        int pos = at;
        for (int r = row, stop = row + n; r < stop; r++) {
            if (nonNull != n && !isSet(validity, r)) {
                continue;
            }
            int length;
            if (fixed) {
                length = p.getTypeLength();
            } else {
                need(pos, 4);
                length = (int) INT.get(bytes, pos);
                pos += 4;
            }
            need(pos, length);
            if (length > 16) {
                throw damaged("a DECIMAL value has " + length + " bytes");
            }
            long base = (long) r * 16;
            byte sign = length > 0 && bytes[pos] < 0 ? (byte) -1 : 0;
            for (int k = 0; k < 16; k++) { // big-endian in Parquet
                data.setByte(base + k, k < length ? bytes[pos + length - 1 - k] : sign);
            }
            pos += length;
        }
    }

    /**
     * DECIMAL on INT32 or INT64, sign-extended to Arrow's 16 bytes. The hottest conversion of the
     * column store (TPC-H's prices), so it writes through the buffer's address after one bounds
     * check for the page.
     */
    private void unscaledDecimals(ArrowBuf data, ArrowBuf validity, int width, int row, int n, int nonNull, int at) {
        need(at, (long) nonNull * width);
        if (data.capacity() < (long) (row + n) * 16) {
            throw new IllegalStateException("decimal vector holds fewer than " + (row + n) + " rows");
        }
        long address = data.memoryAddress();
        int pos = at;
        for (int r = row, stop = row + n; r < stop; r++) {
            if (nonNull == n || isSet(validity, r)) {
                long unscaled = width == 8 ? (long) LONG.get(bytes, pos) : (int) INT.get(bytes, pos);
                pos += width;
                long to = address + ((long) r << 4);
                MemoryUtil.putLong(to, unscaled);
                MemoryUtil.putLong(to + 8, unscaled >> 63);
            }
        }
    }

    /** PLAIN BINARY is a 4-byte little-endian length before each value; FIXED_LEN_BYTE_ARRAY has none. */
    private void binaries(BaseVariableWidthVector v, PrimitiveType p, int row, int n, int nonNull, int at) {
        boolean fixed = p.getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY;
        // the page's value bytes bound the values' total length: grow the data buffer once
        long bound = dataEnd + (end - at);
        while (v.getDataBuffer().capacity() < bound) {
            v.reallocDataBuffer(bound);
        }
        ArrowBuf data = v.getDataBuffer();
        ArrowBuf offsets = v.getOffsetBuffer();
        ArrowBuf validity = v.getValidityBuffer();
        int pos = at;
        long written = dataEnd;
        for (int r = row, stop = row + n; r < stop; r++) {
            if (nonNull == n || isSet(validity, r)) {
                int length;
                if (fixed) {
                    length = p.getTypeLength();
                } else {
                    need(pos, 4);
                    length = (int) INT.get(bytes, pos);
                    pos += 4;
                }
                need(pos, length);
                data.setBytes(written, bytes, pos, length);
                pos += length;
                written += length;
            }
            offsets.setInt((long) (r + 1) * BaseVariableWidthVector.OFFSET_WIDTH, (int) written);
        }
        if (written > Integer.MAX_VALUE) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                    "column \"%s\" of \"%s\" holds more than 2 GB in one row group", p.getName(), file);
        }
        dataEnd = written;
    }

    private int intAt(int at) {
        need(at, 4);
        return (int) INT.get(bytes, at);
    }

    /**
     * How to turn a timestamp column's raw value into microseconds: a positive factor multiplies,
     * a negative one divides (rounding down, so instants before 1970 stay in their second).
     */
    static long microsFactor(PrimitiveType p) {
        if (p.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation t) {
            return switch (t.getUnit()) {
                case MILLIS -> 1000;
                case MICROS -> 1;
                case NANOS -> -1000;
            };
        }
        throw new IllegalStateException("not a timestamp column: " + p);
    }

    private DuetException damaged(String what) {
        return DuetException.of(SqlState.BAD_COPY_FILE_FORMAT, "Parquet file \"%s\" is damaged: %s", file, what);
    }
}
