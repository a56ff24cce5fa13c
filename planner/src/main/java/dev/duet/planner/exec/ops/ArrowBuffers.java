package dev.duet.planner.exec.ops;

import dev.duet.planner.exec.expr.Int128;
import dev.duet.core.types.DataType;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
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
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;

/**
 * Reading Arrow vectors' buffers by address in hot loops, and writing single results into the
 * typed vectors of Duet's SQL types. Addresses come from {@code get*BufferAddress()} of a vector
 * whose value count covers every row read; nothing here checks bounds, so callers loop over
 * {@code [0, valueCount)} only. Arrow's formats are little-endian, which is what the JVM's
 * native reads return on the platforms Duet runs on (checked at class load).
 */
final class ArrowBuffers {
    static {
        if (!MemoryUtil.LITTLE_ENDIAN) {
            throw new ExceptionInInitializerError("Duet's operators read Arrow buffers as little-endian");
        }
    }

    private ArrowBuffers() {
    }

    /** Whether row {@code row} is NULL in a validity bitmap at {@code validity}. */
    static boolean isNull(long validity, int row) {
        return (MemoryUtil.getByte(validity + (row >>> 3)) & (1 << (row & 7))) == 0;
    }

    /** Bit {@code row} of a bitmap (BOOLEAN values). */
    static int bit(long address, int row) {
        return (MemoryUtil.getByte(address + (row >>> 3)) >>> (row & 7)) & 1;
    }

    /** True for SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP and BOOLEAN: values read as one long. */
    static boolean isLongLike(DataType.Kind kind) {
        return switch (kind) {
            case SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP, BOOLEAN -> true;
            default -> false;
        };
    }

    /** True for the numeric kinds. */
    static boolean isNumeric(DataType.Kind kind) {
        return switch (kind) {
            case SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    /**
     * Reads rows {@code [0, rows)} of a long-like vector ({@link #isLongLike}) into {@code out}
     * (BOOLEAN as 0/1); NULL rows get an unspecified value.
     */
    static void readLongs(FieldVector v, DataType.Kind kind, int rows, long[] out) {
        long data = v.getDataBufferAddress();
        switch (kind) {
            case SMALLINT -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = MemoryUtil.getShort(data + 2L * r);
                }
            }
            case INTEGER, DATE -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = MemoryUtil.getInt(data + 4L * r);
                }
            }
            case BIGINT, TIMESTAMP -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = MemoryUtil.getLong(data + 8L * r);
                }
            }
            case BOOLEAN -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = bit(data, r);
                }
            }
            default -> throw new IllegalArgumentException(kind + " is not read as a long");
        }
    }

    /**
     * Reads rows {@code [0, rows)} of a numeric vector into {@code out} as doubles (DECIMAL
     * divided by its scale); NULL rows get an unspecified value.
     */
    static void readDoubles(FieldVector v, DataType type, int rows, double[] out) {
        long data = v.getDataBufferAddress();
        switch (type.kind()) {
            case SMALLINT -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = MemoryUtil.getShort(data + 2L * r);
                }
            }
            case INTEGER -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = MemoryUtil.getInt(data + 4L * r);
                }
            }
            case BIGINT -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = MemoryUtil.getLong(data + 8L * r);
                }
            }
            case REAL -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = Float.intBitsToFloat(MemoryUtil.getInt(data + 4L * r));
                }
            }
            case DOUBLE -> {
                for (int r = 0; r < rows; r++) {
                    out[r] = Double.longBitsToDouble(MemoryUtil.getLong(data + 8L * r));
                }
            }
            case DECIMAL -> {
                double divisor = Math.pow(10, type.scale());
                for (int r = 0; r < rows; r++) {
                    long lo = MemoryUtil.getLong(data + 16L * r);
                    long hi = MemoryUtil.getLong(data + 16L * r + 8);
                    out[r] = Int128.toDouble(hi, lo) / divisor;
                }
            }
            default -> throw new IllegalArgumentException(type + " is not numeric");
        }
    }

    /**
     * Reads rows {@code [0, rows)} of an exact numeric vector (SMALLINT, INTEGER, BIGINT, DECIMAL)
     * as 128-bit integers (the unscaled value for DECIMAL); NULL rows get an unspecified value.
     */
    static void readInt128(FieldVector v, DataType.Kind kind, int rows, long[] hi, long[] lo) {
        long data = v.getDataBufferAddress();
        if (kind == DataType.Kind.DECIMAL) {
            for (int r = 0; r < rows; r++) {
                lo[r] = MemoryUtil.getLong(data + 16L * r);
                hi[r] = MemoryUtil.getLong(data + 16L * r + 8);
            }
            return;
        }
        readLongs(v, kind, rows, lo);
        for (int r = 0; r < rows; r++) {
            hi[r] = lo[r] >> 63;
        }
    }

    /**
     * Reads the low words of rows {@code [0, rows)} of a DECIMAL vector into {@code lo}; returns
     * -1 unless every high word is the sign extension of its low word (each value fits a long),
     * else the bit length {@code b} of the largest magnitude: every value lies in
     * {@code [-2^b, 2^b)}. NULL rows count too, whatever they hold, so the answer may be
     * pessimistic.
     */
    static int readLowWords(FieldVector v, int rows, long[] lo) {
        long data = v.getDataBufferAddress();
        long wide = 0;
        long magnitude = 0;
        for (int r = 0; r < rows; r++) {
            long l = MemoryUtil.getLong(data + 16L * r);
            long sign = l >> 63;
            lo[r] = l;
            wide |= MemoryUtil.getLong(data + 16L * r + 8) ^ sign;
            magnitude |= l ^ sign;
        }
        return wide != 0 ? -1 : 64 - Long.numberOfLeadingZeros(magnitude);
    }

    /** Writes a long-like value ({@link #isLongLike}) at {@code index}. */
    static void setLong(FieldVector v, DataType.Kind kind, int index, long value) {
        switch (kind) {
            case SMALLINT -> ((SmallIntVector) v).set(index, (short) value);
            case INTEGER -> ((IntVector) v).set(index, (int) value);
            case DATE -> ((DateDayVector) v).set(index, (int) value);
            case BIGINT -> ((BigIntVector) v).set(index, value);
            case TIMESTAMP -> ((TimeStampMicroVector) v).set(index, value);
            case BOOLEAN -> ((BitVector) v).set(index, (int) value);
            default -> throw new IllegalArgumentException(kind + " is not written as a long");
        }
    }

    /** Writes a floating-point result at {@code index} of a DOUBLE or REAL vector. */
    static void setDouble(FieldVector v, int index, double value) {
        if (v instanceof Float8Vector d) {
            d.set(index, value);
        } else {
            ((Float4Vector) v).set(index, (float) value);
        }
    }

    /** Writes a 128-bit unscaled value at {@code index} of a DECIMAL vector. */
    static void setDecimal(FieldVector v, int index, long hi, long lo) {
        DecimalVector d = (DecimalVector) v;
        long data = d.getDataBufferAddress();
        MemoryUtil.putLong(data + 16L * index, lo);
        MemoryUtil.putLong(data + 16L * index + 8, hi);
        d.setIndexDefined(index);
    }

    /**
     * Takes over the vectors of a batch returned by an input operator (a transfer: no copy; the
     * input allocates fresh vectors for its next batch), as the Operator contract allows.
     */
    static FieldVector[] take(VectorSchemaRoot batch, BufferAllocator allocator) {
        List<FieldVector> vectors = batch.getFieldVectors();
        FieldVector[] owned = new FieldVector[vectors.size()];
        try {
            for (int c = 0; c < owned.length; c++) {
                TransferPair tp = vectors.get(c).getTransferPair(allocator);
                tp.transfer();
                owned[c] = (FieldVector) tp.getTo();
            }
        } catch (RuntimeException e) {
            for (FieldVector v : owned) {
                if (v != null) {
                    v.close();
                }
            }
            throw e;
        }
        return owned;
    }
}
