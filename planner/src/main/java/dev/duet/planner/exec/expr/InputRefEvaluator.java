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

    /**
     * {@code dst[i] = src[rows[i]]} for a fixed-width or boolean vector with room for {@code count}
     * rows. One loop per width, so that the per-row work is a load and a store, or, when most rows
     * are kept, one bulk copy per run of consecutive rows; validity is copied bit by bit only when
     * the source has NULLs.
     */
    static void gatherFixed(FieldVector src, int[] rows, int count, FieldVector dst, int width) {
        long sv = src.getValidityBufferAddress();
        long dv = dst.getValidityBufferAddress();
        long sd = src.getDataBufferAddress();
        long dd = dst.getDataBufferAddress();
        if (width != BIT && count >= MIN_RUN && rows[count - 1] - rows[0] < count + (count >> 3)) {
            // most rows kept (a filter dropping few): copy the runs of consecutive rows at once
            for (int i = 0; i < count; ) {
                int run = runLength(rows, i, count);
                MemoryUtil.copyMemory(sd + (long) rows[i] * width, dd + (long) i * width, (long) run * width);
                i += run;
            }
        } else {
            gatherValues(sd, rows, count, dd, width);
        }
        if (src.getNullCount() == 0) {
            Bitmaps.setAll(dv, count);
        } else {
            gatherBits(sv, rows, count, dv);
        }
    }

    /** Rows (strictly increasing) kept in a row that are worth one bulk copy rather than one value at a time. */
    private static final int MIN_RUN = 8;

    /** How many of {@code rows[i..count)} are consecutive batch rows, from {@code rows[i]} on. */
    private static int runLength(int[] rows, int i, int count) {
        int j = i + 1;
        int next = rows[i] + 1;
        while (j < count && rows[j] == next) {
            j++;
            next++;
        }
        return j - i;
    }

    private static void gatherValues(long sd, int[] rows, int count, long dd, int width) {
        switch (width) {
            case BIT -> gatherBits(sd, rows, count, dd);
            case 2 -> {
                for (int i = 0; i < count; i++) {
                    MemoryUtil.putShort(dd + ((long) i << 1), MemoryUtil.getShort(sd + ((long) rows[i] << 1)));
                }
            }
            case 4 -> {
                for (int i = 0; i < count; i++) {
                    MemoryUtil.putInt(dd + ((long) i << 2), MemoryUtil.getInt(sd + ((long) rows[i] << 2)));
                }
            }
            case 8 -> {
                for (int i = 0; i < count; i++) {
                    MemoryUtil.putLong(dd + ((long) i << 3), MemoryUtil.getLong(sd + ((long) rows[i] << 3)));
                }
            }
            case 16 -> {
                for (int i = 0; i < count; i++) {
                    long from = sd + ((long) rows[i] << 4);
                    long to = dd + ((long) i << 4);
                    MemoryUtil.putLong(to, MemoryUtil.getLong(from));
                    MemoryUtil.putLong(to + 8, MemoryUtil.getLong(from + 8));
                }
            }
            default -> throw new IllegalStateException("width " + width);
        }
    }

    /** Bit {@code i} of {@code dst} = bit {@code rows[i]} of {@code src}, written a word at a time. */
    private static void gatherBits(long src, int[] rows, int count, long dst) {
        for (int base = 0; base < count; base += 64) {
            int end = Math.min(count, base + 64);
            long word = 0;
            for (int i = base; i < end; i++) {
                int r = rows[i];
                word |= (long) ((MemoryUtil.getByte(src + (r >>> 3)) >> (r & 7)) & 1) << (i - base);
            }
            MemoryUtil.putLong(dst + ((long) base >>> 3), word);
        }
    }

    /** Appends {@code src[rows[i]]} for each {@code i} through a started writer. */
    static void gatherVariable(FieldVector src, int[] rows, int count, VarWidthWriter writer) {
        long sv = src.getValidityBufferAddress();
        long so = src.getOffsetBufferAddress();
        long sd = src.getDataBufferAddress();
        if (src.getNullCount() == 0) {
            for (int i = 0; i < count; ) {
                int r = rows[i];
                int run = runLength(rows, i, count);
                if (run >= MIN_RUN) {
                    writer.appendRun(i, so, sd, r, run);
                    i += run;
                    continue;
                }
                int start = MemoryUtil.getInt(so + ((long) r << 2));
                int end = MemoryUtil.getInt(so + ((long) (r + 1) << 2));
                writer.append(i, sd + start, end - start);
                i++;
            }
            writer.setAllValid(count);
            return;
        }
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
