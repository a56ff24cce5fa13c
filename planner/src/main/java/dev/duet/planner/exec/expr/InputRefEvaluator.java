package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A column of the input batch. Without a row selection it returns the batch's own vector (no
 * copy); with one it gathers the selected rows into a vector of its own.
 */
public final class InputRefEvaluator extends ComputedEvaluator {
    private final int index;
    private final VarWidthWriter writer;

    public InputRefEvaluator(DataType type, int index, BufferAllocator allocator) {
        super(type, allocator);
        this.index = index;
        this.writer = width(type) == VARIABLE ? new VarWidthWriter(out) : null;
    }

    /** The input column this reads. */
    public int index() {
        return index;
    }

    @Override
    public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
        FieldVector src = batch.getVector(index);
        if (rows == null) {
            return src;
        }
        if (writer != null) {
            writer.start(count);
            gatherVariable(src, rows, count, writer);
            return writer.finish(count);
        }
        prepare(count);
        gatherFixed(src, rows, count, out, width(type()));
        return finish(count);
    }

    /** {@code dst[i] = src[rows[i]]} for a fixed-width or boolean vector with room for {@code count} rows. */
    static void gatherFixed(FieldVector src, int[] rows, int count, FieldVector dst, int width) {
        long sv = src.getValidityBufferAddress();
        long dv = dst.getValidityBufferAddress();
        long sd = src.getDataBufferAddress();
        long dd = dst.getDataBufferAddress();
        long validWord = 0;
        long valueWord = 0;
        for (int i = 0; i < count; i++) {
            int r = rows[i];
            if (Bitmaps.get(sv, r)) {
                validWord |= 1L << (i & 63);
            }
            switch (width) {
                case BIT -> {
                    if (Bitmaps.get(sd, r)) {
                        valueWord |= 1L << (i & 63);
                    }
                }
                case 2 -> MemoryUtil.putShort(dd + ((long) i << 1), MemoryUtil.getShort(sd + ((long) r << 1)));
                case 4 -> MemoryUtil.putInt(dd + ((long) i << 2), MemoryUtil.getInt(sd + ((long) r << 2)));
                case 8 -> MemoryUtil.putLong(dd + ((long) i << 3), MemoryUtil.getLong(sd + ((long) r << 3)));
                case 16 -> {
                    MemoryUtil.putLong(dd + ((long) i << 4), MemoryUtil.getLong(sd + ((long) r << 4)));
                    MemoryUtil.putLong(dd + ((long) i << 4) + 8, MemoryUtil.getLong(sd + ((long) r << 4) + 8));
                }
                default -> throw new IllegalStateException("width " + width);
            }
            if ((i & 63) == 63 || i == count - 1) {
                long at = (long) (i >>> 6) << 3;
                MemoryUtil.putLong(dv + at, validWord);
                if (width == BIT) {
                    MemoryUtil.putLong(dd + at, valueWord);
                }
                validWord = 0;
                valueWord = 0;
            }
        }
    }

    /** Appends {@code src[rows[i]]} for each {@code i} through a started writer. */
    static void gatherVariable(FieldVector src, int[] rows, int count, VarWidthWriter writer) {
        long sv = src.getValidityBufferAddress();
        long so = src.getOffsetBufferAddress();
        long sd = src.getDataBufferAddress();
        for (int i = 0; i < count; i++) {
            int r = rows[i];
            if (Bitmaps.get(sv, r)) {
                int start = MemoryUtil.getInt(so + ((long) r << 2));
                int end = MemoryUtil.getInt(so + ((long) (r + 1) << 2));
                writer.write(i, sd + start, end - start);
            } else {
                writer.setNull(i);
            }
        }
    }
}
