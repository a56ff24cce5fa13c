package dev.duet.planner.validate;

import dev.duet.core.SqlState;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * Checks a validated tree for comparisons between a string expression and a number, date,
 * time or boolean ({@code name = 1}), which Calcite accepts (its comparability rules let strings
 * compare with them, converting at run time) and PostgreSQL rejects ({@code operator does not
 * exist: text = integer}). String literals stay comparable with anything, as in PostgreSQL.
 * Arithmetic and function arguments are held to the same rule by {@link DuetTypeCoercion}.
 */
public final class StrictComparisons extends SqlBasicVisitor<Void> {
    private static final Set<SqlKind> COMPARISONS = Set.of(SqlKind.EQUALS, SqlKind.NOT_EQUALS,
            SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL, SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL,
            SqlKind.IS_DISTINCT_FROM, SqlKind.IS_NOT_DISTINCT_FROM);

    private final SqlValidator validator;

    private StrictComparisons(SqlValidator validator) {
        this.validator = validator;
    }

    /** Throws {@link NodeError} 42804 at the first offending comparison of {@code validated}. */
    public static void check(SqlNode validated, SqlValidator validator) {
        validated.accept(new StrictComparisons(validator));
    }

    @Override
    public Void visit(SqlCall call) {
        if (COMPARISONS.contains(call.getKind()) && call.operandCount() == 2) {
            SqlNode left = call.operand(0);
            SqlNode right = call.operand(1);
            RelDataType lt = left == null ? null : validator.getValidatedNodeTypeIfKnown(left);
            RelDataType rt = right == null ? null : validator.getValidatedNodeTypeIfKnown(right);
            if (lt != null && rt != null && (DuetTypeCoercion.stringExpressionAgainst(left, lt, rt)
                    || DuetTypeCoercion.stringExpressionAgainst(right, rt, lt))) {
                throw new NodeError(SqlState.DATATYPE_MISMATCH, "operator does not exist: " + name(lt) + " "
                        + call.getOperator().getName() + " " + name(rt), call.getParserPosition());
            }
        }
        return super.visit(call);
    }

    private static String name(RelDataType t) {
        return t.getFullTypeString().replace(" NOT NULL", "").toLowerCase(Locale.ROOT);
    }
}
