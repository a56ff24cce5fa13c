package dev.duet.planner.exec;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.catalog.DuetTable;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.ExpressionCompiler;
import dev.duet.planner.exec.plan.FilterNode;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.ProjectNode;
import dev.duet.planner.exec.plan.TableScanNode;
import dev.duet.planner.exec.plan.ValuesNode;
import dev.duet.planner.types.TypeMapping;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Turns an optimized logical plan ({@link dev.duet.planner.PlannedQuery#plan()}) into a physical
 * plan of {@link PlanNode}s. Handles TableScan (a row-store scan of only the columns the plan
 * above uses), Filter, Project (a Filter right below a Project is fused into it) and Values; any
 * other node fails with 0A000 naming it.
 *
 * <p>Each node is planned for the fields its parent needs: {@link #plan(RelNode, ImmutableBitSet)}
 * returns the node and where each needed field of the logical node is among its columns. The
 * root's columns are exactly the logical plan's fields, in order.
 */
public final class PhysicalPlanner {
    private PhysicalPlanner() {
    }

    /** The physical plan of {@code rel}; 0A000 if it contains a node the executor cannot run yet. */
    public static PlanNode plan(RelNode rel) {
        Objects.requireNonNull(rel, "rel is null");
        int n = rel.getRowType().getFieldCount();
        Planned p = new PhysicalPlanner().plan(rel, ImmutableBitSet.range(n));
        boolean identity = p.node.columns().size() == n;
        for (int i = 0; i < n && identity; i++) {
            identity = p.fieldToColumn[i] == i;
        }
        if (identity) {
            return p.node;
        }
        // Reorder (or drop) columns so that the root has exactly the plan's fields.
        List<CompiledExpression> refs = new ArrayList<>();
        List<String> names = new ArrayList<>();
        RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        for (int i = 0; i < n; i++) {
            RelDataTypeField f = rel.getRowType().getFieldList().get(i);
            refs.add(ExpressionCompiler.compile(rexBuilder.makeInputRef(f.getType(), p.fieldToColumn[i]),
                    p.node.columns(), rexBuilder));
            names.add(f.getName());
        }
        return new ProjectNode(p.node, refs, names, null);
    }

    /** Plans {@code rel} and creates its operator tree for one execution (see {@link PlanNode#createOperator}). */
    public static Operator plan(RelNode rel, QueryContext context, Transaction transaction) {
        return plan(rel).createOperator(context, transaction);
    }

    /**
     * A physical node for a logical one, producing (at least) the needed fields:
     * {@code fieldToColumn[f]} is the column of {@code node} holding field {@code f}, -1 if absent.
     */
    private record Planned(PlanNode node, int[] fieldToColumn) {
    }

    private Planned plan(RelNode rel, ImmutableBitSet needed) {
        if (rel instanceof TableScan scan) {
            return scan(scan, needed);
        }
        if (rel instanceof Project project) {
            return project(project, needed);
        }
        if (rel instanceof Filter filter) {
            return filter(filter, needed);
        }
        if (rel instanceof Values values) {
            return values(values);
        }
        throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                "%s is not supported by the executor yet", rel.getRelTypeName());
    }

    private Planned scan(TableScan scan, ImmutableBitSet needed) {
        DuetTable table = scan.getTable().unwrap(DuetTable.class);
        if (table == null) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "scan of %s is not supported by the executor",
                    scan.getTable().getQualifiedName());
        }
        TableDef def = table.tableDef();
        int[] columns = needed.toArray();
        int[] map = new int[scan.getRowType().getFieldCount()];
        Arrays.fill(map, -1);
        for (int j = 0; j < columns.length; j++) {
            map[columns[j]] = j;
        }
        return new Planned(new TableScanNode(def, columns), map);
    }

    private Planned filter(Filter filter, ImmutableBitSet needed) {
        RexNode condition = filter.getCondition();
        KeyAccessPlanner.Access key = KeyAccessPlanner.plan(filter.getInput(), condition, needed);
        if (key != null) {
            return new Planned(key.node(), key.fieldToColumn());
        }
        Planned in = plan(filter.getInput(), needed.union(RelOptUtil.InputFinder.bits(condition)));
        CompiledExpression c = compile(filter, condition, in);
        return new Planned(new FilterNode(in.node, c), in.fieldToColumn);
    }

    private Planned project(Project project, ImmutableBitSet needed) {
        List<RexNode> exprs = project.getProjects();
        ImmutableBitSet used = RelOptUtil.InputFinder.bits(needed.asList().stream().map(exprs::get).toList(), null);
        RexNode condition = null;
        RelNode below = project.getInput();
        if (below instanceof Filter f) {
            condition = f.getCondition();
            below = f.getInput();
            used = used.union(RelOptUtil.InputFinder.bits(condition));
        }
        KeyAccessPlanner.Access key = condition == null ? null : KeyAccessPlanner.plan(below, condition, used);
        Planned in = key != null ? new Planned(key.node(), key.fieldToColumn()) : plan(below, used);
        CompiledExpression filter = condition == null || key != null ? null : compile(project, condition, in);
        List<CompiledExpression> compiled = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[] map = new int[exprs.size()];
        Arrays.fill(map, -1);
        for (int field : needed) {
            map[field] = compiled.size();
            compiled.add(compile(project, exprs.get(field), in));
            names.add(project.getRowType().getFieldList().get(field).getName());
        }
        return new Planned(new ProjectNode(in.node, compiled, names, filter), map);
    }

    private Planned values(Values values) {
        List<RelDataTypeField> fields = values.getRowType().getFieldList();
        List<BatchColumn> columns = new ArrayList<>();
        for (RelDataTypeField f : fields) {
            columns.add(new BatchColumn(f.getName(), TypeMapping.toDataType(f.getType()), f.getType().isNullable()));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (List<RexLiteral> tuple : values.getTuples()) {
            List<Object> row = new ArrayList<>(tuple.size());
            for (int c = 0; c < tuple.size(); c++) {
                DataType t = columns.get(c).type();
                row.add(ExpressionCompiler.literalValue(tuple.get(c), t));
            }
            rows.add(row);
        }
        int[] map = new int[fields.size()];
        Arrays.setAll(map, i -> i);
        return new Planned(new ValuesNode(columns, rows), map);
    }

    /** Compiles an expression of {@code rel}'s input over the columns of the planned input. */
    private static CompiledExpression compile(RelNode rel, RexNode expression, Planned in) {
        RexNode remapped = expression.accept(new RexShuttle() {
            @Override
            public RexNode visitInputRef(RexInputRef ref) {
                int column = in.fieldToColumn[ref.getIndex()];
                if (column < 0) {
                    throw new IllegalStateException("field $" + ref.getIndex() + " was not planned for " + expression);
                }
                return new RexInputRef(column, ref.getType());
            }
        });
        return ExpressionCompiler.compile(remapped, in.node.columns(), rel.getCluster().getRexBuilder());
    }
}
