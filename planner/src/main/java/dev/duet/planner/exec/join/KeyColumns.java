package dev.duet.planner.exec.join;

import dev.duet.core.types.DataType;
import java.util.List;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * The key columns of a join, or all columns of a set operation, handled a batch at a time on the
 * vectors' buffers: {@link #encode} turns each row's key into one long, and {@link #compare}
 * checks pairs of rows for equal keys column by column.
 *
 * <p>When the key values fit 64 bits together (one BIGINT, two INTEGERs, a DATE and a SMALLINT,
 * ...) the long is the key itself, packed: equal longs mean equal keys and no comparison is
 * needed ({@link #packed()}). Otherwise the long is a 64-bit hash and equal hashes still need
 * {@link #compare}.
 *
 * <p>Equality is SQL's: REAL and DOUBLE are normalized first so that -0.0 equals 0.0 and NaN
 * equals NaN (as in PostgreSQL and DuckDB); strings and byte strings compare by bytes; DECIMALs by
 * unscaled value (the sides have the same scale). For a join a NULL in any key column means the
 * row matches nothing ({@link #encode} flags it); for a set operation NULL equals NULL.
 */
final class KeyColumns {
    /** How a key column is stored, and how many bits its value takes when packed. */
    enum Storage {
        BIT(1), I16(16), I32(32), F32(32), I64(64), F64(64),
        /** DECIMAL of at most 18 digits: the low word of the 128-bit slot is the whole value. */
        DEC64(64),
        DEC128(0), BYTES(0);

        final int bits;

        Storage(int bits) {
            this.bits = bits;
        }
    }

    /** Rows encoded per pass, so that scratch space stays small whatever the batch size. */
    private static final int CHUNK = 1024;
    /** What a NULL contributes to a set operation's row hash. */
    private static final long NULL_VALUE = 0x5bd1e9955bd1e995L;

    private final Storage[] storage;
    private final boolean packed;
    private final boolean nullsEqual;
    private final long[] scratch = new long[CHUNK];
    /** Per key column, during {@link #encode}: whether its vector holds no NULL (then its bitmap is not read). */
    private final boolean[] allValid;

    private KeyColumns(Storage[] storage, boolean nullsEqual) {
        this.storage = storage;
        this.nullsEqual = nullsEqual;
        this.allValid = new boolean[storage.length];
        int bits = 0;
        boolean packable = !nullsEqual;
        for (Storage s : storage) {
            packable &= s.bits > 0;
            bits += s.bits;
        }
        this.packed = packable && bits <= 64;
    }

    /**
     * Keys of a join: {@code left.get(i)} is compared with {@code right.get(i)}. The types of a
     * pair must be of one kind (and DECIMALs of one scale): the planner casts otherwise.
     */
    static KeyColumns forJoin(List<DataType> left, List<DataType> right) {
        if (left.size() != right.size() || left.isEmpty()) {
            throw new IllegalArgumentException("join keys must pair up: " + left + " and " + right);
        }
        Storage[] storage = new Storage[left.size()];
        for (int i = 0; i < storage.length; i++) {
            DataType l = left.get(i);
            DataType r = right.get(i);
            if (l.kind() != r.kind() || l.scale() != r.scale()) {
                throw new IllegalArgumentException("join key " + i + " compares " + l + " with " + r
                        + ": the planner must cast the keys to one type");
            }
            storage[i] = storageOf(l, Math.max(l.precision(), r.precision()));
        }
        return new KeyColumns(storage, false);
    }

    /** All columns of a set operation's rows, NULL equal to NULL. */
    static KeyColumns forSetOperation(List<DataType> types) {
        Storage[] storage = new Storage[types.size()];
        for (int i = 0; i < storage.length; i++) {
            storage[i] = storageOf(types.get(i), types.get(i).precision());
        }
        return new KeyColumns(storage, true);
    }

    private static Storage storageOf(DataType type, int precision) {
        return switch (type.kind()) {
            case BOOLEAN -> Storage.BIT;
            case SMALLINT -> Storage.I16;
            case INTEGER, DATE -> Storage.I32;
            case REAL -> Storage.F32;
            case BIGINT, TIMESTAMP -> Storage.I64;
            case DOUBLE -> Storage.F64;
            case DECIMAL -> precision <= 18 ? Storage.DEC64 : Storage.DEC128;
            case VARCHAR, BYTEA -> Storage.BYTES;
        };
    }

    /** True if {@link #encode} gives the keys themselves: equal longs are equal keys. */
    boolean packed() {
        return packed;
    }

    int columnCount() {
        return storage.length;
    }

    /**
     * Writes the key of row {@code i} of {@code vectors} (one per key column) to {@code out[i]}
     * for {@code i < count}: the packed key or a hash. For a join, {@code nulls[i]} is set to
     * whether the row has a NULL key (such a row matches nothing; its {@code out} value is
     * meaningless); for a set operation {@code nulls} may be null.
     */
    void encode(FieldVector[] vectors, int count, long[] out, boolean[] nulls) {
        for (int c = 0; c < storage.length; c++) {
            allValid[c] = vectors[c].getValueCount() >= count && vectors[c].getNullCount() == 0;
        }
        for (int start = 0; start < count; start += CHUNK) {
            encodeChunk(vectors, start, Math.min(CHUNK, count - start), out, nulls);
        }
    }

    private void encodeChunk(FieldVector[] vectors, int start, int n, long[] out, boolean[] nulls) {
        long[] values = scratch;
        if (!nullsEqual) {
            java.util.Arrays.fill(nulls, start, start + n, false);
        }
        for (int c = 0; c < storage.length; c++) {
            FieldVector v = vectors[c];
            readValues(storage[c], v, start, n, values);
            long validity = v.getValidityBufferAddress();
            if (allValid[c]) {
                // nothing to flag
            } else if (nullsEqual) {
                for (int i = 0; i < n; i++) {
                    if (!VectorGather.bit(validity, start + i)) {
                        values[i] = NULL_VALUE;
                    }
                }
            } else {
                for (int i = 0; i < n; i++) {
                    if (!VectorGather.bit(validity, start + i)) {
                        nulls[start + i] = true;
                    }
                }
            }
            if (packed) {
                int bits = storage[c].bits;
                long mask = bits == 64 ? -1L : (1L << bits) - 1;
                if (c == 0) {
                    for (int i = 0; i < n; i++) {
                        out[start + i] = values[i] & mask;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[start + i] = (out[start + i] << bits) | (values[i] & mask);
                    }
                }
            } else if (c == 0) {
                for (int i = 0; i < n; i++) {
                    out[start + i] = mix(values[i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out[start + i] = Long.rotateLeft(out[start + i], 27) * 0x9E3779B97F4A7C15L + mix(values[i]);
                }
            }
        }
    }

    /**
     * Rows {@code [start, start + n)} of {@code v} as longs: fixed-width values normalized (floats),
     * wider ones (DECIMAL(38), strings) as a hash of their bytes. NULL rows give garbage.
     */
    private static void readValues(Storage s, FieldVector v, int start, int n, long[] values) {
        switch (s) {
            case BIT -> {
                long data = ((BaseFixedWidthVector) v).getDataBufferAddress();
                for (int i = 0; i < n; i++) {
                    values[i] = VectorGather.bit(data, start + i) ? 1 : 0;
                }
            }
            case I16 -> {
                long data = ((BaseFixedWidthVector) v).getDataBufferAddress() + ((long) start << 1);
                for (int i = 0; i < n; i++) {
                    values[i] = MemoryUtil.getShort(data + ((long) i << 1));
                }
            }
            case I32 -> {
                long data = ((BaseFixedWidthVector) v).getDataBufferAddress() + ((long) start << 2);
                for (int i = 0; i < n; i++) {
                    values[i] = MemoryUtil.getInt(data + ((long) i << 2));
                }
            }
            case F32 -> {
                long data = ((BaseFixedWidthVector) v).getDataBufferAddress() + ((long) start << 2);
                for (int i = 0; i < n; i++) {
                    values[i] = normalizeFloat(MemoryUtil.getInt(data + ((long) i << 2)));
                }
            }
            case I64 -> {
                long data = ((BaseFixedWidthVector) v).getDataBufferAddress() + ((long) start << 3);
                for (int i = 0; i < n; i++) {
                    values[i] = MemoryUtil.getLong(data + ((long) i << 3));
                }
            }
            case F64 -> {
                long data = ((BaseFixedWidthVector) v).getDataBufferAddress() + ((long) start << 3);
                for (int i = 0; i < n; i++) {
                    values[i] = normalizeDouble(MemoryUtil.getLong(data + ((long) i << 3)));
                }
            }
            case DEC64 -> {
                long data = ((BaseFixedWidthVector) v).getDataBufferAddress() + ((long) start << 4);
                for (int i = 0; i < n; i++) {
                    values[i] = MemoryUtil.getLong(data + ((long) i << 4));
                }
            }
            case DEC128 -> {
                long data = ((BaseFixedWidthVector) v).getDataBufferAddress() + ((long) start << 4);
                for (int i = 0; i < n; i++) {
                    long at = data + ((long) i << 4);
                    values[i] = MemoryUtil.getLong(at) ^ mix(MemoryUtil.getLong(at + 8));
                }
            }
            case BYTES -> {
                BaseVariableWidthVector b = (BaseVariableWidthVector) v;
                long offsets = b.getOffsetBufferAddress() + ((long) start << 2);
                long data = b.getDataBufferAddress();
                for (int i = 0; i < n; i++) {
                    long o = offsets + ((long) i << 2);
                    int from = MemoryUtil.getInt(o);
                    values[i] = hashBytes(data + from, MemoryUtil.getInt(o + 4) - from);
                }
            }
        }
    }

    /**
     * For {@code i < count}, whether row {@code rowsA[i]} of {@code a} and row {@code rowsB[i]} of
     * {@code b} (one vector per key column each) have equal keys; returns how many do.
     */
    int compare(FieldVector[] a, int[] rowsA, FieldVector[] b, int[] rowsB, int count, boolean[] equal) {
        java.util.Arrays.fill(equal, 0, count, true);
        int remaining = count;
        for (int c = 0; c < storage.length && remaining > 0; c++) {
            long av = a[c].getValidityBufferAddress();
            long bv = b[c].getValidityBufferAddress();
            for (int i = 0; i < count; i++) {
                if (equal[i]) {
                    boolean an = !VectorGather.bit(av, rowsA[i]);
                    boolean bn = !VectorGather.bit(bv, rowsB[i]);
                    if (an | bn) {
                        // Set operations: NULL equals NULL. Joins never get here with a NULL key.
                        if (!(nullsEqual && an && bn)) {
                            equal[i] = false;
                            remaining--;
                        }
                    }
                }
            }
            remaining -= compareValues(storage[c], a[c], rowsA, b[c], rowsB, count, equal, av, bv);
        }
        return remaining;
    }

    /** Clears {@code equal[i]} where the (non-null) values differ; returns how many it cleared. */
    private static int compareValues(Storage s, FieldVector a, int[] rowsA, FieldVector b, int[] rowsB, int count,
            boolean[] equal, long aValidity, long bValidity) {
        int cleared = 0;
        switch (s) {
            case BIT -> {
                long ad = ((BaseFixedWidthVector) a).getDataBufferAddress();
                long bd = ((BaseFixedWidthVector) b).getDataBufferAddress();
                for (int i = 0; i < count; i++) {
                    if (equal[i] && VectorGather.bit(aValidity, rowsA[i])
                            && VectorGather.bit(ad, rowsA[i]) != VectorGather.bit(bd, rowsB[i])) {
                        equal[i] = false;
                        cleared++;
                    }
                }
            }
            case I16 -> {
                long ad = ((BaseFixedWidthVector) a).getDataBufferAddress();
                long bd = ((BaseFixedWidthVector) b).getDataBufferAddress();
                for (int i = 0; i < count; i++) {
                    if (equal[i] && VectorGather.bit(aValidity, rowsA[i])
                            && MemoryUtil.getShort(ad + ((long) rowsA[i] << 1)) != MemoryUtil.getShort(bd + ((long) rowsB[i] << 1))) {
                        equal[i] = false;
                        cleared++;
                    }
                }
            }
            case I32 -> {
                long ad = ((BaseFixedWidthVector) a).getDataBufferAddress();
                long bd = ((BaseFixedWidthVector) b).getDataBufferAddress();
                for (int i = 0; i < count; i++) {
                    if (equal[i] && VectorGather.bit(aValidity, rowsA[i])
                            && MemoryUtil.getInt(ad + ((long) rowsA[i] << 2)) != MemoryUtil.getInt(bd + ((long) rowsB[i] << 2))) {
                        equal[i] = false;
                        cleared++;
                    }
                }
            }
            case F32 -> {
                long ad = ((BaseFixedWidthVector) a).getDataBufferAddress();
                long bd = ((BaseFixedWidthVector) b).getDataBufferAddress();
                for (int i = 0; i < count; i++) {
                    if (equal[i] && VectorGather.bit(aValidity, rowsA[i])
                            && normalizeFloat(MemoryUtil.getInt(ad + ((long) rowsA[i] << 2)))
                                    != normalizeFloat(MemoryUtil.getInt(bd + ((long) rowsB[i] << 2)))) {
                        equal[i] = false;
                        cleared++;
                    }
                }
            }
            case I64 -> {
                long ad = ((BaseFixedWidthVector) a).getDataBufferAddress();
                long bd = ((BaseFixedWidthVector) b).getDataBufferAddress();
                for (int i = 0; i < count; i++) {
                    if (equal[i] && VectorGather.bit(aValidity, rowsA[i])
                            && MemoryUtil.getLong(ad + ((long) rowsA[i] << 3)) != MemoryUtil.getLong(bd + ((long) rowsB[i] << 3))) {
                        equal[i] = false;
                        cleared++;
                    }
                }
            }
            case F64 -> {
                long ad = ((BaseFixedWidthVector) a).getDataBufferAddress();
                long bd = ((BaseFixedWidthVector) b).getDataBufferAddress();
                for (int i = 0; i < count; i++) {
                    if (equal[i] && VectorGather.bit(aValidity, rowsA[i])
                            && normalizeDouble(MemoryUtil.getLong(ad + ((long) rowsA[i] << 3)))
                                    != normalizeDouble(MemoryUtil.getLong(bd + ((long) rowsB[i] << 3)))) {
                        equal[i] = false;
                        cleared++;
                    }
                }
            }
            case DEC64, DEC128 -> {
                long ad = ((BaseFixedWidthVector) a).getDataBufferAddress();
                long bd = ((BaseFixedWidthVector) b).getDataBufferAddress();
                for (int i = 0; i < count; i++) {
                    if (equal[i] && VectorGather.bit(aValidity, rowsA[i])) {
                        long x = ad + ((long) rowsA[i] << 4);
                        long y = bd + ((long) rowsB[i] << 4);
                        if (MemoryUtil.getLong(x) != MemoryUtil.getLong(y) || MemoryUtil.getLong(x + 8) != MemoryUtil.getLong(y + 8)) {
                            equal[i] = false;
                            cleared++;
                        }
                    }
                }
            }
            case BYTES -> {
                BaseVariableWidthVector av = (BaseVariableWidthVector) a;
                BaseVariableWidthVector bv = (BaseVariableWidthVector) b;
                long ao = av.getOffsetBufferAddress();
                long bo = bv.getOffsetBufferAddress();
                long ad = av.getDataBufferAddress();
                long bd = bv.getDataBufferAddress();
                for (int i = 0; i < count; i++) {
                    if (equal[i] && VectorGather.bit(aValidity, rowsA[i])) {
                        long x = ao + ((long) rowsA[i] << 2);
                        long y = bo + ((long) rowsB[i] << 2);
                        int xs = MemoryUtil.getInt(x);
                        int ys = MemoryUtil.getInt(y);
                        int len = MemoryUtil.getInt(x + 4) - xs;
                        if (len != MemoryUtil.getInt(y + 4) - ys || !bytesEqual(ad + xs, bd + ys, len)) {
                            equal[i] = false;
                            cleared++;
                        }
                    }
                }
            }
        }
        return cleared;
    }

    // ---------------------------------------------------------------- hashing

    /** MurmurHash3's 64-bit finalizer: every input bit affects every output bit. */
    static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    static long hashBytes(long address, int length) {
        long h = 0x27D4EB2F165667C5L + length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = Long.rotateLeft(h ^ (MemoryUtil.getLong(address + i) * 0x87c37b91114253d5L), 31) * 0x4cf5ad432745937fL;
        }
        if (i < length) {
            long tail = 0;
            for (int shift = 0; i < length; i++, shift += 8) {
                tail |= (MemoryUtil.getByte(address + i) & 0xFFL) << shift;
            }
            h = Long.rotateLeft(h ^ (tail * 0x87c37b91114253d5L), 31) * 0x4cf5ad432745937fL;
        }
        return mix(h);
    }

    private static boolean bytesEqual(long a, long b, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if (MemoryUtil.getLong(a + i) != MemoryUtil.getLong(b + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (MemoryUtil.getByte(a + i) != MemoryUtil.getByte(b + i)) {
                return false;
            }
        }
        return true;
    }

    /** REAL bits with -0.0 as 0.0 and every NaN as one NaN, so that SQL-equal values have equal bits. */
    static int normalizeFloat(int bits) {
        int magnitude = bits & 0x7fffffff;
        if (magnitude == 0) {
            return 0;
        }
        return magnitude > 0x7f800000 ? 0x7fc00000 : bits;
    }

    /** DOUBLE bits with -0.0 as 0.0 and every NaN as one NaN. */
    static long normalizeDouble(long bits) {
        long magnitude = bits & 0x7fffffffffffffffL;
        if (magnitude == 0) {
            return 0;
        }
        return magnitude > 0x7ff0000000000000L ? 0x7ff8000000000000L : bits;
    }
}
