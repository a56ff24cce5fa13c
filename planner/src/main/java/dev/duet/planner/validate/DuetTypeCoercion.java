package dev.duet.planner.validate;

import dev.duet.core.SqlState;
import dev.duet.planner.types.TypeMapping;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.sql.validate.implicit.TypeCoercionImpl;

/**
 * Calcite's implicit coercion, narrowed to PostgreSQL's rule for strings: a string literal
 * takes the type its context needs ({@code id = '1'}, {@code d > '2020-01-01'}), as an
 * unknown-typed literal does in PostgreSQL, but a string-typed column or expression is never
 * silently converted to a number, date, time or boolean ({@code name = 1} and
 * {@code id + name} are type errors, where Calcite alone would cast {@code name} and fail, or
 * not, at run time).
 */
public final class DuetTypeCoercion extends TypeCoercionImpl {
    public DuetTypeCoercion(RelDataTypeFactory typeFactory, SqlValidator validator) {
        super(typeFactory, validator);
    }

    @Override
    public boolean binaryArithmeticCoercion(SqlCallBinding binding) {
        return !mixesStringExpression(binding) && super.binaryArithmeticCoercion(binding);
    }

    @Override
    public boolean binaryComparisonCoercion(SqlCallBinding binding) {
        return !mixesStringExpression(binding) && super.binaryComparisonCoercion(binding);
    }

    @Override
    public boolean inOperationCoercion(SqlCallBinding binding) {
        return !mixesStringExpression(binding) && super.inOperationCoercion(binding);
    }

    @Override
    public boolean builtinFunctionCoercion(SqlCallBinding binding, List<RelDataType> operandTypes,
            List<SqlTypeFamily> expectedFamilies) {
        for (int i = 0; i < Math.min(binding.getOperandCount(), expectedFamilies.size()); i++) {
            SqlTypeFamily expected = expectedFamilies.get(i);
            if (expected != null && SqlTypeUtil.isCharacter(binding.getOperandType(i))
                    && !(binding.operand(i) instanceof SqlLiteral) && NON_STRING_FAMILIES.contains(expected)) {
                return false;
            }
        }
        return super.builtinFunctionCoercion(binding, operandTypes, expectedFamilies);
    }

    /** Assigned values are coerced to {@link TypeMapping#assignmentType}, never cut to a VARCHAR(n) column's length. */
    @Override
    public boolean querySourceCoercion(SqlValidatorScope scope, RelDataType sourceRowType, RelDataType targetRowType,
            SqlNode query) {
        if (super.querySourceCoercion(scope, sourceRowType, TypeMapping.assignmentRowType(factory, targetRowType),
                query)) {
            return true;
        }
        if (query instanceof SqlUpdate update) {
            NodeError e = unassignableSetValue(update, sourceRowType, targetRowType);
            if (e != null) {
                throw e;
            }
        }
        return false;
    }

    /**
     * 42804 at the first SET value its column cannot take, null if there is none. (Calcite's own
     * report of this error looks the value up at the wrong index and fails.) The rows compared
     * are the table's columns followed by the SET columns and values.
     */
    private static NodeError unassignableSetValue(SqlUpdate update, RelDataType sourceRowType,
            RelDataType targetRowType) {
        SqlNodeList values = update.getSourceExpressionList();
        int first = targetRowType.getFieldCount() - values.size();
        for (int i = 0; i < values.size(); i++) {
            RelDataTypeField target = targetRowType.getFieldList().get(first + i);
            RelDataType source = sourceRowType.getFieldList().get(first + i).getType();
            if (!SqlTypeUtil.canAssignFrom(target.getType(), source)) {
                return new NodeError(SqlState.DATATYPE_MISMATCH, "column \"" + target.getName() + "\" is of type "
                        + typeName(target.getType()) + " but expression is of type " + typeName(source),
                        values.get(i).getParserPosition());
            }
        }
        return null;
    }

    private static String typeName(RelDataType type) {
        return TypeMapping.describe(type).toLowerCase(Locale.ROOT);
    }

    private static final Set<SqlTypeFamily> NON_STRING_FAMILIES = Set.of(SqlTypeFamily.NUMERIC,
            SqlTypeFamily.EXACT_NUMERIC, SqlTypeFamily.APPROXIMATE_NUMERIC, SqlTypeFamily.INTEGER,
            SqlTypeFamily.DECIMAL, SqlTypeFamily.DATE, SqlTypeFamily.TIME, SqlTypeFamily.TIMESTAMP,
            SqlTypeFamily.DATETIME, SqlTypeFamily.BOOLEAN, SqlTypeFamily.DATETIME_INTERVAL);

    /** True if a non-literal string operand meets an operand of a non-string scalar type. */
    static boolean mixesStringExpression(SqlCallBinding binding) {
        if (binding.getOperandCount() != 2) {
            return false;
        }
        RelDataType t0 = binding.getOperandType(0);
        RelDataType t1 = binding.getOperandType(1);
        return stringExpressionAgainst(binding.operand(0), t0, t1)
                || stringExpressionAgainst(binding.operand(1), t1, t0);
    }

    static boolean stringExpressionAgainst(SqlNode node, RelDataType type, RelDataType other) {
        if (!SqlTypeUtil.isCharacter(type) || node instanceof SqlLiteral) {
            return false;
        }
        RelDataType o = other.isStruct() && other.getFieldCount() == 1 ? other.getFieldList().get(0).getType() : other;
        return SqlTypeUtil.isNumeric(o) || SqlTypeUtil.isDatetime(o) || SqlTypeUtil.isBoolean(o)
                || SqlTypeUtil.isInterval(o);
    }
}
