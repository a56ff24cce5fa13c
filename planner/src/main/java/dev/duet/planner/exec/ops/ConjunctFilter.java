package dev.duet.planner.exec.ops;

import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.VectorEvaluator;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A filter's predicate, applied to a batch as a chain: an AND is taken apart into its operands
 * ({@link CompiledExpression#conjuncts()}, already in evaluation order), and each operand is
 * evaluated only over the rows every operand before it kept, narrowing one selection vector in
 * place. Where a filter only needs the rows whose predicate is TRUE, this skips the AND's
 * three-valued merging of result bitmaps, and each later operand reads just the surviving rows.
 * Any other predicate is one link.
 */
final class ConjunctFilter implements AutoCloseable {
    private final VectorEvaluator[] links;
    private final Selection selection = new Selection();

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
        int[] rows = null;
        int count = n;
        for (VectorEvaluator link : links) {
            FieldVector result = link.evaluate(batch, rows, count);
            // in place: the i-th kept row is written at an index <= i
            count = selection.select(result, count, rows);
            rows = selection.rows();
            if (count == 0) {
                break;
            }
        }
        return count;
    }

    int[] rows() {
        return selection.rows();
    }

    @Override
    public void close() {
        for (VectorEvaluator link : links) {
            link.close();
        }
    }
}
