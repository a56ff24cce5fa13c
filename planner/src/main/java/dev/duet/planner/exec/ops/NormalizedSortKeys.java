package dev.duet.planner.exec.ops;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * ORDER BY keys encoded so that rows compare as unsigned byte strings: each row's keys become a
 * fixed-width run of {@link #rowWidth} bytes (a multiple of 8) in a {@code byte[]}, compared eight
 * bytes at a time as big-endian longs. Each key is a flag byte (NULLS FIRST/LAST) followed by its
 * value in an order-preserving big-endian form, inverted for DESC: integers, dates and
 * timestamps with the sign bit flipped, REAL/DOUBLE by their IEEE bits made monotonic (NaN above
 * every number, -0.0 as 0.0), DECIMAL as 128 bits, BOOLEAN as one byte, and VARCHAR/BYTEA as their
 * first {@link #STRING_PREFIX} bytes zero-padded followed by a length byte
 * {@code min(length, STRING_PREFIX + 1)}: two strings that agree on prefix and length byte are
 * equal unless both are longer than the prefix, and only then are the strings themselves
 * compared, from the batches the rows live in ({@link RowLocator}).
 *
 * <p>Keys are encoded a column at a time from the vectors' buffers; comparing allocates nothing.
 */
final class NormalizedSortKeys {
    /** Bytes of a string key kept in the encoding; longer strings that tie on them are compared whole. */
    static final int STRING_PREFIX = 14;
    /** The length byte of a string longer than the prefix. */
    private static final int LONG_STRING = STRING_PREFIX + 1;

    /** Where an encoded row's values live, for comparing strings longer than their prefix. */
    interface RowLocator {
        /** The vectors (all columns) of the batch holding the row at key position {@code position}. */
        FieldVector[] batch(int position);

        /** The row's index in that batch. */
        int row(int position);
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private final int[] columns;
    private final DataType.Kind[] kinds;
    private final boolean[] descending;
    private final byte[] nullFlag;
    private final byte[] valueFlag;
    /** Offset of each key's flag byte in a row's encoding. */
    private final int[] offset;
    /** Width of a row's encoding, a multiple of 8. */
    final int rowWidth;
    /** Keys that are strings, in key order, and the end offset of each. */
    private final int[] stringKeys;
    private final int[] stringEnd;

    NormalizedSortKeys(List<SortKey> keys, List<BatchColumn> input) {
        int n = keys.size();
        columns = new int[n];
        kinds = new DataType.Kind[n];
        descending = new boolean[n];
        nullFlag = new byte[n];
        valueFlag = new byte[n];
        offset = new int[n];
        int at = 0;
        int strings = 0;
        for (int k = 0; k < n; k++) {
            SortKey key = keys.get(k);
            int c = key.column();
            if (c >= input.size()) {
                throw new IndexOutOfBoundsException("sort column " + c + " of " + input.size() + " columns");
            }
            columns[k] = c;
            kinds[k] = input.get(c).type().kind();
            descending[k] = key.descending();
            nullFlag[k] = (byte) (key.nullsFirst() ? 0 : 1);
            valueFlag[k] = (byte) (key.nullsFirst() ? 1 : 0);
            offset[k] = at;
            at += 1 + payloadWidth(kinds[k]);
            if (kinds[k] == DataType.Kind.VARCHAR || kinds[k] == DataType.Kind.BYTEA) {
                strings++;
            }
        }
        rowWidth = (at + 7) & ~7;
        stringKeys = new int[strings];
        stringEnd = new int[strings];
        for (int k = 0, s = 0; k < n; k++) {
            if (kinds[k] == DataType.Kind.VARCHAR || kinds[k] == DataType.Kind.BYTEA) {
                stringKeys[s] = k;
                stringEnd[s++] = offset[k] + 2 + STRING_PREFIX;
            }
        }
    }

    private static int payloadWidth(DataType.Kind kind) {
        return switch (kind) {
            case BOOLEAN -> 1;
            case SMALLINT -> 2;
            case INTEGER, DATE, REAL -> 4;
            case BIGINT, TIMESTAMP, DOUBLE -> 8;
            case DECIMAL -> 16;
            case VARCHAR, BYTEA -> STRING_PREFIX + 1;
        };
    }

    /** True if two rows whose encodings are equal may still differ (a string longer than its prefix). */
    boolean hasStrings() {
        return stringKeys.length > 0;
    }

    /**
     * Encodes rows {@code [0, rows)} of a batch ({@code vectors} are all its columns) into
     * {@code keys} at row positions {@code [first, first + rows)}.
     */
    void encode(List<FieldVector> vectors, int rows, byte[] keys, int first) {
        int w = rowWidth;
        for (int k = 0; k < columns.length; k++) {
            FieldVector v = vectors.get(columns[k]);
            boolean nulls = v.getNullCount() > 0;
            long validity = v.getValidityBufferAddress();
            long data = v.getDataBufferAddress();
            byte nf = nullFlag[k];
            byte vf = valueFlag[k];
            boolean desc = descending[k];
            long invert = desc ? -1L : 0L;
            int base = first * w + offset[k];
            switch (kinds[k]) {
                case BOOLEAN -> {
                    for (int r = 0, o = base; r < rows; r++, o += w) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            keys[o] = nf;
                            keys[o + 1] = 0;
                        } else {
                            keys[o] = vf;
                            keys[o + 1] = (byte) (ArrowBuffers.bit(data, r) ^ invert);
                        }
                    }
                }
                case SMALLINT -> {
                    for (int r = 0, o = base; r < rows; r++, o += w) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            keys[o] = nf;
                            SHORT.set(keys, o + 1, (short) 0);
                        } else {
                            keys[o] = vf;
                            SHORT.set(keys, o + 1, (short) ((MemoryUtil.getShort(data + 2L * r) ^ 0x8000) ^ invert));
                        }
                    }
                }
                case INTEGER, DATE -> {
                    for (int r = 0, o = base; r < rows; r++, o += w) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            keys[o] = nf;
                            INT.set(keys, o + 1, 0);
                        } else {
                            keys[o] = vf;
                            INT.set(keys, o + 1, (int) ((MemoryUtil.getInt(data + 4L * r) ^ 0x80000000) ^ invert));
                        }
                    }
                }
                case REAL -> {
                    for (int r = 0, o = base; r < rows; r++, o += w) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            keys[o] = nf;
                            INT.set(keys, o + 1, 0);
                        } else {
                            keys[o] = vf;
                            int bits = (int) GroupHashTable.normalizedFloatBits(MemoryUtil.getInt(data + 4L * r));
                            bits = bits < 0 ? ~bits : bits ^ 0x80000000;
                            INT.set(keys, o + 1, (int) (bits ^ invert));
                        }
                    }
                }
                case BIGINT, TIMESTAMP -> {
                    for (int r = 0, o = base; r < rows; r++, o += w) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            keys[o] = nf;
                            LONG.set(keys, o + 1, 0L);
                        } else {
                            keys[o] = vf;
                            LONG.set(keys, o + 1, (MemoryUtil.getLong(data + 8L * r) ^ Long.MIN_VALUE) ^ invert);
                        }
                    }
                }
                case DOUBLE -> {
                    for (int r = 0, o = base; r < rows; r++, o += w) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            keys[o] = nf;
                            LONG.set(keys, o + 1, 0L);
                        } else {
                            keys[o] = vf;
                            long bits = GroupHashTable.normalizedDoubleBits(MemoryUtil.getLong(data + 8L * r));
                            bits = bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
                            LONG.set(keys, o + 1, bits ^ invert);
                        }
                    }
                }
                case DECIMAL -> {
                    for (int r = 0, o = base; r < rows; r++, o += w) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            keys[o] = nf;
                            LONG.set(keys, o + 1, 0L);
                            LONG.set(keys, o + 9, 0L);
                        } else {
                            keys[o] = vf;
                            LONG.set(keys, o + 1, (MemoryUtil.getLong(data + 16L * r + 8) ^ Long.MIN_VALUE) ^ invert);
                            LONG.set(keys, o + 9, MemoryUtil.getLong(data + 16L * r) ^ invert);
                        }
                    }
                }
                case VARCHAR, BYTEA -> {
                    long offsets = ((BaseVariableWidthVector) v).getOffsetBufferAddress();
                    byte pad = (byte) invert;
                    for (int r = 0, o = base; r < rows; r++, o += w) {
                        if (nulls && ArrowBuffers.isNull(validity, r)) {
                            keys[o] = nf;
                            for (int i = 1; i <= STRING_PREFIX + 1; i++) {
                                keys[o + i] = 0;
                            }
                        } else {
                            keys[o] = vf;
                            int start = MemoryUtil.getInt(offsets + 4L * r);
                            int length = MemoryUtil.getInt(offsets + 4L * r + 4) - start;
                            int len = Math.min(STRING_PREFIX, length);
                            long src = data + start;
                            int i = 0;
                            for (; i < len; i++) {
                                keys[o + 1 + i] = (byte) (MemoryUtil.getByte(src + i) ^ pad);
                            }
                            for (; i < STRING_PREFIX; i++) {
                                keys[o + 1 + i] = pad;
                            }
                            keys[o + 1 + STRING_PREFIX] = (byte) (Math.min(length, LONG_STRING) ^ pad);
                        }
                    }
                }
            }
        }
        // padding bytes of each row stay zero (arrays start zeroed and padding is never written)
    }

    /** The first eight bytes of row {@code row}'s encoding as an unsigned-comparable long. */
    long firstWord(byte[] keys, int row) {
        return (long) LONG.get(keys, row * rowWidth);
    }

    /**
     * Orders the row at key position {@code a} of {@code ka} against position {@code b} of
     * {@code kb}; the locators find the rows' strings when their prefixes tie.
     */
    int compare(byte[] ka, int a, RowLocator la, byte[] kb, int b, RowLocator lb) {
        int w = rowWidth;
        int oa = a * w;
        int ob = b * w;
        for (int i = 0; i < w; i += 8) {
            long x = (long) LONG.get(ka, oa + i);
            long y = (long) LONG.get(kb, ob + i);
            if (x != y) {
                if (stringKeys.length > 0) {
                    int equalBytes = i + (Long.numberOfLeadingZeros(x ^ y) >>> 3);
                    int c = compareStrings(equalBytes, ka, oa, a, la, b, lb);
                    if (c != 0) {
                        return c;
                    }
                }
                return Long.compareUnsigned(x, y);
            }
        }
        return stringKeys.length == 0 ? 0 : compareStrings(w, ka, oa, a, la, b, lb);
    }

    /** Compares, in key order, the string keys whose encodings lie within the first {@code equalBytes} equal bytes. */
    private int compareStrings(int equalBytes, byte[] ka, int oa, int a, RowLocator la, int b, RowLocator lb) {
        for (int s = 0; s < stringKeys.length && stringEnd[s] <= equalBytes; s++) {
            int k = stringKeys[s];
            int lengthByte = (ka[oa + offset[k] + 1 + STRING_PREFIX] ^ (descending[k] ? -1 : 0)) & 0xFF;
            if (ka[oa + offset[k]] != valueFlag[k] || lengthByte != LONG_STRING) {
                continue; // both NULL, or equal strings that fit in the prefix
            }
            int c = compareBytes((BaseVariableWidthVector) la.batch(a)[columns[k]], la.row(a),
                    (BaseVariableWidthVector) lb.batch(b)[columns[k]], lb.row(b));
            if (c != 0) {
                return descending[k] ? -c : c;
            }
        }
        return 0;
    }

    static int compareBytes(BaseVariableWidthVector va, int ra, BaseVariableWidthVector vb, int rb) {
        long oa = va.getOffsetBufferAddress() + 4L * ra;
        long ob = vb.getOffsetBufferAddress() + 4L * rb;
        int sa = MemoryUtil.getInt(oa);
        int la = MemoryUtil.getInt(oa + 4) - sa;
        int sb = MemoryUtil.getInt(ob);
        int lb = MemoryUtil.getInt(ob + 4) - sb;
        long pa = va.getDataBufferAddress() + sa;
        long pb = vb.getDataBufferAddress() + sb;
        int n = Math.min(la, lb);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = MemoryUtil.getLong(pa + i);
            long y = MemoryUtil.getLong(pb + i);
            if (x != y) {
                return Long.compareUnsigned(Long.reverseBytes(x), Long.reverseBytes(y));
            }
        }
        for (; i < n; i++) {
            int x = MemoryUtil.getByte(pa + i) & 0xFF;
            int y = MemoryUtil.getByte(pb + i) & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return Integer.compare(la, lb);
    }
}
