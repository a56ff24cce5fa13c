package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.ops.AggregateCall;
import dev.duet.planner.exec.ops.AggregateSpec;
import dev.duet.planner.exec.ops.HashAggregateOperator;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** GROUP BY and aggregates, run by {@link HashAggregateOperator}: the key columns, then one column per aggregate. */
public final class AggregateNode implements PlanNode {
    private final PlanNode input;
    private final AggregateSpec spec;
    private final List<BatchColumn> columns;

    public AggregateNode(PlanNode input, AggregateSpec spec) {
        this.input = Objects.requireNonNull(input, "input is null");
        this.spec = Objects.requireNonNull(spec, "spec is null");
        List<BatchColumn> cols = new ArrayList<>();
        for (int k : spec.groupKeys()) {
            cols.add(input.columns().get(k));
        }
        for (AggregateCall call : spec.aggregates()) {
            cols.add(new BatchColumn(call.name(), call.type(), call.nullable()));
        }
        this.columns = List.copyOf(cols);
    }

    public AggregateSpec spec() {
        return spec;
    }

    @Override
    public List<BatchColumn> columns() {
        return columns;
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public PlanNode withInputs(List<PlanNode> inputs) {
        return new AggregateNode(inputs.get(0), spec);
    }

    @Override
    public String describe() {
        return "HashAggregate(" + spec + ")";
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        return PlanNode.createOver(inputs(), context, transaction, in -> new HashAggregateOperator(context, in.get(0), spec));
    }
}
