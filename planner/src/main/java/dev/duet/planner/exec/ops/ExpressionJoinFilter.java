package dev.duet.planner.exec.ops;

import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.VectorEvaluator;
import dev.duet.planner.exec.join.JoinFilter;
import java.util.Objects;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * A join's residual condition as a compiled expression over the join's candidate batch (the left
 * input's columns, then the right's). One per running join: the evaluator's vectors come from the
 * query's allocator. The join operator that is given this filter closes it when it closes.
 */
public final class ExpressionJoinFilter implements JoinFilter, AutoCloseable {
    private final CompiledExpression condition;
    private final QueryContext context;
    private final ImmutableBitSet reads;
    private VectorEvaluator evaluator;
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
        if (evaluator == null) {
            evaluator = condition.open(context);
        }
        int rows = candidates.getRowCount();
        return JoinFilter.selectTrue((BitVector) evaluator.evaluate(candidates, null, rows), rows, selection);
    }

    @Override
    public boolean readsColumn(int column) {
        return reads.get(column);
    }

    @Override
    public void close() {
        closed = true;
        if (evaluator != null) {
            evaluator.close();
            evaluator = null;
        }
    }

    @Override
    public String toString() {
        return condition.toString();
    }
}
