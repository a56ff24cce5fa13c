package dev.duet.planner.exec.ops;

import dev.duet.core.types.DataType;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Copies rows picked from many batches (by batch id and row) into one output vector, for one
 * column: fixed-width values straight between the buffers, strings with one bulk copy each.
 * {@link #bind} caches the buffer addresses of the column in every batch once.
 */
final class VectorGather {
    private final DataType.Kind kind;
    private final int width;
    private long[] data = new long[0];
    private long[] validity = new long[0];
    private long[] offsets = new long[0];
    private boolean[] nulls = new boolean[0];
    private ArrowBuf[] varData = new ArrowBuf[0];

    VectorGather(DataType type) {
        this.kind = type.kind();
        this.width = switch (kind) {
            case BOOLEAN -> 0;
            case SMALLINT -> 2;
            case INTEGER, DATE, REAL -> 4;
            case BIGINT, TIMESTAMP, DOUBLE -> 8;
            case DECIMAL -> 16;
            case VARCHAR, BYTEA -> -1;
        };
    }

    /** Caches column {@code column} of batches {@code [0, count)}; null batches are skipped. */
    void bind(FieldVector[][] batches, int count, int column) {
        if (data.length < count) {
            data = new long[count];
            validity = new long[count];
            offsets = new long[count];
            nulls = new boolean[count];
            varData = new ArrowBuf[count];
        }
        for (int b = 0; b < count; b++) {
            if (batches[b] == null) {
                varData[b] = null;
                continue;
            }
            FieldVector v = batches[b][column];
            data[b] = v.getDataBufferAddress();
            validity[b] = v.getValidityBufferAddress();
            nulls[b] = v.getNullCount() > 0;
            if (width < 0) {
                offsets[b] = v.getOffsetBufferAddress();
                varData[b] = v.getDataBuffer();
            }
        }
    }

    /**
     * Writes rows {@code ids[from..from+n)} to rows {@code [0, n)} of {@code target}, which has
     * room for {@code n} fixed-width values (strings grow it).
     */
    void gather(FieldVector target, int[] ids, int from, int n, int[] batchOf, int[] rowOf) {
        if (width < 0) {
            BaseVariableWidthVector t = (BaseVariableWidthVector) target;
            for (int i = 0; i < n; i++) {
                int id = ids[from + i];
                int b = batchOf[id];
                int r = rowOf[id];
                if (nulls[b] && ArrowBuffers.isNull(validity[b], r)) {
                    t.setNull(i);
                    continue;
                }
                long o = offsets[b] + 4L * r;
                int start = MemoryUtil.getInt(o);
                t.setSafe(i, start, MemoryUtil.getInt(o + 4) - start, varData[b]);
            }
            return;
        }
        long tData = target.getDataBufferAddress();
        long tValidity = target.getValidityBufferAddress();
        for (int i = 0; i < n; i++) {
            int id = ids[from + i];
            int b = batchOf[id];
            int r = rowOf[id];
            boolean valid = !(nulls[b] && ArrowBuffers.isNull(validity[b], r));
            setBit(tValidity, i, valid);
            long src = data[b];
            switch (width) {
                case 0 -> setBit(tData, i, ArrowBuffers.bit(src, r) != 0);
                case 2 -> MemoryUtil.putShort(tData + 2L * i, MemoryUtil.getShort(src + 2L * r));
                case 4 -> MemoryUtil.putInt(tData + 4L * i, MemoryUtil.getInt(src + 4L * r));
                case 8 -> MemoryUtil.putLong(tData + 8L * i, MemoryUtil.getLong(src + 8L * r));
                default -> {
                    MemoryUtil.putLong(tData + 16L * i, MemoryUtil.getLong(src + 16L * r));
                    MemoryUtil.putLong(tData + 16L * i + 8, MemoryUtil.getLong(src + 16L * r + 8));
                }
            }
        }
    }

    static void setBit(long address, int index, boolean on) {
        long a = address + (index >>> 3);
        int mask = 1 << (index & 7);
        byte b = MemoryUtil.getByte(a);
        MemoryUtil.putByte(a, (byte) (on ? b | mask : b & ~mask));
    }

    void unbind() {
        java.util.Arrays.fill(varData, null);
    }
}
