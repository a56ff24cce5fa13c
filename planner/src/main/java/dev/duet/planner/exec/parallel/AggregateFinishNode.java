package dev.duet.planner.exec.parallel;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.ops.AggregateFinishOperator;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.rowstore.Transaction;
import java.util.List;
import java.util.Objects;

/**
 * The end of a two-phase aggregation ({@link Parallelizer}): gives the final phase's rows the
 * columns of the aggregate it replaced, computing averages from merged sums and counts (see
 * {@link AggregateFinishOperator}).
 */
public final class AggregateFinishNode implements PlanNode {
    private final PlanNode input;
    private final List<BatchColumn> columns;
    private final int[] source;
    private final int[] countColumn;

    /** See {@link AggregateFinishOperator#AggregateFinishOperator}. */
    public AggregateFinishNode(PlanNode input, List<BatchColumn> columns, int[] source, int[] countColumn) {
        this.input = Objects.requireNonNull(input, "input is null");
        this.columns = List.copyOf(columns);
        this.source = source.clone();
        this.countColumn = countColumn.clone();
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
        return new AggregateFinishNode(inputs.get(0), columns, source, countColumn);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("AggregateFinish(");
        String sep = "";
        for (int j = 0; j < columns.size(); j++) {
            if (countColumn[j] >= 0) {
                sb.append(sep).append(columns.get(j).name()).append("=$").append(source[j]).append(" / $")
                        .append(countColumn[j]);
                sep = ", ";
            }
        }
        return sb.append(')').toString();
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        return PlanNode.createOver(inputs(), context, transaction,
                in -> new AggregateFinishOperator(context, in.get(0), columns, source, countColumn));
    }
}
