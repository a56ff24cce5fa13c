package dev.duet.engine.sql;

import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.ExpressionCompiler;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.ProjectNode;
import dev.duet.planner.exec.plan.ValuesNode;
import dev.duet.rowstore.Appender;
import java.util.List;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * The one row of an {@code INSERT ... VALUES (...)} whose values are all parameters or literals
 * (the common prepared single-row INSERT), computed straight from the bound parameters. Running
 * the physical plan instead would open a projection over a one-row VALUES and allocate Arrow
 * vectors to carry a handful of values, costing several times the row store's write itself.
 *
 * <p>The values are what the plan would produce: each parameter coerced to its expression's type
 * ({@link ExpressionCompiler#parameterValue}, 22003 / 22001 as in the plan), each literal its
 * canonical value; the row store then coerces them to the column types, as for any insert.
 * Immutable and shareable, as the {@link Prepared} statement holding it.
 */
final class ParameterRow {
    /** Per column: the parameter index, or -1 for a literal. */
    private final int[] parameters;
    private final DataType[] types;
    /**
     * Per column: true if the column's parameter has a type other than the column expression's,
     * so that its bound value (canonical for the parameter's type) must be coerced again.
     */
    private final boolean[] recoerce;
    /** Per column: the literal's canonical value (unused where a parameter is). */
    private final Object[] literals;

    private ParameterRow(int[] parameters, DataType[] types, Object[] literals, boolean[] recoerce) {
        this.parameters = parameters;
        this.types = types;
        this.literals = literals;
        this.recoerce = recoerce;
    }

    /**
     * The row {@code input} (an INSERT's physical input) always produces, if it is a projection
     * of parameters and literals over a one-row VALUES; null for any other input.
     * {@code parameterTypes} are the statement's, to which the session coerces bound values.
     */
    static ParameterRow of(PlanNode input, List<DataType> parameterTypes) {
        if (!(input instanceof ProjectNode project) || project.filter() != null
                || !(project.inputs().get(0) instanceof ValuesNode values) || values.rows().size() != 1) {
            return null;
        }
        List<CompiledExpression> exprs = project.projections();
        int[] parameters = new int[exprs.size()];
        DataType[] types = new DataType[parameters.length];
        Object[] literals = new Object[parameters.length];
        boolean[] recoerce = new boolean[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            RexNode source = exprs.get(i).source();
            types[i] = exprs.get(i).type();
            if (source instanceof RexDynamicParam p) {
                parameters[i] = p.getIndex();
                recoerce[i] = p.getIndex() >= parameterTypes.size() || !types[i].equals(parameterTypes.get(p.getIndex()));
            } else if (source instanceof RexLiteral l) {
                parameters[i] = -1;
                literals[i] = ExpressionCompiler.literalValue(l, types[i]);
            } else {
                return null;
            }
        }
        return new ParameterRow(parameters, types, literals, recoerce);
    }

    /**
     * Appends the row for the bound {@code parameters} (canonical values of the statement's
     * parameter types, as {@link QueryContext#setParameters} takes them) to {@code appender} and
     * ends it: the same values as {@link #values}, without an array or a context per row, and a
     * value coerced again only where its column's expression has another type than its parameter.
     */
    void appendTo(Appender appender, Object[] parameters) {
        for (int i = 0; i < this.parameters.length; i++) {
            int p = this.parameters[i];
            appender.appendValue(p < 0 ? literals[i]
                    : recoerce[i] ? ExpressionCompiler.parameterValue(parameters, p, types[i]) : parameters[p]);
        }
        appender.endRow();
    }

    /** The row for the parameters bound in {@code context}; a new array. */
    Object[] values(QueryContext context) {
        Object[] row = new Object[parameters.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = parameters[i] < 0 ? literals[i] : ExpressionCompiler.parameterValue(context, parameters[i], types[i]);
        }
        return row;
    }
}
