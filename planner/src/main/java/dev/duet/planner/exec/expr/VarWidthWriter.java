package dev.duet.planner.exec.expr;

import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;

/**
 * Writes a variable-width vector (VARCHAR, BYTEA) front to back, one value per row in order,
 * straight into its buffers: offsets and validity bits per row, bytes appended to the data buffer,
 * which doubles when full. {@link #start} before the first row, {@link #finish} after the last.
 */
final class VarWidthWriter {
    private final BaseVariableWidthVector vector;
    private long validity;
    private long offsets;
    private long data;
    private long dataCapacity;
    private int end;

    VarWidthWriter(FieldVector vector) {
        this.vector = (BaseVariableWidthVector) vector;
    }

    /** Makes room for {@code count} rows and starts writing at row 0. */
    void start(int count) {
        ComputedEvaluator.ensureCapacity(vector, count);
        refresh();
        Bitmaps.clearAll(validity, count);
        MemoryUtil.putInt(offsets, 0);
        end = 0;
    }

    private void refresh() {
        validity = vector.getValidityBufferAddress();
        offsets = vector.getOffsetBufferAddress();
        data = vector.getDataBufferAddress();
        dataCapacity = vector.getDataBuffer().capacity();
    }

    /** Address where {@code len} more bytes of the current value can be written. */
    long reserve(int len) {
        long need = (long) end + len;
        if (need > dataCapacity) {
            if (need > Integer.MAX_VALUE) {
                throw new IllegalStateException("a batch of strings passed 2 GB");
            }
            vector.reallocDataBuffer(Math.max(need, dataCapacity * 2));
            refresh();
        }
        return data + end;
    }

    /** Bytes written so far (the start of the next value). */
    int position() {
        return end;
    }

    /** Address of the data buffer (changes when it grows). */
    long dataAddress() {
        return data;
    }

    /** Ends row {@code row} as a value of the {@code len} bytes written at {@link #reserve}. */
    void commit(int row, int len) {
        end += len;
        MemoryUtil.putInt(offsets + ((long) (row + 1) << 2), end);
        Bitmaps.set(validity, row);
    }

    /** Appends {@code len} bytes at {@code src} and ends the row. */
    void write(int row, long src, int len) {
        long at = reserve(len);
        MemoryUtil.copyMemory(src, at, len);
        commit(row, len);
    }

    /**
     * Appends {@code len} bytes at {@code src} and ends the row without touching its validity bit
     * (the caller sets the whole bitmap with {@link #setAllValid}). Short values are copied with
     * plain loads and stores, which beat a bulk copy call for the few bytes of a code or a flag.
     */
    void append(int row, long src, int len) {
        long at = reserve(len);
        if (len <= 8) {
            for (int b = 0; b < len; b++) {
                MemoryUtil.putByte(at + b, MemoryUtil.getByte(src + b));
            }
        } else {
            MemoryUtil.copyMemory(src, at, len);
        }
        end += len;
        MemoryUtil.putInt(offsets + ((long) (row + 1) << 2), end);
    }

    /**
     * Appends values {@code [from, from + n)} of a source vector (its offset and data buffer
     * addresses) as rows {@code [row, row + n)}: their bytes are contiguous, so they are copied at
     * once and only the offsets are rewritten row by row. Validity as for {@link #append}.
     */
    void appendRun(int row, long srcOffsets, long srcData, int from, int n) {
        int first = MemoryUtil.getInt(srcOffsets + ((long) from << 2));
        int last = MemoryUtil.getInt(srcOffsets + ((long) (from + n) << 2));
        long at = reserve(last - first);
        MemoryUtil.copyMemory(srcData + first, at, last - first);
        int delta = end - first;
        for (int k = 1; k <= n; k++) {
            MemoryUtil.putInt(offsets + ((long) (row + k) << 2), MemoryUtil.getInt(srcOffsets + ((long) (from + k) << 2)) + delta);
        }
        end += last - first;
    }

    /** Marks rows {@code [0, count)} valid, after {@link #append}. */
    void setAllValid(int count) {
        Bitmaps.setAll(validity, count);
    }

    void write(int row, byte[] src, int off, int len) {
        long at = reserve(len);
        MemoryUtil.copyToMemory(src, off, at, len);
        commit(row, len);
    }

    void setNull(int row) {
        MemoryUtil.putInt(offsets + ((long) (row + 1) << 2), end);
    }

    FieldVector finish(int count) {
        vector.setLastSet(count - 1);
        vector.setValueCount(count);
        return vector;
    }
}
