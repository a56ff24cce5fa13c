package dev.duet.planner.exec;

import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.ExpressionCompiler;
import dev.duet.planner.types.TypeMapping;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * The conjuncts of a filter right above a table scan that a column-store scan can use to skip row
 * groups by their min/max ({@link ZonePredicate}): {@code column op literal} (either way round),
 * with {@code op} one of = &lt; &lt;= &gt; &gt;= and a range search ({@code BETWEEN}, which Calcite
 * folds into a search) expanded into such comparisons. The filter still runs over every row read:
 * a predicate here only lets whole row groups be skipped, so leaving one out is always safe.
 *
 * <p>Only literals that are values of the column's type without rounding are taken (a conversion
 * could round: {@code int_col < 2.5}); an out-of-range one is left out. Text compares by code
 * point (see {@link ZonePredicate}); byte strings and booleans are left out.
 */
final class ZonePredicates {
    private ZonePredicates() {
    }

    /** The zone predicates of {@code condition} over the columns of {@code table} (field i = column i). */
    static List<ZonePredicate> of(RexNode condition, TableDef table, RexBuilder rexBuilder) {
        List<ZonePredicate> out = new ArrayList<>();
        if (condition != null) {
            collect(condition, table, rexBuilder, out);
        }
        return out;
    }

    private static void collect(RexNode condition, TableDef table, RexBuilder rexBuilder, List<ZonePredicate> out) {
        for (RexNode c : RelOptUtil.conjunctions(condition)) {
            if (c.getKind() == SqlKind.SEARCH) {
                RexNode expanded = RexUtil.expandSearch(rexBuilder, null, c);
                if (expanded.getKind() == SqlKind.AND || isComparison(expanded.getKind())) {
                    collect(expanded, table, rexBuilder, out);
                }
                continue;
            }
            if (!isComparison(c.getKind()) || !(c instanceof RexCall call) || call.getOperands().size() != 2) {
                continue;
            }
            RexNode left = call.getOperands().get(0);
            RexNode right = call.getOperands().get(1);
            SqlKind kind = c.getKind();
            if (left instanceof RexLiteral && right instanceof RexInputRef) {
                RexNode t = left;
                left = right;
                right = t;
                kind = kind.reverse();
            }
            if (left instanceof RexInputRef ref && right instanceof RexLiteral literal && !literal.isNull()) {
                ZonePredicate p = predicate(table, ref.getIndex(), kind, literal);
                if (p != null) {
                    out.add(p);
                }
            }
        }
    }

    /** True if every literal of type {@code from} is a value of {@code to} without rounding (and not text). */
    private static boolean exact(DataType from, DataType to) {
        boolean fromInteger = isInteger(from.kind());
        return switch (to.kind()) {
            case SMALLINT, INTEGER, BIGINT -> fromInteger;
            case DECIMAL -> fromInteger || from.kind() == DataType.Kind.DECIMAL && from.scale() <= to.scale();
            case REAL, DOUBLE, DATE, TIMESTAMP, VARCHAR -> from.kind() == to.kind();
            case BYTEA, BOOLEAN -> false;
        };
    }

    private static boolean isInteger(DataType.Kind k) {
        return k == DataType.Kind.SMALLINT || k == DataType.Kind.INTEGER || k == DataType.Kind.BIGINT;
    }

    private static boolean isComparison(SqlKind kind) {
        return switch (kind) {
            case EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> true;
            default -> false;
        };
    }

    private static ZonePredicate predicate(TableDef table, int column, SqlKind kind, RexLiteral literal) {
        if (column < 0 || column >= table.columnCount()) {
            return null;
        }
        DataType type = table.column(column).type();
        DataType literalType = TypeMapping.toDataTypeOrNull(literal.getType());
        if (literalType == null || !exact(literalType, type)) {
            return null;
        }
        Object value;
        try {
            value = ExpressionCompiler.literalValue(literal, type);
        } catch (RuntimeException e) {
            return null; // out of the column's range: no skipping on it
        }
        if (value instanceof String text && !text.isEmpty() && text.charAt(text.length() - 1) == ' ') {
            return null; // whether trailing blanks count is the comparison's business, not the zone map's
        }
        ZonePredicate.Op op = switch (kind) {
            case EQUALS -> ZonePredicate.Op.EQ;
            case LESS_THAN -> ZonePredicate.Op.LT;
            case LESS_THAN_OR_EQUAL -> ZonePredicate.Op.LE;
            case GREATER_THAN -> ZonePredicate.Op.GT;
            default -> ZonePredicate.Op.GE;
        };
        return value == null ? null : new ZonePredicate(column, op, value);
    }
}
