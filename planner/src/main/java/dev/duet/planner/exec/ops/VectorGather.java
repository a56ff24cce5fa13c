package dev.duet.planner.exec.ops;

import dev.duet.core.types.DataType;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Copies rows picked from many batches (by batch index and row) into one output vector, for one
 * column: fixed-width values straight between the buffers, strings by one memory copy each into
 * a data buffer sized once per batch. {@link #bind} caches the buffer addresses of the column in
 * every batch; the batches must not change until the gather is bound again.
 */
final class VectorGather {
    private final DataType.Kind kind;
    private final int width;
    private long[] data = new long[0];
    private long[] validity = new long[0];
    private long[] offsets = new long[0];
    private boolean[] nulls = new boolean[0];

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
        }
        for (int b = 0; b < count; b++) {
            if (batches[b] == null) {
                continue;
            }
            FieldVector v = batches[b][column];
            data[b] = v.getDataBufferAddress();
            validity[b] = v.getValidityBufferAddress();
            nulls[b] = v.getNullCount() > 0;
            if (width < 0) {
                offsets[b] = v.getOffsetBufferAddress();
            }
        }
    }

    /**
     * Writes row {@code rows[i]} of batch {@code batchIndexes[i]}, for {@code i} in {@code [0, n)},
     * to row {@code i} of {@code target}, which has room for {@code n} values (string bytes are
     * made room for here).
     */
    void gather(FieldVector target, int[] batchIndexes, int[] rows, int n) {
        long tValidity = target.getValidityBufferAddress();
        if (width < 0) {
            gatherStrings((BaseVariableWidthVector) target, batchIndexes, rows, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            int b = batchIndexes[i];
            setBit(tValidity, i, !(nulls[b] && ArrowBuffers.isNull(validity[b], rows[i])));
        }
        long tData = target.getDataBufferAddress();
        switch (width) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    setBit(tData, i, ArrowBuffers.bit(data[batchIndexes[i]], rows[i]) != 0);
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    MemoryUtil.putShort(tData + 2L * i, MemoryUtil.getShort(data[batchIndexes[i]] + 2L * rows[i]));
                }
            }
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    MemoryUtil.putInt(tData + 4L * i, MemoryUtil.getInt(data[batchIndexes[i]] + 4L * rows[i]));
                }
            }
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    MemoryUtil.putLong(tData + 8L * i, MemoryUtil.getLong(data[batchIndexes[i]] + 8L * rows[i]));
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    long src = data[batchIndexes[i]] + 16L * rows[i];
                    MemoryUtil.putLong(tData + 16L * i, MemoryUtil.getLong(src));
                    MemoryUtil.putLong(tData + 16L * i + 8, MemoryUtil.getLong(src + 8));
                }
            }
        }
    }

    private void gatherStrings(BaseVariableWidthVector target, int[] batchIndexes, int[] rows, int n) {
        long total = 0;
        for (int i = 0; i < n; i++) {
            int b = batchIndexes[i];
            int r = rows[i];
            if (!(nulls[b] && ArrowBuffers.isNull(validity[b], r))) {
                long o = offsets[b] + 4L * r;
                total += MemoryUtil.getInt(o + 4) - MemoryUtil.getInt(o);
            }
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalStateException("a batch of " + n + " strings holds more than 2 GB");
        }
        while (target.getDataBuffer().capacity() < total) {
            target.reallocDataBuffer(Math.max(total, 2 * target.getDataBuffer().capacity()));
        }
        long tValidity = target.getValidityBufferAddress();
        long tOffsets = target.getOffsetBufferAddress();
        long tData = target.getDataBufferAddress();
        int at = 0;
        MemoryUtil.putInt(tOffsets, 0);
        for (int i = 0; i < n; i++) {
            int b = batchIndexes[i];
            int r = rows[i];
            boolean valid = !(nulls[b] && ArrowBuffers.isNull(validity[b], r));
            setBit(tValidity, i, valid);
            if (valid) {
                long o = offsets[b] + 4L * r;
                int start = MemoryUtil.getInt(o);
                int length = MemoryUtil.getInt(o + 4) - start;
                MemoryUtil.copyMemory(data[b] + start, tData + at, length);
                at += length;
            }
            MemoryUtil.putInt(tOffsets + 4L * (i + 1), at);
        }
        target.setLastSet(n - 1);
    }

    static void setBit(long address, int index, boolean on) {
        long a = address + (index >>> 3);
        int mask = 1 << (index & 7);
        byte b = MemoryUtil.getByte(a);
        MemoryUtil.putByte(a, (byte) (on ? b | mask : b & ~mask));
    }
}
