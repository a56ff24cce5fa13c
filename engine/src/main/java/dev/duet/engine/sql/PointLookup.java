package dev.duet.engine.sql;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.ExpressionCompiler;
import dev.duet.planner.exec.plan.KeyScanNode;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.ProjectNode;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;

/**
 * A plan that reads at most one row by its whole primary key and returns some of its columns as
 * they are stored, literals and statement parameters (a {@link KeyScanNode} point, alone or under
 * a projection of those): the common prepared {@code SELECT ... WHERE id = ?}, and the input of
 * {@code UPDATE ... SET c = ? WHERE id = ?} and {@code DELETE ... WHERE id = ?}. Running it needs
 * no operator and no Arrow batch: {@link #row} reads the row from the transaction and picks its
 * values. Anything else (expressions, a residual filter, IN lists, ranges) runs its plan.
 * Immutable and shareable, as the {@link Prepared} statement holding it.
 */
final class PointLookup {
    private final KeyScanNode scan;
    /** Per output column, the table column it returns, or -1 for a literal or a parameter. */
    private final int[] columns;
    /** Per output column, the statement parameter it returns, or -1. */
    private final int[] parameters;
    /** Per output column that is neither: the literal's canonical value. */
    private final Object[] constants;
    /** Per output column, its type. */
    private final DataType[] types;

    private PointLookup(KeyScanNode scan, int[] columns, int[] parameters, Object[] constants, DataType[] types) {
        this.scan = scan;
        this.columns = columns;
        this.parameters = parameters;
        this.constants = constants;
        this.types = types;
    }

    /** The point lookup {@code plan} (a query's physical plan) is, or null. */
    static PointLookup of(PlanNode plan) {
        if (plan instanceof KeyScanNode scan) {
            if (!scan.isPrimaryKeyPoint()) {
                return null;
            }
            int[] columns = scan.columnIndexes();
            int[] parameters = new int[columns.length];
            Arrays.fill(parameters, -1);
            DataType[] types = scan.columns().stream().map(BatchColumn::type).toArray(DataType[]::new);
            return new PointLookup(scan, columns, parameters, new Object[columns.length], types);
        }
        if (!(plan instanceof ProjectNode project) || project.filter() != null
                || !(project.inputs().get(0) instanceof KeyScanNode scan) || !scan.isPrimaryKeyPoint()) {
            return null;
        }
        int[] read = scan.columnIndexes();
        TableDef table = scan.table();
        List<CompiledExpression> exprs = project.projections();
        int[] columns = new int[exprs.size()];
        int[] parameters = new int[columns.length];
        Object[] constants = new Object[columns.length];
        DataType[] types = new DataType[columns.length];
        Arrays.fill(parameters, -1);
        for (int i = 0; i < columns.length; i++) {
            CompiledExpression e = exprs.get(i);
            types[i] = e.type();
            if (e.source() instanceof RexDynamicParam p) {
                columns[i] = -1;
                parameters[i] = p.getIndex();
                continue;
            }
            if (e.source() instanceof RexLiteral literal) {
                // a key column the filter fixed: Calcite projects its value
                columns[i] = -1;
                constants[i] = ExpressionCompiler.literalValue(literal, e.type());
                continue;
            }
            if (!(e.source() instanceof RexInputRef ref)) {
                return null;
            }
            columns[i] = read[ref.getIndex()];
            if (!e.type().equals(table.column(columns[i]).type())) {
                return null; // the value would need a conversion
            }
        }
        return new PointLookup(scan, columns, parameters, constants, types);
    }

    /**
     * The row this lookup finds in {@code t} with statement parameters {@code parameters}: its
     * output columns' canonical values, or null if there is no such row (or a key value is NULL).
     * {@code t} must see the catalog the plan was made for. A parameter is coerced to its
     * expression's type as the plan would ({@code ExpressionCompiler.parameterValue}: 22003 / 22001).
     */
    Object[] row(Transaction t, Object[] parameters) {
        Object[] key = scan.pointKey(parameters);
        Row row = key == null ? null : t.get(scan.table().id(), key);
        if (row == null) {
            return null;
        }
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            values[i] = columns[i] >= 0 ? row.get(columns[i])
                    : this.parameters[i] >= 0 ? ExpressionCompiler.parameterValue(parameters, this.parameters[i], types[i]) : constants[i];
        }
        return values;
    }
}
