package dev.duet.planner.exec.ops;

import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.VectorEvaluator;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A filter's predicate, applied to a batch as a chain: an AND is taken apart into its operands
 * ({@link CompiledExpression#conjuncts()}, already in evaluation order), and each operand selects
 * ({@link VectorEvaluator#select}) among the rows every operand before it kept, narrowing one
 * selection vector in place. Where a filter only needs the rows whose predicate is TRUE, this
 * skips the AND's three-valued merging of result bitmaps, and each later operand reads just the
 * surviving rows; a comparison of columns tests them where they are in the batch, without
 * gathering them first. Any other predicate is one link.
 */
final class ConjunctFilter implements AutoCloseable {
    private final VectorEvaluator[] links;
    /** The selected rows, narrowed in place by each link. */
    private int[] rows = new int[0];

    /** Opens the evaluators of {@code predicate} (a BOOLEAN expression) under {@code context}. */
    ConjunctFilter(CompiledExpression predicate, QueryContext context) {
        List<CompiledExpression> parts = predicate.conjuncts().isEmpty() ? List.of(predicate) : predicate.conjuncts();
        List<VectorEvaluator> opened = new ArrayList<>(parts.size());
        try {
            for (CompiledExpression p : parts) {
                opened.add(p.open(context));
            }
        } catch (RuntimeException e) {
            opened.forEach(VectorEvaluator::close);
            throw e;
        }
        links = opened.toArray(new VectorEvaluator[0]);
    }

    /**
     * Selects the rows of {@code batch} ({@code n} rows) for which the predicate is TRUE; returns
     * how many, whose indexes (increasing) are then {@link #rows()}{@code [0..count)}.
     */
    int select(VectorSchemaRoot batch, int n) {
        if (rows.length < n) {
            rows = new int[Math.max(n, 64)];
        }
        int count = n;
        for (int i = 0; i < links.length && count > 0; i++) {
            // in place: the i-th kept row is written at an index <= i
            count = links[i].select(batch, i == 0 ? null : rows, count, rows);
        }
        return count;
    }

    int[] rows() {
        return rows;
    }

    @Override
    public void close() {
        for (VectorEvaluator link : links) {
            link.close();
        }
    }
}
