package dev.duet.planner.exec.ops;

import dev.duet.planner.exec.expr.Bitmaps;
import org.apache.arrow.vector.FieldVector;

/**
 * The rows a predicate keeps: the indexes of the rows whose result is TRUE (NULL and FALSE drop),
 * found 64 rows at a time from the AND of the result's validity and value bitmaps.
 */
final class Selection {
    private int[] rows = new int[0];

    /**
     * Selects from a predicate result over {@code count} rows whose {@code i}-th value belongs to
     * batch row {@code inputRows[i]} (or {@code i} when {@code inputRows} is null); returns how
     * many rows were kept, whose batch indexes are then {@link #rows()}{@code [0..n)}.
     */
    int select(FieldVector predicate, int count, int[] inputRows) {
        if (rows.length < count) {
            rows = new int[Math.max(count, 64)];
        }
        long validity = predicate.getValidityBufferAddress();
        long values = predicate.getDataBufferAddress();
        int n = 0;
        for (int w = 0; w < Bitmaps.words(count); w++) {
            long bits = Bitmaps.word(validity, w, count) & Bitmaps.word(values, w, count);
            int base = w << 6;
            if (base + 64 > count) {
                bits &= (1L << (count - base)) - 1;
            }
            while (bits != 0) {
                int i = base + Long.numberOfTrailingZeros(bits);
                rows[n++] = inputRows == null ? i : inputRows[i];
                bits &= bits - 1;
            }
        }
        return n;
    }

    int[] rows() {
        return rows;
    }
}
