package dev.duet.planner.validate;

import dev.duet.core.SqlState;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * Functions Duet defines itself because Calcite's libraries lack them or spell them differently
 * from PostgreSQL. The executor implements each by name.
 */
public final class DuetFunctions {
    /** Units {@link #DATE_TRUNC} accepts, as PostgreSQL spells them. */
    public static final Set<String> DATE_TRUNC_UNITS = Set.of("microseconds", "milliseconds", "second", "minute",
            "hour", "day", "week", "month", "quarter", "year", "decade", "century", "millennium");

    /**
     * PostgreSQL's {@code date_trunc(unit, value)}: {@code unit} a string literal from
     * {@link #DATE_TRUNC_UNITS} (any case), {@code value} a DATE or TIMESTAMP; the result is a
     * TIMESTAMP (as PostgreSQL and DuckDB return for both). It carries Calcite's name and kind
     * {@code DATE_TRUNC} because the parser builds every {@code DATE_TRUNC(...)} call with
     * BigQuery's operator, and the validator replaces that by the same-named, same-kind function
     * of this table.
     */
    public static final SqlFunction DATE_TRUNC = new DateTrunc();

    /**
     * PostgreSQL's function-style cast {@code date(x)}: validation rewrites it to
     * {@code CAST(x AS DATE)}, so no plan contains it.
     */
    public static final SqlFunction DATE = new CastFunction("DATE", SqlTypeName.DATE, SqlFunctionCategory.TIMEDATE);

    /**
     * PostgreSQL's {@code now()}: the transaction's start time with microseconds; validation
     * rewrites it to {@code CURRENT_TIMESTAMP(6)} (a TIMESTAMP: Duet has no time zone type).
     */
    public static final SqlFunction NOW = new RewrittenFunction("NOW", SqlFunctionCategory.USER_DEFINED_FUNCTION,
            ReturnTypes.explicit(SqlTypeName.TIMESTAMP), OperandTypes.NILADIC,
            (call, pos) -> SqlStdOperatorTable.CURRENT_TIMESTAMP.createCall(pos,
                    SqlLiteral.createExactNumeric("6", pos)));

    /** Every function of this class. */
    public static final List<SqlOperator> ALL = List.of(DATE_TRUNC, DATE, NOW);

    private DuetFunctions() {
    }

    private static final class DateTrunc extends SqlFunction {
        DateTrunc() {
            super("DATE_TRUNC", SqlKind.DATE_TRUNC,
                    binding -> {
                        RelDataTypeFactory f = binding.getTypeFactory();
                        RelDataType ts = f.createSqlType(SqlTypeName.TIMESTAMP,
                                f.getTypeSystem().getDefaultPrecision(SqlTypeName.TIMESTAMP));
                        boolean nullable = binding.getOperandType(0).isNullable()
                                || binding.getOperandType(1).isNullable();
                        return f.createTypeWithNullability(ts, nullable);
                    },
                    null,
                    OperandTypes.or(
                            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.TIMESTAMP),
                            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATE)),
                    SqlFunctionCategory.TIMEDATE);
        }

        @Override
        public boolean checkOperandTypes(SqlCallBinding callBinding, boolean throwOnFailure) {
            if (!super.checkOperandTypes(callBinding, throwOnFailure)) {
                return false;
            }
            SqlNode unit = callBinding.operand(0);
            if (!(unit instanceof SqlLiteral literal) || literal.getTypeName() != SqlTypeName.CHAR) {
                throw new NodeError(SqlState.FEATURE_NOT_SUPPORTED,
                        "date_trunc unit must be a string literal such as 'month'", unit.getParserPosition());
            }
            String name = literal.getValueAs(String.class).toLowerCase(Locale.ROOT);
            if (!DATE_TRUNC_UNITS.contains(name)) {
                throw new NodeError(SqlState.INVALID_PARAMETER_VALUE,
                        "unit \"" + name + "\" not recognized", unit.getParserPosition());
            }
            return true;
        }
    }

    /** {@code name(x)} meaning {@code CAST(x AS type)}. */
    private static final class CastFunction extends SqlFunction {
        private final SqlTypeName type;

        /** @param category the category the parser gives a call of this name (lookups match it) */
        CastFunction(String name, SqlTypeName type, SqlFunctionCategory category) {
            super(name, SqlKind.OTHER_FUNCTION, ReturnTypes.explicit(type), null, OperandTypes.ANY, category);
            this.type = type;
        }

        @Override
        public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
            if (call.operandCount() != 1) {
                return call;
            }
            SqlParserPos pos = call.getParserPosition();
            return SqlStdOperatorTable.CAST.createCall(pos, call.operand(0),
                    new SqlDataTypeSpec(new SqlBasicTypeNameSpec(type, pos), pos));
        }
    }

    /** A function that validation replaces by another expression with {@code rewrite}. */
    private static final class RewrittenFunction extends SqlFunction {
        private final BiFunction<SqlCall, SqlParserPos, SqlNode> rewrite;

        /**
         * @param category the category the parser gives a call of this name (lookups match it)
         * @param operands the operands accepted; a call with another count is not rewritten and
         *     fails validation
         */
        RewrittenFunction(String name, SqlFunctionCategory category, SqlReturnTypeInference returnType,
                SqlOperandTypeChecker operands, BiFunction<SqlCall, SqlParserPos, SqlNode> rewrite) {
            super(name, SqlKind.OTHER_FUNCTION, returnType, null, operands, category);
            this.rewrite = rewrite;
        }

        @Override
        public SqlNode rewriteCall(SqlValidator validator, SqlCall call) {
            return getOperandCountRange().isValidCount(call.operandCount())
                    ? rewrite.apply(call, call.getParserPosition()) : call;
        }
    }
}
