package dev.duet.engine.sql;

import dev.duet.core.catalog.Catalog;
import dev.duet.core.types.DataType;
import dev.duet.planner.CopyStatement;
import dev.duet.planner.OutputColumn;
import dev.duet.planner.PlannedDml;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.PlannedStatement;
import dev.duet.planner.ddl.CreateTable;
import dev.duet.planner.exec.PhysicalPlanner;
import dev.duet.planner.exec.plan.PlanNode;
import java.util.List;
import java.util.Objects;

/**
 * One statement planned against one catalog version: immutable, shareable between sessions and
 * threads. {@link Session#execute(Prepared, List)} runs it without planning again as long as the
 * catalog it sees is still the one it was planned against, and re-plans from {@link #sql()}
 * otherwise.
 */
public final class Prepared {
    private final String sql;
    private final Catalog catalog;
    private final PlannedStatement statement;
    private final List<DataType> parameterTypes;
    private final List<OutputColumn> columns;
    /**
     * The physical plan of the rows the statement reads, made on first execution (so that a
     * statement the executor cannot run yet still prepares). Immutable once set; two threads
     * racing to set it make equal plans (planning itself is serialized, see
     * {@link #physicalPlanOf}), so a plain volatile suffices.
     */
    private volatile PlanNode physical;
    /**
     * For an INSERT of one row of parameters and literals, that row (see {@link ParameterRow});
     * else null. Set before {@link #physical}, whose volatile write publishes it.
     */
    private ParameterRow parameterRow;

    Prepared(String sql, Catalog catalog, PlannedStatement statement, List<DataType> parameterTypes,
            List<OutputColumn> columns) {
        this.sql = Objects.requireNonNull(sql, "sql is null");
        this.catalog = Objects.requireNonNull(catalog, "catalog is null");
        this.statement = Objects.requireNonNull(statement, "statement is null");
        this.parameterTypes = List.copyOf(parameterTypes);
        this.columns = List.copyOf(columns);
    }

    /** The statement's text as submitted. */
    public String sql() {
        return sql;
    }

    /** The types of the parameters, by index ({@code ?} in order; {@code $n} is index n-1). */
    public List<DataType> parameterTypes() {
        return parameterTypes;
    }

    /** The columns the statement returns; empty unless it returns rows. */
    public List<OutputColumn> columns() {
        return columns;
    }

    /** The catalog this plan was made against (compared by identity: catalogs are immutable). */
    Catalog catalog() {
        return catalog;
    }

    PlannedStatement statement() {
        return statement;
    }

    /**
     * The physical plan of what the statement reads: a query's rows, the input of INSERT /
     * UPDATE / DELETE, the query of CREATE TABLE AS or of COPY TO. 0A000 if the executor cannot run it.
     */
    PlanNode physicalPlan() {
        PlanNode p = physical;
        if (p == null) {
            p = physicalPlanOf(statement);
            if (statement instanceof PlannedDml d && d.operation() == PlannedDml.Operation.INSERT) {
                parameterRow = ParameterRow.of(p);
            }
            physical = p;
        }
        return p;
    }

    /** The row an INSERT of parameters and literals inserts, computed without its plan; null otherwise. */
    ParameterRow parameterRow() {
        physicalPlan();
        return parameterRow;
    }

    /** The physical plan of what {@code statement} reads (see {@link #physicalPlan()}). */
    static PlanNode physicalPlanOf(PlannedStatement statement) {
        // A cached statement is shared between sessions, and Calcite's metadata caches on the
        // plan's cluster are not thread-safe: one physical planning of a statement at a time.
        synchronized (statement) {
            return physicalPlanOfLocked(statement);
        }
    }

    private static PlanNode physicalPlanOfLocked(PlannedStatement statement) {
        if (statement instanceof PlannedQuery q) {
            return PhysicalPlanner.plan(q.plan());
        }
        if (statement instanceof PlannedDml d) {
            return PhysicalPlanner.plan(d.modify().getInput());
        }
        if (statement instanceof CreateTable c && c.query() != null) {
            return PhysicalPlanner.plan(c.query().plan());
        }
        if (statement instanceof CopyStatement c && c.to()) {
            return PhysicalPlanner.plan(c.query().plan());
        }
        throw new IllegalStateException("statement reads no rows: " + statement.sql());
    }

    @Override
    public String toString() {
        return "Prepared[" + sql + "]";
    }
}
