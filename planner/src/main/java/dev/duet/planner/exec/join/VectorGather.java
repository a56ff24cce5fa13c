package dev.duet.planner.exec.join;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.VectorRanges;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Copies values between vectors of one storage type, working on the vectors' buffers: by a list
 * of source rows ({@link #gather}), by a range ({@link #copyRange}), or NULLs ({@link #setNulls}).
 * The join and set operators build every output batch and every stored copy of rows this way.
 *
 * <p>Writes go to positions {@code [at, at + count)} of the target, which grows as needed.
 * Variable-width targets must be written in order: a write at {@code at} reads the end offset of
 * row {@code at - 1}, so a batch is filled from position 0 upwards with no gaps, as every caller
 * does. Each call that writes rows leaves the target's value count at {@code at + count}.
 */
final class VectorGather {
    private VectorGather() {
    }

    /**
     * {@code dst[at + i] = src[rows[i]]} for {@code i < count}; a negative row, or a null
     * {@code src}, writes NULL.
     */
    static void gather(FieldVector src, int[] rows, int count, FieldVector dst, int at) {
        gather(src, false, rows, count, dst, at);
    }

    /**
     * {@link #gather(FieldVector, int[], int, FieldVector, int)} for a caller that knows whether
     * {@code src} holds no NULL ({@code srcAllValid}, e.g. from its null count once per batch):
     * then the target's validity comes from the row list alone, without reading the source's
     * bitmap at every (for a build side, random) row.
     */
    static void gather(FieldVector src, boolean srcAllValid, int[] rows, int count, FieldVector dst, int at) {
        if (count == 0) {
            return;
        }
        if (dst instanceof BaseVariableWidthVector v) {
            gatherVariable((BaseVariableWidthVector) src, srcAllValid, rows, count, v, at);
        } else if (dst instanceof BitVector b) {
            gatherBits((BitVector) src, srcAllValid, rows, count, b, at);
        } else if (dst instanceof BaseFixedWidthVector f) {
            gatherFixed((BaseFixedWidthVector) src, srcAllValid, rows, count, f, at);
        } else {
            throw unsupported(dst);
        }
    }

    /**
     * {@code dst[at + i] = src[from + i]} for {@code i < count}, growing {@code dst} as needed and
     * setting its value count to {@code at + count}; the copy itself is {@link VectorRanges#copy}.
     */
    static void copyRange(FieldVector src, int from, int count, FieldVector dst, int at) {
        if (count == 0) {
            return;
        }
        if (dst instanceof BaseVariableWidthVector v) {
            ensureRows(v, at + count);
        } else if (dst instanceof BaseFixedWidthVector f) {
            ensureCapacity(f, at + count);
        } else {
            throw unsupported(dst);
        }
        VectorRanges.copy(src, from, count, dst, at);
        VectorRanges.finish(dst, at + count);
    }

    /** {@code dst[at, at + count)} = NULL. */
    static void setNulls(FieldVector dst, int at, int count) {
        gather(null, false, null, count, dst, at);
    }

    // ---------------------------------------------------------------- fixed width

    private static void gatherFixed(BaseFixedWidthVector src, boolean srcAllValid, int[] rows, int count,
            BaseFixedWidthVector dst, int at) {
        ensureCapacity(dst, at + count);
        long dv = dst.getValidityBufferAddress();
        if (src == null) {
            clearBits(dv, at, count);
            dst.setValueCount(at + count);
            return;
        }
        long sd = src.getDataBufferAddress();
        long dd = dst.getDataBufferAddress();
        // Values first (a NULL's slot is copied too: its bytes are meaningless either way), then
        // validity a byte at a time.
        switch (dst.getTypeWidth()) {
            case 2 -> {
                for (int i = 0; i < count; i++) {
                    int r = rows[i];
                    if (r >= 0) {
                        MemoryUtil.putShort(dd + ((long) (at + i) << 1), MemoryUtil.getShort(sd + ((long) r << 1)));
                    }
                }
            }
            case 4 -> {
                for (int i = 0; i < count; i++) {
                    int r = rows[i];
                    if (r >= 0) {
                        MemoryUtil.putInt(dd + ((long) (at + i) << 2), MemoryUtil.getInt(sd + ((long) r << 2)));
                    }
                }
            }
            case 8 -> {
                for (int i = 0; i < count; i++) {
                    int r = rows[i];
                    if (r >= 0) {
                        MemoryUtil.putLong(dd + ((long) (at + i) << 3), MemoryUtil.getLong(sd + ((long) r << 3)));
                    }
                }
            }
            case 16 -> {
                for (int i = 0; i < count; i++) {
                    int r = rows[i];
                    if (r >= 0) {
                        long from = sd + ((long) r << 4);
                        long to = dd + ((long) (at + i) << 4);
                        MemoryUtil.putLong(to, MemoryUtil.getLong(from));
                        MemoryUtil.putLong(to + 8, MemoryUtil.getLong(from + 8));
                    }
                }
            }
            default -> {
                int width = dst.getTypeWidth();
                for (int i = 0; i < count; i++) {
                    int r = rows[i];
                    if (r >= 0) {
                        MemoryUtil.copyMemory(sd + (long) r * width, dd + (long) (at + i) * width, width);
                    }
                }
            }
        }
        gatherValidity(srcAllValid ? 0 : src.getValidityBufferAddress(), rows, count, dv, at);
        dst.setValueCount(at + count);
    }

    /** {@link #gatherBitmap} of validity bits, where a source address of 0 means every source row is valid. */
    private static void gatherValidity(long src, int[] rows, int count, long dst, int at) {
        if (src != 0) {
            gatherBitmap(src, rows, count, dst, at);
            return;
        }
        int i = 0;
        for (; i < count && ((at + i) & 7) != 0; i++) {
            putBit(dst, at + i, rows[i] >= 0);
        }
        for (; i + 8 <= count; i += 8) {
            int bits = 0;
            for (int k = 0; k < 8; k++) {
                bits |= (~rows[i + k] >>> 31) << k; // 1 for a row >= 0
            }
            MemoryUtil.putByte(dst + ((at + i) >>> 3), (byte) bits);
        }
        for (; i < count; i++) {
            putBit(dst, at + i, rows[i] >= 0);
        }
    }

    /**
     * Bits {@code [at, at + count)} of the bitmap at {@code dst} from bits {@code rows[i]} of the
     * bitmap at {@code src}; a negative row gives 0. Whole bytes of the target are written at once.
     */
    private static void gatherBitmap(long src, int[] rows, int count, long dst, int at) {
        int i = 0;
        for (; i < count && ((at + i) & 7) != 0; i++) {
            int r = rows[i];
            putBit(dst, at + i, r >= 0 && bit(src, r));
        }
        for (; i + 8 <= count; i += 8) {
            int bits = 0;
            for (int k = 0; k < 8; k++) {
                int r = rows[i + k];
                if (r >= 0 && bit(src, r)) {
                    bits |= 1 << k;
                }
            }
            MemoryUtil.putByte(dst + ((at + i) >>> 3), (byte) bits);
        }
        for (; i < count; i++) {
            int r = rows[i];
            putBit(dst, at + i, r >= 0 && bit(src, r));
        }
    }

    /** Clears bits {@code [at, at + count)} of the bitmap at {@code address}. */
    private static void clearBits(long address, int at, int count) {
        int i = 0;
        for (; i < count && ((at + i) & 7) != 0; i++) {
            clearBit(address, at + i);
        }
        int bytes = (count - i) >>> 3;
        if (bytes > 0) {
            MemoryUtil.setMemory(address + ((at + i) >>> 3), bytes, (byte) 0);
            i += bytes << 3;
        }
        for (; i < count; i++) {
            clearBit(address, at + i);
        }
    }

    private static void gatherBits(BitVector src, boolean srcAllValid, int[] rows, int count, BitVector dst, int at) {
        ensureCapacity(dst, at + count);
        long dv = dst.getValidityBufferAddress();
        if (src == null) {
            clearBits(dv, at, count);
        } else {
            gatherBitmap(src.getDataBufferAddress(), rows, count, dst.getDataBufferAddress(), at);
            gatherValidity(srcAllValid ? 0 : src.getValidityBufferAddress(), rows, count, dv, at);
        }
        dst.setValueCount(at + count);
    }

    /** Grows a fixed-width vector (BitVector included) to hold at least {@code rows} values. */
    static void ensureCapacity(BaseFixedWidthVector v, int rows) {
        if (v.getValueCapacity() >= rows) {
            return;
        }
        if (v.getValueCapacity() == 0) {
            // Never allocated, or its buffers were transferred away by a consumer.
            v.setInitialCapacity(rows);
            v.allocateNew();
            return;
        }
        while (v.getValueCapacity() < rows) {
            v.reAlloc();
        }
    }

    // ---------------------------------------------------------------- variable width

    private static void gatherVariable(BaseVariableWidthVector src, boolean srcAllValid, int[] rows, int count,
            BaseVariableWidthVector dst, int at) {
        ensureRows(dst, at + count);
        long dOff = dst.getOffsetBufferAddress();
        int base = at == 0 ? 0 : MemoryUtil.getInt(dOff + ((long) at << 2));
        if (src == null) {
            clearBits(dst.getValidityBufferAddress(), at, count);
            for (int i = 0; i < count; i++) {
                MemoryUtil.putInt(dOff + ((long) (at + i + 1) << 2), base);
            }
            if (at == 0) {
                MemoryUtil.putInt(dOff, 0);
            }
            finishVariable(dst, at + count);
            return;
        }
        long sv = src.getValidityBufferAddress();
        long sOff = src.getOffsetBufferAddress();
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            int r = rows[i];
            if (r >= 0 && (srcAllValid || bit(sv, r))) {
                long o = sOff + ((long) r << 2);
                bytes += MemoryUtil.getInt(o + 4) - MemoryUtil.getInt(o);
            }
        }
        ensureBytes(dst, base + bytes);
        // Addresses are read after growing: reallocation moves the buffers.
        dOff = dst.getOffsetBufferAddress();
        long dv = dst.getValidityBufferAddress();
        long dData = dst.getDataBufferAddress();
        long sData = src.getDataBufferAddress();
        if (at == 0) {
            MemoryUtil.putInt(dOff, 0);
        }
        int end = base;
        for (int i = 0; i < count; i++) {
            int r = rows[i];
            if (r >= 0 && (srcAllValid || bit(sv, r))) {
                long so = sOff + ((long) r << 2);
                int start = MemoryUtil.getInt(so);
                int len = MemoryUtil.getInt(so + 4) - start;
                MemoryUtil.copyMemory(sData + start, dData + end, len);
                end += len;
            }
            MemoryUtil.putInt(dOff + ((long) (at + i + 1) << 2), end);
        }
        gatherValidity(srcAllValid ? 0 : sv, rows, count, dv, at);
        finishVariable(dst, at + count);
    }

    /** Grows validity and offsets of a variable-width vector to hold at least {@code rows} values. */
    static void ensureRows(BaseVariableWidthVector v, int rows) {
        if (v.getValueCapacity() >= rows) {
            return;
        }
        if (v.getValueCapacity() == 0 && v.getDataBuffer().capacity() == 0) {
            v.setInitialCapacity(rows);
            v.allocateNew();
            return;
        }
        while (v.getValueCapacity() < rows) {
            v.reallocValidityAndOffsetBuffers();
        }
    }

    private static void ensureBytes(BaseVariableWidthVector v, long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            // Arrow's 32-bit offsets: one vector holds at most 2 GiB of string data.
            throw DuetException.of(SqlState.OUT_OF_MEMORY,
                    "out of memory: column %s would hold %d bytes of variable-width data, more than one vector can (2 GiB)",
                    v.getName(), bytes);
        }
        if (v.getDataBuffer().capacity() < bytes) {
            v.reallocDataBuffer(bytes);
        }
    }

    private static void finishVariable(BaseVariableWidthVector v, int valueCount) {
        // Offsets up to valueCount are written: tell Arrow, or setValueCount would "fill holes"
        // over them from a stale last-set position.
        v.setLastSet(valueCount - 1);
        v.setValueCount(valueCount);
    }

    // ---------------------------------------------------------------- bits

    static boolean bit(long address, int index) {
        return (MemoryUtil.getByte(address + (index >>> 3)) & (1 << (index & 7))) != 0;
    }

    private static void setBit(long address, int index) {
        long at = address + (index >>> 3);
        MemoryUtil.putByte(at, (byte) (MemoryUtil.getByte(at) | (1 << (index & 7))));
    }

    private static void clearBit(long address, int index) {
        long at = address + (index >>> 3);
        MemoryUtil.putByte(at, (byte) (MemoryUtil.getByte(at) & ~(1 << (index & 7))));
    }

    private static void putBit(long address, int index, boolean value) {
        if (value) {
            setBit(address, index);
        } else {
            clearBit(address, index);
        }
    }

    private static IllegalArgumentException unsupported(FieldVector v) {
        return new IllegalArgumentException("vector " + v.getName() + " of Arrow type " + v.getField().getType()
                + " holds no SQL type");
    }
}
