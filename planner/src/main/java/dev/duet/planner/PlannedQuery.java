package dev.duet.planner;

import dev.duet.core.types.DataType;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;

/**
 * A query ready for physical planning: the optimized logical plan (Calcite logical operators, no
 * correlates, no sub-queries), the result columns, and the types of its {@code ?} parameters.
 * The plan's output fields correspond one to one, in order, to {@link #columns()}; field names
 * inside the plan may differ (rules rename freely), the column names here are the ones the
 * client sees.
 */
public record PlannedQuery(RelNode plan, List<OutputColumn> columns, List<DataType> parameterTypes, String sql)
        implements PlannedStatement {
    public PlannedQuery {
        Objects.requireNonNull(plan, "plan is null");
        columns = List.copyOf(columns);
        parameterTypes = List.copyOf(parameterTypes);
        Objects.requireNonNull(sql, "sql is null");
        if (plan.getRowType().getFieldCount() != columns.size()) {
            throw new IllegalStateException("plan has " + plan.getRowType().getFieldCount()
                    + " fields but " + columns.size() + " output columns");
        }
    }

    @Override
    public Kind kind() {
        return Kind.QUERY;
    }

    public List<String> columnNames() {
        return columns.stream().map(OutputColumn::name).toList();
    }

    public List<DataType> columnTypes() {
        return columns.stream().map(OutputColumn::type).toList();
    }

    /** The plan as Calcite's EXPLAIN text (one operator per line). */
    public String explain() {
        return RelOptUtil.toString(plan);
    }
}
