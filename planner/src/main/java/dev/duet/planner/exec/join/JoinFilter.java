package dev.duet.planner.exec.join;

import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A join's residual condition: the part of the ON clause that is not an equi-join key, such as
 * {@code b.x > 5} or {@code a.lo <= b.v AND b.v < a.hi}, and the whole condition of a nested-loop
 * join. It is evaluated a batch of candidate pairs at a time, so that the vectorized expression
 * evaluator plugs in directly: it evaluates the condition over a {@link VectorSchemaRoot} and
 * yields a {@link BitVector}, which {@link #selectTrue} turns into the selection this interface
 * returns.
 *
 * <p>The candidate batch holds the left input's columns followed by the right input's (for SEMI
 * and ANTI joins too); column {@code i} of the right input is column {@code leftColumns + i}.
 * Columns the condition does not read ({@link #readsColumn}) may be all NULL. The batch belongs to
 * the join: the filter reads it and must not close, resize or keep it.
 *
 * <p>{@link #toString()} is how EXPLAIN shows the condition. A filter that holds resources (an
 * evaluator's vectors) implements {@link AutoCloseable}: the join it is given to owns it and
 * closes it when the join closes.
 */
@FunctionalInterface
public interface JoinFilter {
    /**
     * Evaluates the condition on every row of {@code candidates}; writes the positions of the
     * rows where it is TRUE (not FALSE, not NULL) to {@code selection}, ascending, and returns
     * how many there are. {@code selection} has room for every row.
     */
    int filter(VectorSchemaRoot candidates, int[] selection);

    /**
     * Whether the condition reads {@code column} of the candidate batch (left columns then right
     * columns). The join copies only the columns read into the candidate batch, and a semi- or
     * anti-join keeps only those of its build side. The default says every column.
     */
    default boolean readsColumn(int column) {
        return true;
    }

    /**
     * The selection for a condition evaluated to {@code result} (one value per row of a batch of
     * {@code rows} rows): the positions where it is TRUE, since NULL and FALSE both reject.
     */
    static int selectTrue(BitVector result, int rows, int[] selection) {
        if (rows > result.getValueCount()) {
            throw new IllegalArgumentException("the result has " + result.getValueCount() + " values for " + rows + " rows");
        }
        long validity = result.getValidityBufferAddress();
        long values = result.getDataBufferAddress();
        int n = 0;
        for (int i = 0; i < rows; i += 8) {
            int bits = MemoryUtil.getByte(validity + (i >>> 3)) & MemoryUtil.getByte(values + (i >>> 3)) & 0xFF;
            if (rows - i < 8) {
                bits &= (1 << (rows - i)) - 1;
            }
            while (bits != 0) {
                selection[n++] = i + Integer.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        return n;
    }
}
