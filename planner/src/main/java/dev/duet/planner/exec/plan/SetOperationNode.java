package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.join.SetOperationColumns;
import dev.duet.planner.exec.join.SetOperationOperator;
import dev.duet.planner.exec.join.SetOperationSpec;
import dev.duet.planner.exec.join.UnionAllOperator;
import dev.duet.rowstore.Transaction;
import java.util.List;
import java.util.Objects;

/**
 * {@code UNION [ALL]}, {@code INTERSECT [ALL]}, {@code EXCEPT [ALL]} over two or more inputs whose
 * columns are of one type each: {@link UnionAllOperator} for UNION ALL, else
 * {@link SetOperationOperator}.
 */
public final class SetOperationNode implements PlanNode {
    private final SetOperationSpec.Kind kind;
    private final boolean all;
    private final List<PlanNode> inputs;
    private final List<BatchColumn> columns;
    private final long rowsEstimate;

    public SetOperationNode(SetOperationSpec.Kind kind, boolean all, List<PlanNode> inputs, long rowsEstimate) {
        this.kind = Objects.requireNonNull(kind, "kind is null");
        this.all = all;
        this.inputs = List.copyOf(inputs);
        this.rowsEstimate = rowsEstimate;
        String name = kind + (all ? " ALL" : "");
        this.columns = SetOperationColumns.ofColumns(name, this.inputs.stream().map(PlanNode::columns).toList());
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public List<PlanNode> inputs() {
        return inputs;
    }

    @Override
    public PlanNode withInputs(List<PlanNode> inputs) {
        return new SetOperationNode(kind, all, inputs, rowsEstimate);
    }

    @Override
    public String describe() {
        String name = kind.name().charAt(0) + kind.name().substring(1).toLowerCase(java.util.Locale.ROOT);
        return name + (all ? "All" : "") + "(columns=" + columns.stream().map(BatchColumn::name).toList() + ")";
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        return PlanNode.createOver(inputs, context, transaction, in -> kind == SetOperationSpec.Kind.UNION && all
                ? new UnionAllOperator(context, in)
                : new SetOperationOperator(context, new SetOperationSpec(kind, all, rowsEstimate), in));
    }
}
