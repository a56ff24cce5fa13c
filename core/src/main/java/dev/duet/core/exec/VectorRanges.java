package dev.duet.core.exec;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Copies a range of rows between two vectors of one storage type on their buffers: one memory copy
 * for fixed-width values and variable-width bytes, the offsets shifted in one loop, validity whole
 * bytes at a time when both ends are byte-aligned. Scans use it to copy the visible runs of a
 * segment, instead of a virtual {@code copyFromSafe} per value.
 *
 * <p>Targets are written in order from row 0 with no gaps (a variable-width write at {@code at}
 * reads the end offset of row {@code at - 1}); the caller sets the value counts when the batch is
 * complete ({@link #finish}). Fixed-width targets must already hold {@code at + count} rows;
 * variable-width data buffers grow as needed.
 */
public final class VectorRanges {
    private VectorRanges() {
    }

    /** {@code dst[at + i] = src[from + i]} for {@code i < count}. */
    public static void copy(FieldVector src, int from, int count, FieldVector dst, int at) {
        if (count == 0) {
            return;
        }
        if (dst instanceof BaseVariableWidthVector v) {
            copyVariable((BaseVariableWidthVector) src, from, count, v, at);
        } else if (dst instanceof BitVector b) {
            requireRows(b, at + count);
            copyBits(src.getValidityBufferAddress(), from, b.getValidityBufferAddress(), at, count);
            copyBits(src.getDataBufferAddress(), from, b.getDataBufferAddress(), at, count);
        } else if (dst instanceof BaseFixedWidthVector f) {
            requireRows(f, at + count);
            long width = f.getTypeWidth();
            MemoryUtil.copyMemory(src.getDataBufferAddress() + from * width, f.getDataBufferAddress() + at * width,
                    count * width);
            copyBits(src.getValidityBufferAddress(), from, f.getValidityBufferAddress(), at, count);
        } else {
            throw new IllegalArgumentException("vector " + dst.getName() + " of Arrow type "
                    + dst.getField().getType() + " holds no SQL type");
        }
    }

    /** Sets the value count of a vector written by {@link #copy} to {@code rows}. */
    public static void finish(FieldVector v, int rows) {
        if (v instanceof BaseVariableWidthVector bv) {
            // offsets up to rows are written: without this, setValueCount would fill holes over them
            bv.setLastSet(rows - 1);
        }
        v.setValueCount(rows);
    }

    private static void requireRows(FieldVector v, int rows) {
        if (v.getValueCapacity() < rows) {
            throw new IllegalStateException("vector " + v.getName() + " holds " + v.getValueCapacity()
                    + " rows, not " + rows);
        }
    }

    private static void copyVariable(BaseVariableWidthVector src, int from, int count, BaseVariableWidthVector dst,
            int at) {
        requireRows(dst, at + count);
        long sOff = src.getOffsetBufferAddress();
        int sBase = MemoryUtil.getInt(sOff + ((long) from << 2));
        int sEnd = MemoryUtil.getInt(sOff + ((long) (from + count) << 2));
        long dOff = dst.getOffsetBufferAddress();
        int dBase = at == 0 ? 0 : MemoryUtil.getInt(dOff + ((long) at << 2));
        long need = (long) dBase + (sEnd - sBase);
        if (need > Integer.MAX_VALUE) {
            throw DuetException.of(SqlState.OUT_OF_MEMORY, "out of memory: column %s would hold %d bytes of"
                    + " variable-width data, more than one vector can (2 GiB)", dst.getName(), need);
        }
        if (dst.getDataBuffer().capacity() < need) {
            dst.reallocDataBuffer(need);
        }
        if (at == 0) {
            MemoryUtil.putInt(dOff, 0);
        }
        MemoryUtil.copyMemory(src.getDataBufferAddress() + sBase, dst.getDataBufferAddress() + dBase, sEnd - sBase);
        int shift = dBase - sBase;
        for (int i = 1; i <= count; i++) {
            MemoryUtil.putInt(dOff + ((long) (at + i) << 2), MemoryUtil.getInt(sOff + ((long) (from + i) << 2)) + shift);
        }
        copyBits(src.getValidityBufferAddress(), from, dst.getValidityBufferAddress(), at, count);
    }

    /** Copies {@code count} bits from bit {@code from} at {@code src} to bit {@code at} at {@code dst}. */
    private static void copyBits(long src, int from, long dst, int at, int count) {
        int i = 0;
        if (((from | at) & 7) == 0) {
            int whole = count >>> 3;
            MemoryUtil.copyMemory(src + (from >>> 3), dst + (at >>> 3), whole);
            i = whole << 3;
        }
        for (; i < count; i++) {
            int s = from + i;
            int d = at + i;
            long target = dst + (d >>> 3);
            int mask = 1 << (d & 7);
            byte old = MemoryUtil.getByte(target);
            boolean set = (MemoryUtil.getByte(src + (s >>> 3)) & (1 << (s & 7))) != 0;
            MemoryUtil.putByte(target, (byte) (set ? old | mask : old & ~mask));
        }
    }
}
