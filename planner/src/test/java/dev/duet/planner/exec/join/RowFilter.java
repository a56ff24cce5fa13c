package dev.duet.planner.exec.join;

import dev.duet.core.exec.Batches;
import java.util.Arrays;
import java.util.function.Predicate;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A {@link JoinFilter} in plain Java for tests: the predicate gets each candidate row (left
 * values then right values, canonical Java objects) and returns TRUE, FALSE or null (unknown,
 * which rejects). Optionally says it reads only some columns, and then checks that the others
 * came NULL, as the join promises nothing else about them.
 */
final class RowFilter implements JoinFilter {
    interface RowPredicate {
        Boolean test(Object[] row);
    }

    private final String text;
    private final RowPredicate predicate;
    private final int[] reads;

    RowFilter(String text, RowPredicate predicate, int... reads) {
        this.text = text;
        this.predicate = predicate;
        this.reads = reads.length == 0 ? null : reads.clone();
    }

    /** The predicate as the reference join uses it: TRUE only. */
    Predicate<Object[]> accepts() {
        return row -> Boolean.TRUE.equals(predicate.test(row));
    }

    @Override
    public int filter(VectorSchemaRoot candidates, int[] selection) {
        int n = 0;
        for (int i = 0; i < candidates.getRowCount(); i++) {
            Object[] row = new Object[candidates.getFieldVectors().size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = Batches.get(candidates.getVector(c), i);
                if (row[c] != null && !readsColumn(c)) {
                    throw new AssertionError("column " + c + " is not read by " + text + " but holds " + row[c]);
                }
            }
            if (Boolean.TRUE.equals(predicate.test(row))) {
                selection[n++] = i;
            }
        }
        return n;
    }

    @Override
    public boolean readsColumn(int column) {
        return reads == null || Arrays.stream(reads).anyMatch(c -> c == column);
    }

    @Override
    public String toString() {
        return text;
    }
}
