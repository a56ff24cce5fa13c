package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.ops.FilterOperator;
import dev.duet.rowstore.Transaction;
import java.util.List;
import java.util.Objects;

/** Keeps the input rows for which {@code condition} is TRUE. */
public final class FilterNode implements PlanNode {
    private final PlanNode input;
    private final CompiledExpression condition;

    public FilterNode(PlanNode input, CompiledExpression condition) {
        this.input = Objects.requireNonNull(input, "input is null");
        this.condition = Objects.requireNonNull(condition, "condition is null");
    }

    public CompiledExpression condition() {
        return condition;
    }

    @Override
    public List<BatchColumn> columns() {
        return input.columns();
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public PlanNode withInputs(List<PlanNode> inputs) {
        return new FilterNode(inputs.get(0), condition);
    }

    @Override
    public String describe() {
        return "Filter(condition=" + condition + ")";
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        Operator in = PlanNode.instantiate(input, context, transaction);
        try {
            return new FilterOperator(context, in, condition);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
