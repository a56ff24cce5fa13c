package dev.duet.core.types;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The compact binary form of one row, as the WAL and the row store keep it: a varint column
 * count, a null bitmap of {@code ceil(count / 8)} bytes (bit {@code i % 8} of byte {@code i / 8}
 * set when column {@code i} is null), then each non-null value in column order — BOOLEAN 1 byte,
 * SMALLINT 2, INTEGER/REAL/DATE (epoch day) 4, BIGINT/DOUBLE/TIMESTAMP (epoch microseconds) 8,
 * all little-endian; DECIMAL of precision ≤ 18 as its 8-byte unscaled long, wider ones as a varint
 * length and big-endian two's-complement unscaled bytes; VARCHAR as a varint byte length and UTF-8;
 * BYTEA as a varint length and the bytes. A row written before columns were added decodes with
 * those trailing columns null. Instances are immutable and thread-safe; values must be canonical
 * (see {@link Values#coerce}), and malformed input fails with {@link SqlState#DATA_CORRUPTED}.
 */
public final class RowCodec {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // Per-column encodings; DECIMAL splits on whether the unscaled value fits a long.
    private static final byte BOOL = 0;
    private static final byte I16 = 1;
    private static final byte I32 = 2;
    private static final byte I64 = 3;
    private static final byte F32 = 4;
    private static final byte F64 = 5;
    private static final byte DEC64 = 6;
    private static final byte DEC_BIG = 7;
    private static final byte STR = 8;
    private static final byte DAY = 9;
    private static final byte MICROS = 10;
    private static final byte BYTES = 11;

    /** Largest unscaled DECIMAL magnitude, as bytes of two's complement: 10^38 - 1 needs 16. */
    private static final int MAX_DECIMAL_BYTES = 16;

    private final DataType[] types;
    private final byte[] codes;
    /** Fixed byte width per column, 0 for variable-width ones. */
    private final int[] widths;
    private final boolean hasStrings;

    public RowCodec(DataType[] types) {
        Objects.requireNonNull(types, "types is null");
        this.types = types.clone();
        this.codes = new byte[types.length];
        this.widths = new int[types.length];
        boolean strings = false;
        for (int i = 0; i < types.length; i++) {
            DataType t = Objects.requireNonNull(this.types[i], "type is null");
            byte code = switch (t.kind()) {
                case BOOLEAN -> BOOL;
                case SMALLINT -> I16;
                case INTEGER -> I32;
                case BIGINT -> I64;
                case REAL -> F32;
                case DOUBLE -> F64;
                case DECIMAL -> t.precision() <= 18 ? DEC64 : DEC_BIG;
                case VARCHAR -> STR;
                case DATE -> DAY;
                case TIMESTAMP -> MICROS;
                case BYTEA -> BYTES;
            };
            codes[i] = code;
            widths[i] = switch (code) {
                case BOOL -> 1;
                case I16 -> 2;
                case I32, F32, DAY -> 4;
                case I64, F64, DEC64, MICROS -> 8;
                default -> 0;
            };
            strings |= code == STR;
        }
        this.hasStrings = strings;
    }

    /** Number of columns this codec writes. */
    public int columnCount() {
        return types.length;
    }

    /** The column types, in order (a copy). */
    public DataType[] types() {
        return types.clone();
    }

    /** Encodes one row; {@code values} holds one canonical value or null per column. */
    public byte[] encode(Object[] values) {
        Objects.requireNonNull(values, "values is null");
        int n = types.length;
        if (values.length != n) {
            throw new IllegalArgumentException("expected " + n + " values, got " + values.length);
        }
        int col = 0;
        try {
            // Pass 1: the exact size, so the row is written into one array of the right length.
            int[] utf8Lengths = hasStrings ? new int[n] : null;
            int size = varintSize(n) + ((n + 7) >>> 3);
            for (; col < n; col++) {
                Object v = values[col];
                if (v == null) {
                    continue;
                }
                int w = widths[col];
                if (w != 0) {
                    size += w;
                    continue;
                }
                int len = switch (codes[col]) {
                    case STR -> {
                        String s = (String) v;
                        int l = Utf8.encodedLength(s, 0, s.length());
                        utf8Lengths[col] = l;
                        yield l;
                    }
                    case BYTES -> ((byte[]) v).length;
                    case DEC_BIG -> bigUnscaledLength(col, (BigDecimal) v);
                    default -> throw new IllegalStateException();
                };
                size += varintSize(len) + len;
            }

            // Pass 2: write.
            byte[] out = new byte[size];
            int pos = writeVarint(out, 0, n);
            int bitmap = pos;
            pos += (n + 7) >>> 3;
            for (col = 0; col < n; col++) {
                Object v = values[col];
                if (v == null) {
                    out[bitmap + (col >>> 3)] |= (byte) (1 << (col & 7));
                    continue;
                }
                switch (codes[col]) {
                    case BOOL -> out[pos++] = (Boolean) v ? (byte) 1 : (byte) 0;
                    case I16 -> {
                        SHORT.set(out, pos, (short) (Short) v);
                        pos += 2;
                    }
                    case I32 -> {
                        INT.set(out, pos, (int) (Integer) v);
                        pos += 4;
                    }
                    case I64 -> {
                        LONG.set(out, pos, (long) (Long) v);
                        pos += 8;
                    }
                    case F32 -> {
                        INT.set(out, pos, Float.floatToRawIntBits((Float) v));
                        pos += 4;
                    }
                    case F64 -> {
                        LONG.set(out, pos, Double.doubleToRawLongBits((Double) v));
                        pos += 8;
                    }
                    case DEC64 -> {
                        LONG.set(out, pos, unscaledLong(col, (BigDecimal) v));
                        pos += 8;
                    }
                    case DEC_BIG -> {
                        byte[] b = bigUnscaled(col, (BigDecimal) v);
                        pos = writeVarint(out, pos, b.length);
                        System.arraycopy(b, 0, out, pos, b.length);
                        pos += b.length;
                    }
                    case STR -> {
                        String s = (String) v;
                        int len = utf8Lengths[col];
                        pos = writeVarint(out, pos, len);
                        if (len == s.length()) {
                            asciiCopy(s, out, pos);
                            pos += len;
                        } else {
                            pos = Utf8.encode(s, 0, s.length(), out, pos);
                        }
                    }
                    case DAY -> {
                        INT.set(out, pos, epochDay((LocalDate) v));
                        pos += 4;
                    }
                    case MICROS -> {
                        LONG.set(out, pos, Values.toEpochMicros((LocalDateTime) v));
                        pos += 8;
                    }
                    case BYTES -> {
                        byte[] b = (byte[]) v;
                        pos = writeVarint(out, pos, b.length);
                        System.arraycopy(b, 0, out, pos, b.length);
                        pos += b.length;
                    }
                    default -> throw new IllegalStateException();
                }
            }
            if (pos != size) {
                throw new IllegalStateException("row size " + size + " computed, " + pos + " written");
            }
            return out;
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("column " + col + " of type " + types[col]
                    + " got a non-canonical value of " + values[col].getClass().getName(), e);
        }
    }

    /** Decodes a row into a new array of {@link #columnCount()} values. */
    public Object[] decode(byte[] row) {
        Object[] values = new Object[types.length];
        decode(row, values);
        return values;
    }

    /** Decodes a row into {@code into[0, columnCount())}, reusing the caller's array. */
    public void decode(byte[] row, Object[] into) {
        Objects.requireNonNull(row, "row is null");
        Objects.requireNonNull(into, "into is null");
        if (into.length < types.length) {
            throw new IllegalArgumentException("need room for " + types.length + " values, got " + into.length);
        }
        Reader r = new Reader(row);
        int stored = readHeader(r);
        int bitmap = r.pos;
        r.pos += (stored + 7) >>> 3;
        for (int col = 0; col < stored; col++) {
            into[col] = isNull(row, bitmap, col) ? null : readValue(r, col);
        }
        Arrays.fill(into, stored, types.length, null);
        if (r.pos != row.length) {
            throw corrupt("%d bytes after the last column", row.length - r.pos);
        }
    }

    /** Decodes one column of a row, skipping over the ones before it without building them. */
    public Object decodeColumn(byte[] row, int column) {
        Objects.requireNonNull(row, "row is null");
        Objects.checkIndex(column, types.length);
        Reader r = new Reader(row);
        int stored = readHeader(r);
        if (column >= stored) {
            return null; // added after this row was written
        }
        int bitmap = r.pos;
        r.pos += (stored + 7) >>> 3;
        for (int col = 0; col < column; col++) {
            if (!isNull(row, bitmap, col)) {
                skipValue(r, col);
            }
        }
        return isNull(row, bitmap, column) ? null : readValue(r, column);
    }

    // ---------------------------------------------------------------- decoding

    /** Reads the column count and checks the null bitmap is there; returns the count. */
    private int readHeader(Reader r) {
        int stored = r.readVarint();
        if (stored > types.length) {
            throw corrupt("row has %d columns, the table only %d", stored, types.length);
        }
        int bitmapBytes = (stored + 7) >>> 3;
        r.require(bitmapBytes);
        // Unused high bits of the last bitmap byte are always written as zero.
        if ((stored & 7) != 0 && (r.buf[r.pos + bitmapBytes - 1] & 0xFF) >>> (stored & 7) != 0) {
            throw corrupt("null bitmap has bits set beyond column %d", stored);
        }
        return stored;
    }

    private static boolean isNull(byte[] row, int bitmap, int col) {
        return (row[bitmap + (col >>> 3)] & (1 << (col & 7))) != 0;
    }

    private Object readValue(Reader r, int col) {
        byte[] b = r.buf;
        int w = widths[col];
        if (w != 0) {
            r.require(w);
        }
        int p = r.pos;
        r.pos += w;
        switch (codes[col]) {
            case BOOL:
                if ((b[p] & 0xFE) != 0) {
                    throw corrupt("invalid BOOLEAN byte %d", b[p]);
                }
                return b[p] == 1;
            case I16:
                return (short) SHORT.get(b, p);
            case I32:
                return (int) INT.get(b, p);
            case I64:
                return (long) LONG.get(b, p);
            case F32:
                return Float.intBitsToFloat((int) INT.get(b, p));
            case F64:
                return Double.longBitsToDouble((long) LONG.get(b, p));
            case DEC64: {
                long unscaled = (long) LONG.get(b, p);
                DataType t = types[col];
                if (unscaled <= -POW10[t.precision()] || unscaled >= POW10[t.precision()]) {
                    throw corrupt("DECIMAL value has more than %d digits", t.precision());
                }
                return BigDecimal.valueOf(unscaled, t.scale());
            }
            case DEC_BIG: {
                int len = r.readLength();
                if (len == 0 || len > MAX_DECIMAL_BYTES) {
                    throw corrupt("invalid DECIMAL length %d", len);
                }
                BigInteger unscaled = new BigInteger(b, r.pos, len);
                r.pos += len;
                DataType t = types[col];
                BigDecimal v = new BigDecimal(unscaled, t.scale());
                if (v.precision() > t.precision()) {
                    throw corrupt("DECIMAL value has more than %d digits", t.precision());
                }
                return v;
            }
            case STR: {
                int len = r.readLength();
                String s = Utf8.decode(b, r.pos, len);
                r.pos += len;
                return s;
            }
            case DAY:
                return LocalDate.ofEpochDay((int) INT.get(b, p));
            case MICROS:
                return Values.fromEpochMicros((long) LONG.get(b, p));
            case BYTES: {
                int len = r.readLength();
                byte[] v = Arrays.copyOfRange(b, r.pos, r.pos + len);
                r.pos += len;
                return v;
            }
            default:
                throw new IllegalStateException();
        }
    }

    private void skipValue(Reader r, int col) {
        int w = widths[col];
        if (w == 0) {
            w = r.readLength();
        }
        r.require(w);
        r.pos += w;
    }

    /** A read position over one row; every read is bounds-checked so garbage cannot escape as an IOOBE. */
    private static final class Reader {
        final byte[] buf;
        int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        void require(int n) {
            if (n > buf.length - pos) {
                throw corrupt("row is truncated: %d bytes needed at offset %d of %d", n, pos, buf.length);
            }
        }

        /** Unsigned LEB128, at most 5 bytes, into a non-negative int. */
        int readVarint() {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (pos >= buf.length) {
                    throw corrupt("row is truncated inside a length");
                }
                int b = buf[pos++];
                v |= (b & 0x7F) << shift;
                if (b >= 0) {
                    if (v < 0 || (shift == 28 && (b & 0x70) != 0)) {
                        throw corrupt("length does not fit an int");
                    }
                    return v;
                }
            }
            throw corrupt("length is longer than 5 bytes");
        }

        /** A varint length that must fit in the rest of the row. */
        int readLength() {
            int len = readVarint();
            require(len);
            return len;
        }
    }

    // ---------------------------------------------------------------- decoding into Arrow vectors

    /**
     * Decodes columns {@code columns[i]} of {@code row} into {@code vectors.get(i)} at
     * {@code index}. Builds a {@link VectorDecoder} per call: decoding many rows, make one with
     * {@link #vectorDecoder} and reuse it.
     */
    public void decodeInto(byte[] row, int[] columns, List<? extends FieldVector> vectors, int index) {
        vectorDecoder(columns, vectors).decode(row, index);
    }

    /**
     * A decoder that writes columns {@code columns[i]} of this codec's rows into
     * {@code vectors.get(i)}, one row at a time, without building Java objects. Each vector must
     * be of the Arrow class its column's type maps to ({@link DataType#arrowType()}: BOOLEAN
     * {@code BitVector}, SMALLINT {@code SmallIntVector}, INTEGER {@code IntVector}, BIGINT
     * {@code BigIntVector}, REAL {@code Float4Vector}, DOUBLE {@code Float8Vector}, DECIMAL a
     * {@code DecimalVector} of the column's scale, VARCHAR {@code VarCharVector}, DATE
     * {@code DateDayVector}, TIMESTAMP {@code TimeStampMicroVector}, BYTEA
     * {@code VarBinaryVector}). A column may appear once.
     */
    public VectorDecoder vectorDecoder(int[] columns, List<? extends FieldVector> vectors) {
        return new VectorDecoder(this, columns, vectors);
    }

    /**
     * Decodes selected columns of encoded rows straight into Arrow vectors: fixed-width values are
     * copied from the row into the vector's data buffer, strings and byte strings as bytes (no
     * {@code String} is created), DECIMAL of precision ≤ 18 from its unscaled long and wider ones
     * from their two's-complement bytes. Columns after the last selected one are not looked at,
     * so a row is checked for corruption as far as it is read; VARCHAR bytes are copied as stored
     * (they were valid UTF-8 when encoded) without a second validation.
     *
     * <p>{@link #decode(byte[], int)} writes the row at {@code index} of every vector, growing a
     * vector whose capacity is too small. It neither sets the vectors' value counts (the caller
     * does, e.g. {@code VectorSchemaRoot.setRowCount}) nor clears them; a vector written at
     * increasing indexes after {@code reset()} is the intended use. Not thread-safe: one per
     * operator.
     */
    public static final class VectorDecoder {
        private final DataType[] types;
        private final byte[] codes;
        private final int[] widths;
        /** Per stored column up to {@link #lastColumn}: the index of its vector, or -1 if not selected. */
        private final int[] target;
        private final int lastColumn;
        /** By vector index: the fixed-width vector, or null for a variable-width one. */
        private final BaseFixedWidthVector[] fixed;
        /** By vector index: the variable-width vector, or null for a fixed-width one. */
        private final BaseVariableWidthVector[] variable;
        /** Per column, 10^precision as a 128-bit integer, for the digit check of wide DECIMALs. */
        private final long[] pow10Hi;
        private final long[] pow10Lo;

        private VectorDecoder(RowCodec codec, int[] columns, List<? extends FieldVector> vectors) {
            Objects.requireNonNull(columns, "columns is null");
            Objects.requireNonNull(vectors, "vectors is null");
            if (columns.length != vectors.size()) {
                throw new IllegalArgumentException(columns.length + " columns but " + vectors.size() + " vectors");
            }
            this.types = codec.types;
            this.codes = codec.codes;
            this.widths = codec.widths;
            int last = -1;
            for (int c : columns) {
                Objects.checkIndex(c, types.length);
                last = Math.max(last, c);
            }
            this.lastColumn = last;
            this.target = new int[last + 1];
            Arrays.fill(target, -1);
            this.fixed = new BaseFixedWidthVector[columns.length];
            this.variable = new BaseVariableWidthVector[columns.length];
            this.pow10Hi = new long[last + 1];
            this.pow10Lo = new long[last + 1];
            for (int i = 0; i < columns.length; i++) {
                int col = columns[i];
                if (target[col] >= 0) {
                    throw new IllegalArgumentException("column " + col + " is selected twice");
                }
                target[col] = i;
                FieldVector v = Objects.requireNonNull(vectors.get(i), "vector is null");
                DataType t = types[col];
                Class<? extends FieldVector> expected = switch (codes[col]) {
                    case BOOL -> BitVector.class;
                    case I16 -> SmallIntVector.class;
                    case I32 -> IntVector.class;
                    case I64 -> BigIntVector.class;
                    case F32 -> Float4Vector.class;
                    case F64 -> Float8Vector.class;
                    case DEC64, DEC_BIG -> DecimalVector.class;
                    case STR -> VarCharVector.class;
                    case DAY -> DateDayVector.class;
                    case MICROS -> TimeStampMicroVector.class;
                    case BYTES -> VarBinaryVector.class;
                    default -> throw new IllegalStateException();
                };
                if (v.getClass() != expected) {
                    throw new IllegalArgumentException("column " + col + " of type " + t + " needs a "
                            + expected.getSimpleName() + ", got a " + v.getClass().getSimpleName());
                }
                if (v instanceof DecimalVector d && (d.getScale() != t.scale() || d.getPrecision() < t.precision())) {
                    throw new IllegalArgumentException("column " + col + " of type " + t + " needs a DecimalVector of scale "
                            + t.scale() + " and precision ≥ " + t.precision() + ", got " + d.getField().getType());
                }
                if (v instanceof BaseFixedWidthVector f) {
                    fixed[i] = f;
                } else {
                    variable[i] = (BaseVariableWidthVector) v;
                }
                if (codes[col] == DEC_BIG) {
                    BigInteger p = BigInteger.TEN.pow(t.precision());
                    pow10Lo[col] = p.longValue();
                    pow10Hi[col] = p.shiftRight(64).longValue();
                }
            }
        }

        /** Writes the selected columns of {@code row} at {@code index} of their vectors. */
        public void decode(byte[] row, int index) {
            Objects.requireNonNull(row, "row is null");
            decode(row, 0, row.length, index);
        }

        /**
         * As {@link #decode(byte[], int)} for the row held in {@code buf[off, off + length)}: rows
         * packed in a larger buffer (a WAL record) decode without being copied out first.
         */
        public void decode(byte[] buf, int off, int length, int index) {
            Objects.requireNonNull(buf, "buf is null");
            Objects.checkFromIndexSize(off, length, buf.length);
            if (index < 0) {
                throw new IndexOutOfBoundsException("index " + index + " is negative");
            }
            byte[] row = buf;
            int end = off + length;
            long header = readVarint(row, off, end);
            int stored = (int) header;
            int pos = (int) (header >>> 32);
            if (stored > types.length) {
                throw corrupt("row has %d columns, the table only %d", stored, types.length);
            }
            int bitmap = pos;
            int bitmapBytes = (stored + 7) >>> 3;
            require(end, pos, bitmapBytes);
            if ((stored & 7) != 0 && (row[pos + bitmapBytes - 1] & 0xFF) >>> (stored & 7) != 0) {
                throw corrupt("null bitmap has bits set beyond column %d", stored);
            }
            pos += bitmapBytes;
            int last = Math.min(lastColumn, stored - 1);
            for (int col = 0; col <= last; col++) {
                int t = target[col];
                if ((row[bitmap + (col >>> 3)] & (1 << (col & 7))) != 0) {
                    if (t >= 0) {
                        setNull(t, index);
                    }
                    continue;
                }
                int w = widths[col];
                if (t < 0) {
                    if (w == 0) {
                        long l = readVarint(row, pos, end);
                        pos = (int) (l >>> 32);
                        w = (int) l;
                    }
                    require(end, pos, w);
                    pos += w;
                    continue;
                }
                if (w != 0) {
                    require(end, pos, w);
                    BaseFixedWidthVector v = fixed[t];
                    if (index >= v.getValueCapacity()) {
                        grow(v, index);
                    }
                    // index < capacity, so both buffers have room: write their memory directly
                    // (ArrowBuf's setters check bounds and liveness on every call).
                    long data = v.getDataBufferAddress();
                    switch (codes[col]) {
                        case BOOL -> {
                            byte b = row[pos];
                            if ((b & 0xFE) != 0) {
                                throw corrupt("invalid BOOLEAN byte %d", b);
                            }
                            setBit(data, index, b != 0);
                        }
                        case I16 -> MemoryUtil.putShort(data + ((long) index << 1), (short) SHORT.get(row, pos));
                        case I32, F32, DAY -> MemoryUtil.putInt(data + ((long) index << 2), (int) INT.get(row, pos));
                        case I64, F64, MICROS -> MemoryUtil.putLong(data + ((long) index << 3), (long) LONG.get(row, pos));
                        case DEC64 -> {
                            long unscaled = (long) LONG.get(row, pos);
                            int p = types[col].precision();
                            if (unscaled <= -POW10[p] || unscaled >= POW10[p]) {
                                throw corrupt("DECIMAL value has more than %d digits", p);
                            }
                            long at = data + ((long) index << 4);
                            MemoryUtil.putLong(at, unscaled);
                            MemoryUtil.putLong(at + 8, unscaled >> 63);
                        }
                        default -> throw new IllegalStateException();
                    }
                    setBit(v.getValidityBufferAddress(), index, true);
                    pos += w;
                    continue;
                }
                long l = readVarint(row, pos, end);
                pos = (int) (l >>> 32);
                int len = (int) l;
                require(end, pos, len);
                switch (codes[col]) {
                    case STR, BYTES -> writeBytes(variable[t], index, row, pos, len);
                    case DEC_BIG -> writeBigDecimal(row, pos, len, col, fixed[t], index);
                    default -> throw new IllegalStateException();
                }
                pos += len;
            }
            for (int col = stored; col <= lastColumn; col++) {
                int t = target[col];
                if (t >= 0) {
                    setNull(t, index); // column added after the row was written
                }
            }
        }

        private void setNull(int t, int index) {
            BaseFixedWidthVector f = fixed[t];
            if (f != null) {
                f.setNull(index);
                return;
            }
            BaseVariableWidthVector v = variable[t];
            if (v.getLastSet() == index - 1 && index < v.getValueCapacity()) {
                // Appending: an empty value keeps the offsets filled, so no hole is left to fill.
                long offsets = v.getOffsetBufferAddress();
                long at = offsets + ((long) index << 2);
                int start = index == 0 ? 0 : MemoryUtil.getInt(at);
                MemoryUtil.putInt(at, start);
                MemoryUtil.putInt(at + 4, start);
                setBit(v.getValidityBufferAddress(), index, false);
                v.setLastSet(index);
            } else {
                v.setNull(index);
            }
        }

        /**
         * Copies a string or byte string into a variable-width vector. Writing right after the
         * vector's last value with room to spare (the scan's case) goes straight to memory;
         * anything else takes Arrow's {@code setSafe}, which fills holes and grows buffers.
         */
        private static void writeBytes(BaseVariableWidthVector v, int index, byte[] row, int pos, int len) {
            if (v.getLastSet() == index - 1 && index < v.getValueCapacity()) {
                long at = v.getOffsetBufferAddress() + ((long) index << 2);
                int start = index == 0 ? 0 : MemoryUtil.getInt(at);
                long end = (long) start + len;
                if (end <= v.getDataBuffer().capacity()) {
                    MemoryUtil.copyToMemory(row, pos, v.getDataBufferAddress() + start, len);
                    if (index == 0) {
                        MemoryUtil.putInt(at, 0);
                    }
                    MemoryUtil.putInt(at + 4, (int) end);
                    setBit(v.getValidityBufferAddress(), index, true);
                    v.setLastSet(index);
                    return;
                }
            }
            v.setSafe(index, row, pos, len);
        }

        private static void grow(BaseFixedWidthVector v, int index) {
            while (index >= v.getValueCapacity()) {
                v.reAlloc();
            }
        }

        /** Big-endian two's complement of 1..16 bytes into the vector's little-endian 128-bit slot. */
        private void writeBigDecimal(byte[] row, int pos, int len, int col, BaseFixedWidthVector v, int index) {
            if (len == 0 || len > MAX_DECIMAL_BYTES) {
                throw corrupt("invalid DECIMAL length %d", len);
            }
            long hi = row[pos] < 0 ? -1L : 0L;
            long lo = hi;
            for (int i = pos; i < pos + len; i++) {
                hi = (hi << 8) | (lo >>> 56);
                lo = (lo << 8) | (row[i] & 0xFFL);
            }
            long absHi = hi;
            long absLo = lo;
            if (hi < 0) {
                absLo = -lo;
                absHi = ~hi + (lo == 0 ? 1 : 0);
            }
            int cmp = Long.compareUnsigned(absHi, pow10Hi[col]);
            if (cmp > 0 || (cmp == 0 && Long.compareUnsigned(absLo, pow10Lo[col]) >= 0)) {
                throw corrupt("DECIMAL value has more than %d digits", types[col].precision());
            }
            if (index >= v.getValueCapacity()) {
                grow(v, index);
            }
            long at = v.getDataBufferAddress() + ((long) index << 4);
            MemoryUtil.putLong(at, lo);
            MemoryUtil.putLong(at + 8, hi);
            setBit(v.getValidityBufferAddress(), index, true);
        }

        /** Sets or clears bit {@code index} of the bitmap at {@code address} (Arrow's LSB-first order). */
        private static void setBit(long address, int index, boolean value) {
            long at = address + (index >>> 3);
            byte b = MemoryUtil.getByte(at);
            int mask = 1 << (index & 7);
            MemoryUtil.putByte(at, (byte) (value ? b | mask : b & ~mask));
        }

        /** Checks that {@code n} bytes at {@code pos} lie before {@code end}, the end of the row. */
        private static void require(int end, int pos, int n) {
            if (n > end - pos) {
                throw corrupt("row is truncated: %d bytes needed at offset %d of %d", n, pos, end);
            }
        }

        /** Unsigned LEB128 at {@code pos}, at most 5 bytes, before {@code end}: the value in the low 32 bits, the position after it in the high. */
        private static long readVarint(byte[] buf, int pos, int end) {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (pos >= end) {
                    throw corrupt("row is truncated inside a length");
                }
                int b = buf[pos++];
                v |= (b & 0x7F) << shift;
                if (b >= 0) {
                    if (v < 0 || (shift == 28 && (b & 0x70) != 0)) {
                        throw corrupt("length does not fit an int");
                    }
                    return ((long) pos << 32) | v;
                }
            }
            throw corrupt("length is longer than 5 bytes");
        }
    }

    // ---------------------------------------------------------------- encoding helpers

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private BigDecimal atScale(int col, BigDecimal v) {
        int s = types[col].scale();
        if (v.scale() == s) {
            return v;
        }
        try {
            return v.setScale(s, RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("column " + col + " of type " + types[col]
                    + " got non-canonical DECIMAL " + v + "; use Values.coerce", e);
        }
    }

    private long unscaledLong(int col, BigDecimal v) {
        BigDecimal d = atScale(col, v);
        if (d.precision() > types[col].precision()) {
            throw new IllegalArgumentException("column " + col + " of type " + types[col] + " got " + v
                    + ", which has too many digits; use Values.coerce");
        }
        // At most 18 digits, so the value is held as a long: moving the point by the scale reads
        // it out without making the BigInteger that unscaledValue() would.
        return d.movePointRight(d.scale()).longValue();
    }

    private int bigUnscaledLength(int col, BigDecimal v) {
        BigDecimal d = atScale(col, v);
        if (d.precision() > types[col].precision()) {
            throw new IllegalArgumentException("column " + col + " of type " + types[col] + " got " + v
                    + ", which has too many digits; use Values.coerce");
        }
        return d.unscaledValue().bitLength() / 8 + 1; // what BigInteger.toByteArray returns
    }

    private byte[] bigUnscaled(int col, BigDecimal v) {
        return atScale(col, v).unscaledValue().toByteArray();
    }

    private static int epochDay(LocalDate d) {
        long day = d.toEpochDay();
        if (day != (int) day) {
            throw DuetException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "date %s is out of range", d);
        }
        return (int) day;
    }

    @SuppressWarnings("deprecation")
    private static void asciiCopy(String s, byte[] out, int pos) {
        // Every char is below 0x80, so the low byte of each is its UTF-8 encoding; for the
        // compact Latin-1 strings the JDK keeps this is a plain array copy.
        s.getBytes(0, s.length(), out, pos);
    }

    static int varintSize(int v) {
        return v < (1 << 7) ? 1 : v < (1 << 14) ? 2 : v < (1 << 21) ? 3 : v < (1 << 28) ? 4 : 5;
    }

    private static int writeVarint(byte[] out, int pos, int v) {
        while ((v & ~0x7F) != 0) {
            out[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[pos++] = (byte) v;
        return pos;
    }

    private static DuetException corrupt(String format, Object... args) {
        return DuetException.of(SqlState.DATA_CORRUPTED, "corrupted row: " + format, args);
    }
}
