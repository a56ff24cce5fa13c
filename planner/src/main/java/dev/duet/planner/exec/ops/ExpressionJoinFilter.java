package dev.duet.planner.exec.ops;

import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.join.JoinFilter;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A join's residual condition as a compiled expression over the join's candidate batch (the left
 * input's columns, then the right's). One per running join: the evaluator's vectors come from the
 * query's allocator. The join operator that is given this filter closes it when it closes.
 *
 * <p>The condition selects rather than evaluates: it runs as the filters' chain
 * ({@link ConjunctFilter}), each operand of an AND testing only the candidates every operand
 * before it kept, with the kernels' in-place {@code select} (a comparison of two columns reads
 * them where they are), so no BOOLEAN result vector is built and merged for the whole batch.
 */
public final class ExpressionJoinFilter implements JoinFilter, AutoCloseable {
    private final CompiledExpression condition;
    private final QueryContext context;
    private final ImmutableBitSet reads;
    /** Opened at the first batch, so that a join whose build side is empty opens nothing. */
    private ConjunctFilter chain;
    private boolean closed;

    public ExpressionJoinFilter(CompiledExpression condition, QueryContext context) {
        this.condition = Objects.requireNonNull(condition, "condition is null");
        this.context = Objects.requireNonNull(context, "context is null");
        if (condition.type().kind() != DataType.Kind.BOOLEAN) {
            throw new IllegalArgumentException("join condition is of type " + condition.type());
        }
        this.reads = RelOptUtil.InputFinder.bits(condition.source());
    }

    @Override
    public int filter(VectorSchemaRoot candidates, int[] selection) {
        if (closed) {
            throw new IllegalStateException("join filter is closed");
        }
        if (chain == null) {
            chain = new ConjunctFilter(condition, context);
        }
        int kept = chain.select(candidates, candidates.getRowCount());
        System.arraycopy(chain.rows(), 0, selection, 0, kept);
        return kept;
    }

    @Override
    public boolean readsColumn(int column) {
        return reads.get(column);
    }

    @Override
    public void close() {
        closed = true;
        if (chain != null) {
            chain.close();
            chain = null;
        }
    }

    @Override
    public String toString() {
        return condition.toString();
    }
}
