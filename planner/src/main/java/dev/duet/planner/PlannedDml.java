package dev.duet.planner;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableModify;

/**
 * An INSERT, UPDATE or DELETE ready for physical planning. The plan's root is a Calcite
 * {@link TableModify} on {@link #table()}; its input produces, for INSERT, complete rows in the
 * table's column order (omitted columns already filled with their defaults or NULL); for DELETE,
 * the table's rows to delete; for UPDATE, the table's rows followed by the new values of
 * {@link TableModify#getUpdateColumnList()}.
 */
public record PlannedDml(Operation operation, TableDef table, RelNode plan, List<DataType> parameterTypes, String sql)
        implements PlannedStatement {
    /** The modification. */
    public enum Operation {
        INSERT, UPDATE, DELETE
    }

    public PlannedDml {
        Objects.requireNonNull(operation, "operation is null");
        Objects.requireNonNull(table, "table is null");
        Objects.requireNonNull(plan, "plan is null");
        parameterTypes = List.copyOf(parameterTypes);
        Objects.requireNonNull(sql, "sql is null");
        if (!(plan instanceof TableModify)) {
            throw new IllegalStateException("DML plan root is not a TableModify: " + plan);
        }
    }

    @Override
    public Kind kind() {
        return Kind.DML;
    }

    /** The root of the plan. */
    public TableModify modify() {
        return (TableModify) plan;
    }

    /** The plan as Calcite's EXPLAIN text (one operator per line). */
    public String explain() {
        return RelOptUtil.toString(plan);
    }
}
