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
import dev.duet.planner.exec.parallel.Parallelizer;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.route.RouteMode;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.rel.RelNode;

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
    /** Nanoseconds the front end took to plan the statement (parse, validate, optimize); 0 if not measured. */
    private final long planningNanos;
    /**
     * The physical plan of the rows the statement reads, made on first execution (so that a
     * statement the executor cannot run yet still prepares). Immutable once set; two threads
     * racing to set it make equal plans (planning itself is serialized, see
     * {@link #physicalPlanOf}), so a plain volatile suffices.
     */
    private volatile PlanNode physical;
    /** As {@link #physical}, without key lookups (for {@link RouteMode#COLUMN}); set the same way. */
    private volatile PlanNode physicalWithoutKeys;
    /**
     * The last parallel plan made by {@link #queryPlan}, with the serial plan and thread count it
     * was made for; replaced whole through the volatile (sessions with other settings may race
     * to replace it, each with a plan that is right for its own settings).
     */
    private volatile ParallelPlan parallel;

    private record ParallelPlan(PlanNode serial, int threads, PlanNode plan) {
    }

    /**
     * For an INSERT of one row of parameters and literals, that row (see {@link ParameterRow});
     * else null. Set before {@link #physical}, whose volatile write publishes it.
     */
    private ParameterRow parameterRow;
    /**
     * For a query, UPDATE or DELETE whose rows are one primary key's, how to read them without
     * the plan (see {@link PointLookup}); else null. Set as {@link #parameterRow}.
     */
    private PointLookup pointLookup;

    Prepared(String sql, Catalog catalog, PlannedStatement statement, List<DataType> parameterTypes,
            List<OutputColumn> columns, long planningNanos) {
        this.planningNanos = planningNanos;
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
     * The time the front end took to plan this statement, in nanoseconds (EXPLAIN ANALYZE's
     * planning time). For a statement taken from the plan cache, the time of its first planning.
     */
    long planningNanos() {
        return planningNanos;
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
                parameterRow = ParameterRow.of(p, parameterTypes);
            }
            if (statement instanceof PlannedQuery
                    || statement instanceof PlannedDml d && d.operation() != PlannedDml.Operation.INSERT) {
                pointLookup = PointLookup.of(p);
            }
            physical = p;
        }
        return p;
    }

    /**
     * The physical plan for a session routed by {@code mode}: under {@link RouteMode#COLUMN}, a
     * plan without key lookups (made on first use and kept beside the other), else
     * {@link #physicalPlan()}.
     */
    PlanNode physicalPlan(RouteMode mode) {
        if (mode != RouteMode.COLUMN) {
            return physicalPlan();
        }
        PlanNode p = physicalWithoutKeys;
        if (p == null) {
            p = physicalPlanOf(statement, false);
            physicalWithoutKeys = p;
        }
        return p;
    }

    /**
     * The plan a query runs with in a session routed by {@code mode} with {@code duet.threads =
     * threads}: {@link #physicalPlan(RouteMode)} made parallel ({@link Parallelizer}) when
     * {@code threads} is 2 or more, itself otherwise.
     */
    PlanNode queryPlan(RouteMode mode, int threads) {
        PlanNode serial = physicalPlan(mode);
        if (threads < 2) {
            return serial;
        }
        ParallelPlan p = parallel;
        if (p == null || p.serial() != serial || p.threads() != threads) {
            p = new ParallelPlan(serial, threads, Parallelizer.parallelize(serial, threads));
            parallel = p;
        }
        return p.plan();
    }

    /** The row an INSERT of parameters and literals inserts, computed without its plan; null otherwise. */
    ParameterRow parameterRow() {
        physicalPlan();
        return parameterRow;
    }

    /**
     * For a query (or UPDATE / DELETE) reading one primary key, the lookup that reads it without its plan, for a
     * session routed by {@code mode} (never under {@link RouteMode#COLUMN}, which reads the column
     * store); null otherwise.
     */
    PointLookup pointLookup(RouteMode mode) {
        if (mode == RouteMode.COLUMN) {
            return null;
        }
        physicalPlan();
        return pointLookup;
    }

    /** The physical plan of what {@code statement} reads (see {@link #physicalPlan()}). */
    static PlanNode physicalPlanOf(PlannedStatement statement) {
        return physicalPlanOf(statement, true);
    }

    /** As above; without {@code keyAccess}, key filters stay filters (see {@link PhysicalPlanner#plan(RelNode, boolean)}). */
    static PlanNode physicalPlanOf(PlannedStatement statement, boolean keyAccess) {
        // A cached statement is shared between sessions, and Calcite's metadata caches on the
        // plan's cluster are not thread-safe: one physical planning of a statement at a time.
        synchronized (statement) {
            return physicalPlanOfLocked(statement, keyAccess);
        }
    }

    private static PlanNode physicalPlanOfLocked(PlannedStatement statement, boolean keyAccess) {
        if (statement instanceof PlannedQuery q) {
            return PhysicalPlanner.plan(q.plan(), keyAccess);
        }
        if (statement instanceof PlannedDml d) {
            return PhysicalPlanner.plan(d.modify().getInput(), keyAccess);
        }
        if (statement instanceof CreateTable c && c.query() != null) {
            return PhysicalPlanner.plan(c.query().plan(), keyAccess);
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
