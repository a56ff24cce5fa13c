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
import java.util.Objects;

/**
 * The order-preserving ("memcomparable") encoding of primary keys: for two keys of one table,
 * {@link Arrays#compareUnsigned(byte[], byte[])} of their encodings orders exactly as
 * {@link Values#compare} of their columns, first column first, so the row store can keep keys in
 * any sorted byte map and scan ranges and prefixes. Fixed-width columns are big-endian with the
 * sign bit flipped (REAL/DOUBLE with the IEEE trick: -0.0 stored as 0.0 and every NaN as one NaN
 * above +Infinity); DECIMAL is its unscaled value in 8 bytes up to precision 18 and 16 beyond;
 * VARCHAR (UTF-8) and BYTEA escape 0x00 as 0x00 0xFF and end with 0x00 0x01, so a value sorts
 * before its extensions and every column encoding is self-delimiting — the encoding of the first
 * columns is a byte prefix of the whole key's ({@link #encodePrefix}). Tables without a primary
 * key use {@link #encodeRowId}. Instances are immutable and thread-safe.
 */
public final class KeyCodec {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static final byte BOOL = 0;
    private static final byte I16 = 1;
    private static final byte I32 = 2;
    private static final byte I64 = 3;
    private static final byte F32 = 4;
    private static final byte F64 = 5;
    private static final byte DEC64 = 6;
    private static final byte DEC128 = 7;
    private static final byte STR = 8;
    private static final byte DAY = 9;
    private static final byte MICROS = 10;
    private static final byte BYTES = 11;

    private static final byte ESCAPE = 0x00;
    private static final byte ESCAPED_ZERO = (byte) 0xFF;
    private static final byte TERMINATOR = 0x01;

    private static final int CANONICAL_FLOAT_NAN = Float.floatToIntBits(Float.NaN);
    private static final long CANONICAL_DOUBLE_NAN = Double.doubleToLongBits(Double.NaN);

    private static final BigInteger[] POW10 = new BigInteger[DataType.MAX_DECIMAL_PRECISION + 1];

    static {
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = BigInteger.TEN.pow(i);
        }
    }

    private final DataType[] types;
    private final byte[] codes;
    /** Fixed byte width per column, 0 for the escaped variable-width ones. */
    private final int[] widths;

    public KeyCodec(DataType[] keyTypes) {
        Objects.requireNonNull(keyTypes, "keyTypes is null");
        this.types = keyTypes.clone();
        this.codes = new byte[types.length];
        this.widths = new int[types.length];
        for (int i = 0; i < types.length; i++) {
            DataType t = Objects.requireNonNull(types[i], "key type is null");
            byte code = switch (t.kind()) {
                case BOOLEAN -> BOOL;
                case SMALLINT -> I16;
                case INTEGER -> I32;
                case BIGINT -> I64;
                case REAL -> F32;
                case DOUBLE -> F64;
                case DECIMAL -> t.precision() <= 18 ? DEC64 : DEC128;
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
                case DEC128 -> 16;
                default -> 0;
            };
        }
    }

    /** Number of key columns. */
    public int columnCount() {
        return types.length;
    }

    /** Encodes a full key: exactly one non-null canonical value per key column. */
    public byte[] encode(Object[] keyValues) {
        Objects.requireNonNull(keyValues, "keyValues is null");
        if (keyValues.length != types.length) {
            throw new IllegalArgumentException("expected " + types.length + " key values, got " + keyValues.length);
        }
        return encode(keyValues, types.length);
    }

    /**
     * Encodes the first {@code count} key columns ({@code 0 ≤ count ≤ columnCount()}): a byte
     * prefix of the encoding of every full key that starts with those values, so
     * {@code [prefix, prefixEnd(prefix))} is the range of keys to scan.
     */
    public byte[] encodePrefix(Object[] values, int count) {
        Objects.requireNonNull(values, "values is null");
        if (count < 0 || count > types.length || count > values.length) {
            throw new IllegalArgumentException("prefix of " + count + " columns, key has " + types.length
                    + ", values " + values.length);
        }
        return encode(values, count);
    }

    private byte[] encode(Object[] values, int count) {
        int col = 0;
        try {
            int size = 0;
            for (; col < count; col++) {
                Object v = values[col];
                if (v == null) {
                    throw DuetException.of(SqlState.NULL_VALUE_NOT_ALLOWED, "key column %d must not be null", col + 1);
                }
                int w = widths[col];
                if (w != 0) {
                    size += w;
                } else if (codes[col] == STR) {
                    String s = (String) v;
                    size += Utf8.encodedLength(s, 0, s.length()) + countZeros(s) + 2;
                } else {
                    byte[] b = (byte[]) v;
                    size += b.length + countZeros(b) + 2;
                }
            }

            byte[] out = new byte[size];
            int pos = 0;
            for (col = 0; col < count; col++) {
                Object v = values[col];
                switch (codes[col]) {
                    case BOOL -> out[pos++] = (Boolean) v ? (byte) 1 : (byte) 0;
                    case I16 -> {
                        SHORT.set(out, pos, (short) ((Short) v ^ Short.MIN_VALUE));
                        pos += 2;
                    }
                    case I32 -> {
                        INT.set(out, pos, (Integer) v ^ Integer.MIN_VALUE);
                        pos += 4;
                    }
                    case I64 -> {
                        LONG.set(out, pos, (Long) v ^ Long.MIN_VALUE);
                        pos += 8;
                    }
                    case F32 -> {
                        INT.set(out, pos, floatKey((Float) v));
                        pos += 4;
                    }
                    case F64 -> {
                        LONG.set(out, pos, doubleKey((Double) v));
                        pos += 8;
                    }
                    case DEC64 -> {
                        LONG.set(out, pos, unscaled(col, (BigDecimal) v).longValue() ^ Long.MIN_VALUE);
                        pos += 8;
                    }
                    case DEC128 -> {
                        BigInteger u = unscaled(col, (BigDecimal) v);
                        long lo = u.longValue();
                        long hi = u.shiftRight(64).longValue();
                        LONG.set(out, pos, hi ^ Long.MIN_VALUE);
                        LONG.set(out, pos + 8, lo);
                        pos += 16;
                    }
                    case STR -> pos = writeString((String) v, out, pos);
                    case DAY -> {
                        long day = ((LocalDate) v).toEpochDay();
                        if (day != (int) day) {
                            throw DuetException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "date %s is out of range", v);
                        }
                        INT.set(out, pos, (int) day ^ Integer.MIN_VALUE);
                        pos += 4;
                    }
                    case MICROS -> {
                        LONG.set(out, pos, Values.toEpochMicros((LocalDateTime) v) ^ Long.MIN_VALUE);
                        pos += 8;
                    }
                    case BYTES -> pos = writeBytes((byte[]) v, out, pos);
                    default -> throw new IllegalStateException();
                }
            }
            if (pos != size) {
                throw new IllegalStateException("key size " + size + " computed, " + pos + " written");
            }
            return out;
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("key column " + (col + 1) + " of type " + types[col]
                    + " got a non-canonical value of " + values[col].getClass().getName(), e);
        }
    }

    /** Decodes a full key written by {@link #encode}. */
    public Object[] decode(byte[] key) {
        Objects.requireNonNull(key, "key is null");
        Object[] values = new Object[types.length];
        int pos = 0;
        for (int col = 0; col < types.length; col++) {
            int w = widths[col];
            if (w != 0 && w > key.length - pos) {
                throw corrupt("truncated in column %d", col + 1);
            }
            switch (codes[col]) {
                case BOOL -> {
                    byte b = key[pos];
                    if ((b & 0xFE) != 0) {
                        throw corrupt("invalid BOOLEAN byte %d", b);
                    }
                    values[col] = b == 1;
                }
                case I16 -> values[col] = (short) ((short) SHORT.get(key, pos) ^ Short.MIN_VALUE);
                case I32 -> values[col] = (int) INT.get(key, pos) ^ Integer.MIN_VALUE;
                case I64 -> values[col] = (long) LONG.get(key, pos) ^ Long.MIN_VALUE;
                case F32 -> values[col] = floatFromKey((int) INT.get(key, pos));
                case F64 -> values[col] = doubleFromKey((long) LONG.get(key, pos));
                case DEC64 -> {
                    long u = (long) LONG.get(key, pos) ^ Long.MIN_VALUE;
                    values[col] = checkDigits(col, BigDecimal.valueOf(u, types[col].scale()));
                }
                case DEC128 -> {
                    long hi = (long) LONG.get(key, pos) ^ Long.MIN_VALUE;
                    long lo = (long) LONG.get(key, pos + 8);
                    BigDecimal d;
                    if (hi == lo >> 63) {
                        d = BigDecimal.valueOf(lo, types[col].scale());
                    } else {
                        byte[] twos = new byte[16];
                        LONG.set(twos, 0, hi);
                        LONG.set(twos, 8, lo);
                        d = new BigDecimal(new BigInteger(twos), types[col].scale());
                    }
                    values[col] = checkDigits(col, d);
                }
                case STR -> {
                    int end = terminator(key, pos);
                    byte[] raw = unescape(key, pos, end);
                    values[col] = raw == null ? Utf8.decode(key, pos, end - pos) : Utf8.decode(raw, 0, raw.length);
                    w = end + 2 - pos;
                }
                case DAY -> values[col] = LocalDate.ofEpochDay((int) INT.get(key, pos) ^ Integer.MIN_VALUE);
                case MICROS -> values[col] = Values.fromEpochMicros((long) LONG.get(key, pos) ^ Long.MIN_VALUE);
                case BYTES -> {
                    int end = terminator(key, pos);
                    byte[] raw = unescape(key, pos, end);
                    values[col] = raw == null ? Arrays.copyOfRange(key, pos, end) : raw;
                    w = end + 2 - pos;
                }
                default -> throw new IllegalStateException();
            }
            pos += w;
        }
        if (pos != key.length) {
            throw corrupt("%d bytes after the last column", key.length - pos);
        }
        return values;
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix}: the prefix
     * with its last non-0xFF byte incremented and the rest dropped. Null when there is none (an
     * empty or all-0xFF prefix), meaning the range is unbounded above.
     */
    public static byte[] prefixEnd(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix is null");
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    /** The key of a row of a table without a primary key: 8 bytes, ordered like the signed row id. */
    public static byte[] encodeRowId(long rowId) {
        byte[] key = new byte[8];
        LONG.set(key, 0, rowId ^ Long.MIN_VALUE);
        return key;
    }

    /** The inverse of {@link #encodeRowId}. */
    public static long decodeRowId(byte[] key) {
        Objects.requireNonNull(key, "key is null");
        if (key.length != 8) {
            throw corrupt("row id key has %d bytes, not 8", key.length);
        }
        return (long) LONG.get(key, 0) ^ Long.MIN_VALUE;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * IEEE bits turned into an unsigned-comparable int: positives get the sign bit set (above all
     * negatives), negatives are inverted (larger magnitude sorts lower). -0.0 becomes 0.0 and NaN
     * the one canonical positive NaN, which lands above +Infinity.
     */
    private static int floatKey(float f) {
        int bits = Float.floatToIntBits(f == 0.0f ? 0.0f : f);
        return bits >= 0 ? bits ^ Integer.MIN_VALUE : ~bits;
    }

    private static long doubleKey(double d) {
        long bits = Double.doubleToLongBits(d == 0.0 ? 0.0 : d);
        return bits >= 0 ? bits ^ Long.MIN_VALUE : ~bits;
    }

    private static Float floatFromKey(int k) {
        int bits = k < 0 ? k ^ Integer.MIN_VALUE : ~k;
        float f = Float.intBitsToFloat(bits);
        if (bits == 0x80000000 || (Float.isNaN(f) && bits != CANONICAL_FLOAT_NAN)) {
            throw corrupt("REAL bits %08x are never written", bits);
        }
        return f;
    }

    private static Double doubleFromKey(long k) {
        long bits = k < 0 ? k ^ Long.MIN_VALUE : ~k;
        double d = Double.longBitsToDouble(bits);
        if (bits == Long.MIN_VALUE || (Double.isNaN(d) && bits != CANONICAL_DOUBLE_NAN)) {
            throw corrupt("DOUBLE bits %016x are never written", bits);
        }
        return d;
    }

    /** The unscaled value at the column's scale; all keys of a column share it, so these order like the values. */
    private BigInteger unscaled(int col, BigDecimal v) {
        DataType t = types[col];
        BigDecimal d = v;
        if (d.scale() != t.scale()) {
            try {
                d = d.setScale(t.scale(), RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("key column " + (col + 1) + " of type " + t
                        + " got non-canonical DECIMAL " + v + "; use Values.coerce", e);
            }
        }
        if (d.precision() > t.precision()) {
            throw new IllegalArgumentException("key column " + (col + 1) + " of type " + t + " got " + v
                    + ", which has too many digits; use Values.coerce");
        }
        return d.unscaledValue();
    }

    private BigDecimal checkDigits(int col, BigDecimal d) {
        if (d.unscaledValue().abs().compareTo(POW10[types[col].precision()]) >= 0) {
            throw corrupt("DECIMAL in column %d has more than %d digits", col + 1, types[col].precision());
        }
        return d;
    }

    private static int countZeros(String s) {
        int n = 0;
        for (int i = s.indexOf('\0'); i >= 0; i = s.indexOf('\0', i + 1)) {
            n++;
        }
        return n;
    }

    private static int countZeros(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x == 0) {
                n++;
            }
        }
        return n;
    }

    private static int writeString(String s, byte[] out, int pos) {
        int from = 0;
        // U+0000 is the only char whose UTF-8 contains a 0x00 byte, so escaping per char suffices.
        for (int z = s.indexOf('\0'); z >= 0; z = s.indexOf('\0', from)) {
            pos = Utf8.encode(s, from, z, out, pos);
            out[pos++] = ESCAPE;
            out[pos++] = ESCAPED_ZERO;
            from = z + 1;
        }
        pos = Utf8.encode(s, from, s.length(), out, pos);
        out[pos++] = ESCAPE;
        out[pos++] = TERMINATOR;
        return pos;
    }

    private static int writeBytes(byte[] b, byte[] out, int pos) {
        for (byte x : b) {
            out[pos++] = x;
            if (x == 0) {
                out[pos++] = ESCAPED_ZERO;
            }
        }
        out[pos++] = ESCAPE;
        out[pos++] = TERMINATOR;
        return pos;
    }

    /** Position of the 0x00 0x01 ending the escaped value that starts at {@code pos}. */
    private static int terminator(byte[] key, int pos) {
        for (int i = pos; i < key.length; i++) {
            if (key[i] == ESCAPE) {
                if (i + 1 >= key.length) {
                    break;
                }
                byte next = key[i + 1];
                if (next == TERMINATOR) {
                    return i;
                }
                if (next != ESCAPED_ZERO) {
                    throw corrupt("invalid escape 0x00 0x%02x at offset %d", next, i);
                }
                i++;
            }
        }
        throw corrupt("unterminated string or BYTEA value at offset %d", pos);
    }

    /** The unescaped bytes of {@code key[pos, end)}, or null when it holds no escapes (use it in place). */
    private static byte[] unescape(byte[] key, int pos, int end) {
        int zeros = 0;
        for (int i = pos; i < end; i++) {
            if (key[i] == ESCAPE) {
                zeros++;
                i++;
            }
        }
        if (zeros == 0) {
            return null;
        }
        byte[] raw = new byte[end - pos - zeros];
        int n = 0;
        for (int i = pos; i < end; i++) {
            raw[n++] = key[i];
            if (key[i] == ESCAPE) {
                i++;
            }
        }
        return raw;
    }

    private static DuetException corrupt(String format, Object... args) {
        return DuetException.of(SqlState.DATA_CORRUPTED, "corrupted key: " + format, args);
    }
}
