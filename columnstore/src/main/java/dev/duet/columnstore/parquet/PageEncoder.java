package dev.duet.columnstore.parquet;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Encodes one flat column's values, straight from Arrow buffers, into compressed Parquet data
 * pages (V1, PLAIN values; for an optional column, definition levels as a RLE/bit-packed hybrid of
 * bit width 1 behind their 4-byte length) and keeps the open row group's pages until
 * {@link ParquetBatchWriter} writes the column chunk. Each page carries its min/max/null-count
 * statistics in parquet-java's {@link Statistics}, computed in loops over the page's values and
 * built once per page (min and max only; ordering as parquet-java's comparators for the column's
 * type: signed integers, signed two's complement FIXED_LEN_BYTE_ARRAY decimals, unsigned
 * lexicographic strings and bytes, floating point without NaN and with zero as -0.0 / +0.0).
 *
 * <p>A page holds at most {@value #PAGE_ROWS} rows and about {@value #PAGE_BYTES} bytes of
 * values. Buffers are reused from page to page and row group to row group; nothing is allocated
 * per value. Only non-NULL values are written; a stretch without NULLs of a fixed-width column
 * whose Arrow and Parquet layouts agree (both little-endian) is one memory copy.
 */
abstract class PageEncoder {
    static final int PAGE_ROWS = 20_000;
    static final int PAGE_BYTES = 1 << 20;

    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    final ColumnDescriptor descriptor;
    final PrimitiveType type;
    private final boolean optional;
    /** False for columns written without statistics (no min/max, no null count). */
    final boolean statistics;
    private final BytesInputCompressor compressor;

    FieldVector vector;
    ArrowBuf validity;
    ArrowBuf data;
    ArrowBuf offsets;

    /** The open page's values, PLAIN-encoded. */
    byte[] values = new byte[1 << 16];
    int valuesLength;
    /** The open page's validity, one bit per row, LSB first (Arrow's and bit-packed levels' order). */
    final byte[] bitmap = new byte[PAGE_ROWS / 8 + 8];
    int rows;
    int nulls;
    private final byte[] levels = new byte[2 * (PAGE_ROWS / 8) + 64];

    /** The open row group's compressed pages, back to back, and what each one holds. */
    final Chunk chunk = new Chunk();
    int pageCount;
    int[] pageOffset = new int[8];
    int[] pageCompressed = new int[8];
    int[] pageUncompressed = new int[8];
    int[] pageRows = new int[8];
    Statistics<?>[] pageStatistics = new Statistics<?>[8];

    PageEncoder(ColumnDescriptor descriptor, boolean optional, boolean statistics, BytesInputCompressor compressor) {
        this.descriptor = descriptor;
        this.type = descriptor.getPrimitiveType();
        this.optional = optional;
        this.statistics = statistics;
        this.compressor = compressor;
    }

    /** The encoder of a column, by its Duet type (its Parquet type as {@link ParquetTypes} maps it). */
    static PageEncoder of(BatchColumn column, ColumnDescriptor descriptor, BytesInputCompressor compressor,
            boolean statistics) {
        boolean optional = column.nullable();
        DataType t = column.type();
        return switch (t.kind()) {
            case BOOLEAN -> new BooleanEncoder(descriptor, optional, statistics, compressor);
            case SMALLINT -> new Int32Encoder(descriptor, optional, statistics, compressor, 2);
            case INTEGER, DATE -> new Int32Encoder(descriptor, optional, statistics, compressor, 4);
            case BIGINT, TIMESTAMP -> new Int64Encoder(descriptor, optional, statistics, compressor, 8);
            case REAL -> new FloatEncoder(descriptor, optional, statistics, compressor);
            case DOUBLE -> new DoubleEncoder(descriptor, optional, statistics, compressor);
            case DECIMAL -> t.precision() <= 9 ? new Int32Encoder(descriptor, optional, statistics, compressor, 16)
                    : t.precision() <= 18 ? new Int64Encoder(descriptor, optional, statistics, compressor, 16)
                    : new DecimalEncoder(descriptor, optional, statistics, compressor,
                            ParquetTypes.decimalBytes(t.precision()));
            case VARCHAR, BYTEA -> new BinaryEncoder(descriptor, optional, statistics, compressor);
        };
    }

    final void bind(FieldVector v) {
        vector = v;
        validity = v == null ? null : v.getValidityBuffer();
        data = v == null ? null : v.getDataBuffer();
        offsets = v instanceof BaseVariableWidthVector ? v.getOffsetBuffer() : null;
    }

    /** Compressed bytes held for the open row group. */
    final long bufferedBytes() {
        return chunk.size();
    }

    /** Appends rows {@code [from, from + n)} of the bound vector, closing pages as they fill. */
    final void append(int from, int n) throws IOException {
        while (n > 0) {
            int want = Math.min(n, PAGE_ROWS - rows);
            int k = fitting(from, want);
            if (k == 0) {
                finishPage(); // the next value does not fit in what is left of the page
                continue;
            }
            int valid = k;
            if (optional) {
                valid = copyBits(validity, from, bitmap, rows, k);
                nulls += k - valid;
            }
            encode(from, k, valid == k);
            rows += k;
            from += k;
            n -= k;
            if (rows == PAGE_ROWS || k < want || valuesLength >= PAGE_BYTES) {
                finishPage();
            }
        }
    }

    /**
     * How many of the {@code k} rows from {@code from} fit in what is left of the open page's byte
     * budget: 0 when not even one does, but at least one in an empty page, so that a value larger
     * than a page gets a page of its own.
     */
    int fitting(int from, int k) {
        return k;
    }

    /**
     * How many of the {@code k} rows from {@code from} (at least one) take at most {@code bytes}
     * bytes of values: a write step's bound, so that the row group's byte bound is looked at
     * before a step of long values has buffered far more than it.
     */
    int rowsWithin(int from, int k, long bytes) {
        return k;
    }

    /**
     * Appends the non-NULL values of rows {@code [from, from + k)} to {@link #values} and takes
     * them into the page's statistics; their validity is already in {@link #bitmap} from bit
     * {@link #rows}. {@code dense}: none of them is NULL.
     */
    abstract void encode(int from, int k, boolean dense);

    /** The page's statistics with min/max (when there is a non-NULL value) and null count. */
    abstract Statistics<?> pageStatistics();

    /** Forgets the page's min/max. */
    abstract void resetStatistics();

    final boolean valid(int pageRow) {
        return (bitmap[pageRow >>> 3] & (1 << (pageRow & 7))) != 0;
    }

    final void ensureValues(int more) {
        if (valuesLength + more > values.length) {
            values = Arrays.copyOf(values, Math.max(valuesLength + more, values.length * 2));
        }
    }

    /** Compresses the open page into the chunk (nothing when it is empty) and opens a new one. */
    final void finishPage() throws IOException {
        if (rows == 0) {
            return;
        }
        int levelBytes = optional ? encodeLevels() : 0;
        BytesInput body = BytesInput.from(values, 0, valuesLength);
        if (levelBytes > 0) {
            body = BytesInput.concat(BytesInput.from(levels, 0, levelBytes), body);
        }
        int uncompressed = levelBytes + valuesLength;
        int offset = chunk.size();
        compressor.compress(body).writeAllTo(chunk);
        Statistics<?> stats;
        if (statistics) {
            stats = pageStatistics();
            stats.incrementNumNulls(nulls);
        } else {
            stats = Statistics.noopStats(type);
        }
        if (pageCount == pageOffset.length) {
            int size = pageCount * 2;
            pageOffset = Arrays.copyOf(pageOffset, size);
            pageCompressed = Arrays.copyOf(pageCompressed, size);
            pageUncompressed = Arrays.copyOf(pageUncompressed, size);
            pageRows = Arrays.copyOf(pageRows, size);
            pageStatistics = Arrays.copyOf(pageStatistics, size);
        }
        pageOffset[pageCount] = offset;
        pageCompressed[pageCount] = chunk.size() - offset;
        pageUncompressed[pageCount] = uncompressed;
        pageRows[pageCount] = rows;
        pageStatistics[pageCount] = stats;
        pageCount++;
        Arrays.fill(bitmap, 0, (rows + 7) >>> 3, (byte) 0);
        rows = 0;
        nulls = 0;
        valuesLength = 0;
        resetStatistics();
    }

    /** Forgets the written row group's pages, keeping the buffers. */
    final void clearChunk() {
        chunk.reset();
        Arrays.fill(pageStatistics, 0, pageCount, null);
        pageCount = 0;
    }

    /**
     * Writes the page's definition levels into {@link #levels} (4-byte length, then the hybrid)
     * and returns their size. A page without NULLs (or of NULLs only) is one RLE run; otherwise
     * stretches of at least 64 equal levels are RLE runs and the rest bit-packed groups, which are
     * the validity bytes as they are.
     */
    private int encodeLevels() {
        int at = 4;
        if (nulls == 0 || nulls == rows) {
            at = rle(at, rows, nulls == 0 ? 1 : 0);
        } else {
            int fullBytes = rows >>> 3;
            int packedFrom = 0;
            int i = 0;
            while (i < fullBytes) {
                byte b = bitmap[i];
                if (b != 0 && b != -1) {
                    i++;
                    continue;
                }
                int j = i + 1;
                while (j < fullBytes && bitmap[j] == b) {
                    j++;
                }
                if (j - i >= 8) {
                    at = bitPacked(at, packedFrom, i);
                    at = rle(at, (j - i) * 8, b == 0 ? 0 : 1);
                    packedFrom = j;
                }
                i = j;
            }
            at = bitPacked(at, packedFrom, (rows + 7) >>> 3);
        }
        INT.set(levels, 0, at - 4);
        return at;
    }

    private int rle(int at, int count, int value) {
        at = varint(at, count << 1);
        levels[at++] = (byte) value;
        return at;
    }

    /** Validity bytes {@code [from, to)} as one bit-packed run (groups of 8 levels, one byte each). */
    private int bitPacked(int at, int from, int to) {
        if (to > from) {
            at = varint(at, ((to - from) << 1) | 1);
            System.arraycopy(bitmap, from, levels, at, to - from);
            at += to - from;
        }
        return at;
    }

    private int varint(int at, int v) {
        while ((v & ~0x7f) != 0) {
            levels[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        levels[at++] = (byte) v;
        return at;
    }

    /**
     * Copies {@code count} bits from {@code src} (from bit {@code srcBit}) into the zeroed
     * {@code dst} from bit {@code dstBit} and returns how many are set.
     */
    static int copyBits(ArrowBuf src, int srcBit, byte[] dst, int dstBit, int count) {
        int ones = 0;
        int i = 0;
        if (((srcBit | dstBit) & 7) == 0) {
            int bytes = count >>> 3;
            int d = dstBit >>> 3;
            src.getBytes(srcBit >>> 3, dst, d, bytes);
            int k = 0;
            for (; k + 8 <= bytes; k += 8) {
                ones += Long.bitCount((long) LONG.get(dst, d + k));
            }
            for (; k < bytes; k++) {
                ones += Integer.bitCount(dst[d + k] & 0xff);
            }
            i = bytes << 3;
        } else {
            // eight bits at a time, shifted out of one or two source bytes into one or two target bytes
            for (; i + 8 <= count; i += 8) {
                int s = srcBit + i;
                int sh = s & 7;
                int b = (src.getByte(s >>> 3) & 0xff) >>> sh;
                if (sh != 0) {
                    b = (b | (src.getByte((s >>> 3) + 1) & 0xff) << (8 - sh)) & 0xff;
                }
                int d = dstBit + i;
                int dh = d & 7;
                dst[d >>> 3] |= (byte) (b << dh);
                if (dh != 0) {
                    dst[(d >>> 3) + 1] |= (byte) (b >>> (8 - dh));
                }
                ones += Integer.bitCount(b);
            }
        }
        for (; i < count; i++) {
            int s = srcBit + i;
            int bit = (src.getByte(s >>> 3) >>> (s & 7)) & 1;
            int d = dstBit + i;
            dst[d >>> 3] |= (byte) (bit << (d & 7));
            ones += bit;
        }
        return ones;
    }

    /** A byte stream whose array the pages are written from. */
    static final class Chunk extends ByteArrayOutputStream {
        Chunk() {
            super(1 << 16);
        }

        byte[] array() {
            return buf;
        }
    }

    /** BOOLEAN: PLAIN is one bit per value, LSB first. */
    static final class BooleanEncoder extends PageEncoder {
        private int bits;
        private boolean sawTrue;
        private boolean sawFalse;

        BooleanEncoder(ColumnDescriptor d, boolean optional, boolean statistics, BytesInputCompressor c) {
            super(d, optional, statistics, c);
        }

        @Override
        void encode(int from, int k, boolean dense) {
            ensureValues(k / 8 + 2);
            for (int i = 0; i < k; i++) {
                if (dense || valid(rows + i)) {
                    int r = from + i;
                    boolean v = ((data.getByte(r >>> 3) >>> (r & 7)) & 1) != 0;
                    if (v) {
                        values[bits >>> 3] |= (byte) (1 << (bits & 7));
                        sawTrue = true;
                    } else {
                        sawFalse = true;
                    }
                    bits++;
                }
            }
            valuesLength = (bits + 7) >>> 3;
        }

        @Override
        Statistics<?> pageStatistics() {
            Statistics<?> s = Statistics.createStats(type);
            if (sawFalse) {
                s.updateStats(false);
            }
            if (sawTrue) {
                s.updateStats(true);
            }
            return s;
        }

        @Override
        void resetStatistics() {
            Arrays.fill(values, 0, (bits + 7) >>> 3, (byte) 0);
            bits = 0;
            sawTrue = false;
            sawFalse = false;
        }
    }

    /** INT32 from Arrow values of {@code width} bytes: SMALLINT (2), INTEGER and DATE (4), DECIMAL (16, the low 4). */
    static final class Int32Encoder extends PageEncoder {
        private final int width;
        private int min = Integer.MAX_VALUE;
        private int max = Integer.MIN_VALUE;
        private boolean any;

        Int32Encoder(ColumnDescriptor d, boolean optional, boolean statistics, BytesInputCompressor c, int width) {
            super(d, optional, statistics, c);
            this.width = width;
        }

        @Override
        void encode(int from, int k, boolean dense) {
            ensureValues(k * 4);
            int start = valuesLength;
            int at = start;
            if (dense && width == 4) {
                data.getBytes((long) from * 4, values, at, k * 4);
                at += k * 4;
            } else {
                for (int i = 0; i < k; i++) {
                    if (dense || valid(rows + i)) {
                        long r = from + i;
                        int v = width == 2 ? data.getShort(r * 2) : width == 4 ? data.getInt(r * 4) : data.getInt(r * 16);
                        INT.set(values, at, v);
                        at += 4;
                    }
                }
            }
            valuesLength = at;
            if (statistics && at > start) {
                int lo = min;
                int hi = max;
                for (int p = start; p < at; p += 4) {
                    int v = (int) INT.get(values, p);
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min = lo;
                max = hi;
                any = true;
            }
        }

        @Override
        Statistics<?> pageStatistics() {
            Statistics<?> s = Statistics.createStats(type);
            if (any) {
                s.updateStats(min);
                s.updateStats(max);
            }
            return s;
        }

        @Override
        void resetStatistics() {
            min = Integer.MAX_VALUE;
            max = Integer.MIN_VALUE;
            any = false;
        }
    }

    /** INT64 from Arrow values of {@code width} bytes: BIGINT and TIMESTAMP (8), DECIMAL (16, the low 8). */
    static final class Int64Encoder extends PageEncoder {
        private final int width;
        private long min = Long.MAX_VALUE;
        private long max = Long.MIN_VALUE;
        private boolean any;

        Int64Encoder(ColumnDescriptor d, boolean optional, boolean statistics, BytesInputCompressor c, int width) {
            super(d, optional, statistics, c);
            this.width = width;
        }

        @Override
        void encode(int from, int k, boolean dense) {
            ensureValues(k * 8);
            int start = valuesLength;
            int at = start;
            if (dense && width == 8) {
                data.getBytes((long) from * 8, values, at, k * 8);
                at += k * 8;
            } else {
                for (int i = 0; i < k; i++) {
                    if (dense || valid(rows + i)) {
                        LONG.set(values, at, data.getLong((long) (from + i) * width));
                        at += 8;
                    }
                }
            }
            valuesLength = at;
            if (statistics && at > start) {
                long lo = min;
                long hi = max;
                for (int p = start; p < at; p += 8) {
                    long v = (long) LONG.get(values, p);
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                min = lo;
                max = hi;
                any = true;
            }
        }

        @Override
        Statistics<?> pageStatistics() {
            Statistics<?> s = Statistics.createStats(type);
            if (any) {
                s.updateStats(min);
                s.updateStats(max);
            }
            return s;
        }

        @Override
        void resetStatistics() {
            min = Long.MAX_VALUE;
            max = Long.MIN_VALUE;
            any = false;
        }
    }

    /**
     * FLOAT. As parquet-java: NaN is counted, never a bound; the bounds are then handed to its
     * statistics, which turn a zero minimum into -0.0 and a zero maximum into +0.0.
     */
    static final class FloatEncoder extends PageEncoder {
        private float min = Float.POSITIVE_INFINITY;
        private float max = Float.NEGATIVE_INFINITY;
        private boolean any;
        private long nans;

        FloatEncoder(ColumnDescriptor d, boolean optional, boolean statistics, BytesInputCompressor c) {
            super(d, optional, statistics, c);
        }

        @Override
        void encode(int from, int k, boolean dense) {
            ensureValues(k * 4);
            int start = valuesLength;
            int at = start;
            if (dense) {
                data.getBytes((long) from * 4, values, at, k * 4);
                at += k * 4;
            } else {
                for (int i = 0; i < k; i++) {
                    if (valid(rows + i)) {
                        INT.set(values, at, data.getInt((long) (from + i) * 4));
                        at += 4;
                    }
                }
            }
            valuesLength = at;
            if (statistics) {
                float lo = min;
                float hi = max;
                boolean seen = any;
                long nan = nans;
                for (int p = start; p < at; p += 4) {
                    float v = (float) FLOAT.get(values, p);
                    if (v != v) {
                        nan++;
                        continue;
                    }
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    seen = true;
                }
                min = lo;
                max = hi;
                any = seen;
                nans = nan;
            }
        }

        @Override
        Statistics<?> pageStatistics() {
            Statistics<?> s = Statistics.createStats(type);
            if (any) {
                s.updateStats(min);
                s.updateStats(max);
            }
            s.incrementNanCount(nans);
            return s;
        }

        @Override
        void resetStatistics() {
            min = Float.POSITIVE_INFINITY;
            max = Float.NEGATIVE_INFINITY;
            any = false;
            nans = 0;
        }
    }

    /** DOUBLE, with NaN and zeros as {@link FloatEncoder}. */
    static final class DoubleEncoder extends PageEncoder {
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private boolean any;
        private long nans;

        DoubleEncoder(ColumnDescriptor d, boolean optional, boolean statistics, BytesInputCompressor c) {
            super(d, optional, statistics, c);
        }

        @Override
        void encode(int from, int k, boolean dense) {
            ensureValues(k * 8);
            int start = valuesLength;
            int at = start;
            if (dense) {
                data.getBytes((long) from * 8, values, at, k * 8);
                at += k * 8;
            } else {
                for (int i = 0; i < k; i++) {
                    if (valid(rows + i)) {
                        LONG.set(values, at, data.getLong((long) (from + i) * 8));
                        at += 8;
                    }
                }
            }
            valuesLength = at;
            if (statistics) {
                double lo = min;
                double hi = max;
                boolean seen = any;
                long nan = nans;
                for (int p = start; p < at; p += 8) {
                    double v = (double) DOUBLE.get(values, p);
                    if (v != v) {
                        nan++;
                        continue;
                    }
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    seen = true;
                }
                min = lo;
                max = hi;
                any = seen;
                nans = nan;
            }
        }

        @Override
        Statistics<?> pageStatistics() {
            Statistics<?> s = Statistics.createStats(type);
            if (any) {
                s.updateStats(min);
                s.updateStats(max);
            }
            s.incrementNanCount(nans);
            return s;
        }

        @Override
        void resetStatistics() {
            min = Double.POSITIVE_INFINITY;
            max = Double.NEGATIVE_INFINITY;
            any = false;
            nans = 0;
        }
    }

    /**
     * DECIMAL of precision over 18: Arrow's 16-byte little-endian two's complement as the column's
     * {@code width} big-endian bytes (the value's low bytes; the precision guarantees the rest are
     * sign bits). The bounds are kept as 128-bit integers and compared signed.
     */
    static final class DecimalEncoder extends PageEncoder {
        private final int width;
        private long minHi;
        private long minLo;
        private long maxHi;
        private long maxLo;
        private boolean any;

        DecimalEncoder(ColumnDescriptor d, boolean optional, boolean statistics, BytesInputCompressor c, int width) {
            super(d, optional, statistics, c);
            this.width = width;
        }

        @Override
        void encode(int from, int k, boolean dense) {
            ensureValues(k * width);
            int at = valuesLength;
            int w = width;
            for (int i = 0; i < k; i++) {
                if (dense || valid(rows + i)) {
                    long base = (long) (from + i) * 16;
                    long lo = data.getLong(base);
                    long hi = data.getLong(base + 8);
                    LONG_BE.set(values, at + w - 8, lo);
                    for (int b = 0, n = w - 8; b < n; b++) {
                        values[at + n - 1 - b] = (byte) (hi >>> (8 * b));
                    }
                    at += w;
                    if (statistics) {
                        if (!any) {
                            minHi = maxHi = hi;
                            minLo = maxLo = lo;
                            any = true;
                        } else {
                            if (hi < minHi || hi == minHi && Long.compareUnsigned(lo, minLo) < 0) {
                                minHi = hi;
                                minLo = lo;
                            }
                            if (hi > maxHi || hi == maxHi && Long.compareUnsigned(lo, maxLo) > 0) {
                                maxHi = hi;
                                maxLo = lo;
                            }
                        }
                    }
                }
            }
            valuesLength = at;
        }

        private Binary bound(long hi, long lo) {
            byte[] b = new byte[width];
            LONG_BE.set(b, width - 8, lo);
            for (int i = 0, n = width - 8; i < n; i++) {
                b[n - 1 - i] = (byte) (hi >>> (8 * i));
            }
            return Binary.fromConstantByteArray(b);
        }

        @Override
        Statistics<?> pageStatistics() {
            Statistics<?> s = Statistics.createStats(type);
            if (any) {
                s.updateStats(bound(minHi, minLo));
                s.updateStats(bound(maxHi, maxLo));
            }
            return s;
        }

        @Override
        void resetStatistics() {
            any = false;
        }
    }

    /**
     * BYTE_ARRAY (VARCHAR, BYTEA): each value's 4-byte little-endian length, then its bytes. A
     * stretch of rows is copied from Arrow in one piece into {@link #scratch}, then value by value
     * into the page. The bounds are positions in the page's own values, compared in place
     * (unsigned, lexicographic), and copied once when the page closes.
     */
    static final class BinaryEncoder extends PageEncoder {
        private byte[] scratch = new byte[1 << 16];
        private int minAt = -1;
        private int minLength;
        private int maxAt;
        private int maxLength;

        BinaryEncoder(ColumnDescriptor d, boolean optional, boolean statistics, BytesInputCompressor c) {
            super(d, optional, statistics, c);
        }

        private int offset(int row) {
            return offsets.getInt((long) row * 4);
        }

        @Override
        int fitting(int from, int k) {
            int n = within(from, k, PAGE_BYTES - valuesLength);
            return n == 0 && rows == 0 ? 1 : n;
        }

        @Override
        int rowsWithin(int from, int k, long bytes) {
            return Math.max(1, within(from, k, bytes));
        }

        /** The most rows from {@code from}, at most {@code k}, whose encoded values take at most {@code budget} bytes. */
        private int within(int from, int k, long budget) {
            int first = offset(from);
            if (offset(from + k) - first + 4L * k <= budget) {
                return k;
            }
            int lo = 0;
            int hi = k - 1;
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (offset(from + mid) - first + 4L * mid <= budget) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }

        @Override
        void encode(int from, int k, boolean dense) {
            int first = offset(from);
            int bytes = offset(from + k) - first;
            if (scratch.length < bytes) {
                scratch = new byte[Math.max(bytes, scratch.length * 2)];
            }
            data.getBytes(first, scratch, 0, bytes);
            ensureValues(bytes + 4 * k);
            byte[] page = values;
            int at = valuesLength;
            int start = first;
            for (int i = 0; i < k; i++) {
                int end = offset(from + i + 1);
                if (dense || valid(rows + i)) {
                    int length = end - start;
                    INT.set(page, at, length);
                    at += 4;
                    System.arraycopy(scratch, start - first, page, at, length);
                    if (statistics) {
                        if (minAt < 0) {
                            minAt = maxAt = at;
                            minLength = maxLength = length;
                        } else if (Arrays.compareUnsigned(page, at, at + length, page, minAt, minAt + minLength) < 0) {
                            minAt = at;
                            minLength = length;
                        } else if (Arrays.compareUnsigned(page, at, at + length, page, maxAt, maxAt + maxLength) > 0) {
                            maxAt = at;
                            maxLength = length;
                        }
                    }
                    at += length;
                }
                start = end;
            }
            valuesLength = at;
        }

        @Override
        Statistics<?> pageStatistics() {
            Statistics<?> s = Statistics.createStats(type);
            if (minAt >= 0) {
                s.updateStats(Binary.fromConstantByteArray(Arrays.copyOfRange(values, minAt, minAt + minLength)));
                s.updateStats(Binary.fromConstantByteArray(Arrays.copyOfRange(values, maxAt, maxAt + maxLength)));
            }
            return s;
        }

        @Override
        void resetStatistics() {
            minAt = -1;
        }
    }
}
