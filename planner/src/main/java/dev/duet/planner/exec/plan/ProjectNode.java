package dev.duet.planner.exec.plan;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.planner.exec.expr.CommonSubexpressions;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.ops.ProjectOperator;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Computes {@code projections} from the input's rows, after keeping only those for which
 * {@code filter} is TRUE when there is one (a Filter fused into the Project above it);
 * subexpressions several projections compute are computed once ({@link CommonSubexpressions}).
 */
public final class ProjectNode implements PlanNode {
    private final PlanNode input;
    private final List<CompiledExpression> projections;
    private final List<String> names;
    private final CompiledExpression filter;
    private final List<BatchColumn> columns;
    /** The projections' common subexpressions, found once per plan. */
    private final CommonSubexpressions common;

    /** @param filter a BOOLEAN predicate over the input, or null */
    public ProjectNode(PlanNode input, List<CompiledExpression> projections, List<String> names, CompiledExpression filter) {
        this.input = Objects.requireNonNull(input, "input is null");
        this.projections = List.copyOf(projections);
        this.names = List.copyOf(names);
        this.filter = filter;
        if (this.names.size() != this.projections.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + projections.size() + " projections");
        }
        List<BatchColumn> cols = new ArrayList<>();
        for (int i = 0; i < this.projections.size(); i++) {
            CompiledExpression e = this.projections.get(i);
            cols.add(new BatchColumn(this.names.get(i), e.type(), e.nullable()));
        }
        this.columns = List.copyOf(cols);
        this.common = CommonSubexpressions.of(this.projections, input.columns());
    }

    public List<CompiledExpression> projections() {
        return projections;
    }

    /** The fused filter, or null. */
    public CompiledExpression filter() {
        return filter;
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
        return new ProjectNode(inputs.get(0), projections, names, filter);
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Project(");
        for (int i = 0; i < projections.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append('=').append(projections.get(i));
        }
        if (filter != null) {
            sb.append(projections.isEmpty() ? "" : ", ").append("filter=").append(filter);
        }
        return sb.append(')').toString();
    }

    @Override
    public Operator createOperator(QueryContext context, Transaction transaction) {
        Operator in = PlanNode.instantiate(input, context, transaction);
        try {
            return new ProjectOperator(context, in, common, names, filter);
        } catch (RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
