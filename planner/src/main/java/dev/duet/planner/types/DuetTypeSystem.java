package dev.duet.planner.types;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

/**
 * Calcite's type rules adjusted to Duet's semantics, which follow DuckDB (the differential-test
 * oracle) where PostgreSQL's arbitrary-precision NUMERIC has no fixed-width equivalent:
 *
 * <ul>
 *   <li>DECIMAL precision and scale up to 38 (Arrow's 128-bit decimal); a bare {@code DECIMAL} /
 *       {@code NUMERIC} is DECIMAL(18,3), as {@link dev.duet.core.types.DataType#parse} and DuckDB
 *       have it.
 *   <li>{@code SUM}: SMALLINT/INTEGER → BIGINT (PostgreSQL), BIGINT → DECIMAL(38,0) (PostgreSQL's
 *       NUMERIC, DuckDB's HUGEINT), DECIMAL(p,s) → DECIMAL(38,s) (both), REAL/DOUBLE → DOUBLE
 *       (DuckDB). Calcite's default keeps the argument type, which overflows.
 *   <li>{@code AVG}, {@code STDDEV*}, {@code VAR*}, {@code COVAR*}: DOUBLE for every numeric
 *       argument, as DuckDB computes them (PostgreSQL returns NUMERIC for exact arguments).
 *   <li>Division with a DECIMAL operand: DOUBLE, as DuckDB. A fixed-scale decimal quotient cannot
 *       be exact either, and after a 38-digit SUM the SQL-standard rule leaves a scale of 2–6,
 *       which loses more than a double. Integer division stays integer ({@code 7 / 2 = 3}).
 *   <li>TIMESTAMP carries microseconds: default and maximum precision 6.
 *   <li>Character and binary lengths up to 10,485,760 (PostgreSQL's limit); CASE/UNION of
 *       strings of different lengths is VARCHAR, never blank-padded CHAR.
 * </ul>
 */
public final class DuetTypeSystem extends RelDataTypeSystemImpl {
    public static final DuetTypeSystem INSTANCE = new DuetTypeSystem();

    /** Largest DECIMAL precision and scale. */
    public static final int MAX_DECIMAL = 38;
    /** Precision of an unparameterised DECIMAL / NUMERIC. */
    public static final int DEFAULT_DECIMAL_PRECISION = 18;
    /** Scale of an unparameterised DECIMAL / NUMERIC. */
    public static final int DEFAULT_DECIMAL_SCALE = 3;
    /** Fractional second digits of TIMESTAMP (microseconds). */
    public static final int TIMESTAMP_PRECISION = 6;
    /** Longest declared VARCHAR / VARBINARY. */
    public static final int MAX_LENGTH = 10_485_760;

    private DuetTypeSystem() {
    }

    @Override
    public int getMaxPrecision(SqlTypeName typeName) {
        return switch (typeName) {
            case DECIMAL -> MAX_DECIMAL;
            case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE, TIMESTAMP_TZ, TIME, TIME_WITH_LOCAL_TIME_ZONE, TIME_TZ ->
                    TIMESTAMP_PRECISION;
            case CHAR, VARCHAR, BINARY, VARBINARY -> MAX_LENGTH;
            default -> super.getMaxPrecision(typeName);
        };
    }

    @Override
    public int getMaxScale(SqlTypeName typeName) {
        return typeName == SqlTypeName.DECIMAL ? MAX_DECIMAL : super.getMaxScale(typeName);
    }

    @Override
    public int getDefaultPrecision(SqlTypeName typeName) {
        return switch (typeName) {
            case DECIMAL -> DEFAULT_DECIMAL_PRECISION;
            case TIMESTAMP -> TIMESTAMP_PRECISION;
            default -> super.getDefaultPrecision(typeName);
        };
    }

    @Override
    public int getDefaultScale(SqlTypeName typeName) {
        return typeName == SqlTypeName.DECIMAL ? DEFAULT_DECIMAL_SCALE : super.getDefaultScale(typeName);
    }

    @Override
    public boolean shouldConvertRaggedUnionTypesToVarying() {
        return true;
    }

    @Override
    public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        RelDataType sum = switch (argumentType.getSqlTypeName()) {
            case TINYINT, SMALLINT, INTEGER -> typeFactory.createSqlType(SqlTypeName.BIGINT);
            case BIGINT -> typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL, 0);
            case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL, MAX_DECIMAL, argumentType.getScale());
            case REAL, FLOAT, DOUBLE -> typeFactory.createSqlType(SqlTypeName.DOUBLE);
            default -> null;
        };
        return sum == null
                ? super.deriveSumType(typeFactory, argumentType)
                : typeFactory.createTypeWithNullability(sum, argumentType.isNullable());
    }

    @Override
    public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
        if (SqlTypeUtil.isNumeric(argumentType)) {
            return typeFactory.createTypeWithNullability(
                    typeFactory.createSqlType(SqlTypeName.DOUBLE), argumentType.isNullable());
        }
        return super.deriveAvgAggType(typeFactory, argumentType);
    }

    @Override
    public RelDataType deriveCovarType(RelDataTypeFactory typeFactory, RelDataType arg0Type, RelDataType arg1Type) {
        return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DOUBLE),
                arg0Type.isNullable() || arg1Type.isNullable());
    }

    @Override
    public RelDataType deriveDecimalDivideType(RelDataTypeFactory typeFactory, RelDataType type1, RelDataType type2) {
        if (SqlTypeUtil.isExactNumeric(type1) && SqlTypeUtil.isExactNumeric(type2)
                && (SqlTypeUtil.isDecimal(type1) || SqlTypeUtil.isDecimal(type2))) {
            return typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.DOUBLE),
                    type1.isNullable() || type2.isNullable());
        }
        return null;
    }
}
