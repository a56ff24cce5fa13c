package dev.duet.planner.exec.expr;

import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code CASE WHEN c1 THEN v1 ... ELSE e END} (also what COALESCE and NULLIF become). Each
 * condition is evaluated only for the rows no earlier condition took, and each value only for the
 * rows whose branch it is, so a branch that would fail on rows it does not get ({@code CASE WHEN
 * x <> 0 THEN 1 / x END}) does not. The branch results are then merged into the output in row
 * order.
 */
final class CaseEvaluator extends ComputedEvaluator {
    private final VectorEvaluator[] conditions;
    /** One per condition, plus the ELSE value last (null for ELSE NULL). */
    private final VectorEvaluator[] values;
    private final int width;
    private final VarWidthWriter writer;

    private int[] remaining = new int[0];
    private int[] remainingRows = new int[0];
    private int[] branchOf = new int[0];
    private int[] indexInBranch = new int[0];
    private int[][] branchRows;
    private int[] branchCount;
    private final FieldVector[] results;

    CaseEvaluator(DataType type, BufferAllocator allocator, VectorEvaluator[] conditions, VectorEvaluator[] values) {
        super(type, allocator, children(conditions, values));
        this.conditions = conditions;
        this.values = values;
        this.width = width(type);
        this.writer = width == VARIABLE ? new VarWidthWriter(out) : null;
        this.branchRows = new int[values.length][0];
        this.branchCount = new int[values.length];
        this.results = new FieldVector[values.length];
    }

    private static VectorEvaluator[] children(VectorEvaluator[] conditions, VectorEvaluator[] values) {
        List<VectorEvaluator> all = new ArrayList<>(List.of(conditions));
        for (VectorEvaluator v : values) {
            if (v != null) {
                all.add(v);
            }
        }
        return all.toArray(new VectorEvaluator[0]);
    }

    @Override
    public FieldVector evaluate(VectorSchemaRoot batch, int[] rows, int count) {
        if (remaining.length < count) {
            remaining = new int[count];
            remainingRows = new int[count];
            branchOf = new int[count];
            indexInBranch = new int[count];
        }
        int m = count;
        for (int i = 0; i < count; i++) {
            remaining[i] = i;
            remainingRows[i] = row(rows, i);
            branchOf[i] = -1;
        }
        Arrays.fill(branchCount, 0);
        for (int k = 0; k < conditions.length && m > 0; k++) {
            FieldVector c = conditions[k].evaluate(batch, m == count ? rows : remainingRows, m);
            long cv = c.getValidityBufferAddress();
            long cd = c.getDataBufferAddress();
            int left = 0;
            for (int j = 0; j < m; j++) {
                int i = remaining[j];
                if (Bitmaps.get(cv, j) && Bitmaps.get(cd, j)) {
                    take(k, i, remainingRows[j]);
                } else {
                    remaining[left] = i;
                    remainingRows[left++] = remainingRows[j];
                }
            }
            m = left;
        }
        int elseBranch = values.length - 1;
        if (values[elseBranch] != null) {
            for (int j = 0; j < m; j++) {
                take(elseBranch, remaining[j], remainingRows[j]);
            }
        }
        for (int k = 0; k < values.length; k++) {
            int n = branchCount[k];
            results[k] = n == 0 ? null : values[k].evaluate(batch, n == count ? rows : branchRows[k], n);
        }
        return merge(count);
    }

    private void take(int branch, int position, int batchRow) {
        int n = branchCount[branch];
        if (branchRows[branch].length <= n) {
            branchRows[branch] = Arrays.copyOf(branchRows[branch], Math.max(16, remaining.length));
        }
        branchRows[branch][n] = batchRow;
        branchOf[position] = branch;
        indexInBranch[position] = n;
        branchCount[branch] = n + 1;
    }

    private FieldVector merge(int count) {
        if (writer != null) {
            writer.start(count);
            for (int i = 0; i < count; i++) {
                int k = branchOf[i];
                FieldVector src = k < 0 ? null : results[k];
                int j = indexInBranch[i];
                if (src == null || !Bitmaps.get(src.getValidityBufferAddress(), j)) {
                    writer.setNull(i);
                    continue;
                }
                long offsets = src.getOffsetBufferAddress();
                int start = MemoryUtil.getInt(offsets + 4L * j);
                int end = MemoryUtil.getInt(offsets + 4L * j + 4);
                writer.write(i, src.getDataBufferAddress() + start, end - start);
            }
            return writer.finish(count);
        }
        prepare(count);
        long ov = out.getValidityBufferAddress();
        long od = out.getDataBufferAddress();
        Bitmaps.clearAll(ov, count);
        if (width == BIT) {
            Bitmaps.clearAll(od, count);
        }
        for (int i = 0; i < count; i++) {
            int k = branchOf[i];
            FieldVector src = k < 0 ? null : results[k];
            int j = indexInBranch[i];
            if (src == null || !Bitmaps.get(src.getValidityBufferAddress(), j)) {
                continue;
            }
            Bitmaps.set(ov, i);
            long sd = src.getDataBufferAddress();
            switch (width) {
                case BIT -> {
                    if (Bitmaps.get(sd, j)) {
                        Bitmaps.set(od, i);
                    }
                }
                case 2 -> MemoryUtil.putShort(od + 2L * i, MemoryUtil.getShort(sd + 2L * j));
                case 4 -> MemoryUtil.putInt(od + 4L * i, MemoryUtil.getInt(sd + 4L * j));
                case 8 -> MemoryUtil.putLong(od + 8L * i, MemoryUtil.getLong(sd + 8L * j));
                case 16 -> {
                    MemoryUtil.putLong(od + 16L * i, MemoryUtil.getLong(sd + 16L * j));
                    MemoryUtil.putLong(od + 16L * i + 8, MemoryUtil.getLong(sd + 16L * j + 8));
                }
                default -> throw new IllegalStateException();
            }
        }
        return finish(count);
    }
}
