package dev.duet.planner.types;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import java.util.Objects;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Maps Duet's {@link DataType}s to Calcite types and back. Every Duet type has a Calcite type;
 * the way back fails with 0A000 for Calcite types Duet cannot store or return (TIME, INTERVAL,
 * TINYINT, ARRAY, ...). Calcite's CHAR(n), the type of string literals, comes back as VARCHAR(n);
 * FLOAT (an 8-byte float in Calcite) as DOUBLE; the type of a bare NULL as TEXT, as PostgreSQL
 * resolves an unknown-typed output column.
 */
public final class TypeMapping {
    private TypeMapping() {
    }

    /** The Calcite type of a Duet column type. */
    public static RelDataType toRelDataType(RelDataTypeFactory factory, DataType type, boolean nullable) {
        Objects.requireNonNull(type, "type is null");
        RelDataType t = switch (type.kind()) {
            case BOOLEAN -> factory.createSqlType(SqlTypeName.BOOLEAN);
            case SMALLINT -> factory.createSqlType(SqlTypeName.SMALLINT);
            case INTEGER -> factory.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> factory.createSqlType(SqlTypeName.BIGINT);
            case REAL -> factory.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> factory.createSqlType(SqlTypeName.DOUBLE);
            case DECIMAL -> factory.createSqlType(SqlTypeName.DECIMAL, type.precision(), type.scale());
            case VARCHAR -> type.length() == DataType.UNBOUNDED
                    ? factory.createSqlType(SqlTypeName.VARCHAR)
                    : factory.createSqlType(SqlTypeName.VARCHAR, type.length());
            case DATE -> factory.createSqlType(SqlTypeName.DATE);
            case TIMESTAMP -> factory.createSqlType(SqlTypeName.TIMESTAMP, DuetTypeSystem.TIMESTAMP_PRECISION);
            case BYTEA -> factory.createSqlType(SqlTypeName.VARBINARY);
        };
        return factory.createTypeWithNullability(t, nullable);
    }

    /** The Duet type of a Calcite type; 0A000 if Duet has no such type. */
    public static DataType toDataType(RelDataType type) {
        DataType t = toDataTypeOrNull(type);
        if (t == null) {
            throw DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "type %s is not supported", describe(type));
        }
        return t;
    }

    /** The Duet type of a Calcite type, or null if Duet has no such type. */
    public static DataType toDataTypeOrNull(RelDataType type) {
        return switch (type.getSqlTypeName()) {
            case BOOLEAN -> DataType.BOOLEAN;
            case SMALLINT -> DataType.SMALLINT;
            case INTEGER -> DataType.INTEGER;
            case BIGINT -> DataType.BIGINT;
            case REAL -> DataType.REAL;
            case FLOAT, DOUBLE -> DataType.DOUBLE;
            case DECIMAL -> type.getPrecision() >= 1 && type.getPrecision() <= DataType.MAX_DECIMAL_PRECISION
                    && type.getScale() >= 0 && type.getScale() <= type.getPrecision()
                    ? DataType.decimal(type.getPrecision(), type.getScale()) : null;
            case CHAR, VARCHAR -> type.getPrecision() <= 0 || type.getPrecision() >= DuetTypeSystem.MAX_LENGTH
                    ? DataType.TEXT : DataType.varchar(type.getPrecision());
            case DATE -> DataType.DATE;
            case TIMESTAMP -> DataType.TIMESTAMP;
            case BINARY, VARBINARY -> DataType.BYTEA;
            case NULL -> DataType.TEXT;
            default -> null;
        };
    }

    /**
     * The type a value assigned to a column of type {@code column} (an INSERT source column, an
     * UPDATE SET value) keeps in the plan. PostgreSQL's assignment to VARCHAR(n) fails with 22001
     * on a longer value, where only an explicit cast cuts it; so a bounded character column takes
     * its value at unbounded VARCHAR, never through a truncating cast, and the DML layer's
     * coercion to the column type checks the length. Other types are unchanged.
     */
    public static RelDataType assignmentType(RelDataTypeFactory factory, RelDataType column) {
        if ((column.getSqlTypeName() == SqlTypeName.VARCHAR || column.getSqlTypeName() == SqlTypeName.CHAR)
                && column.getPrecision() > 0 && column.getPrecision() < DuetTypeSystem.MAX_LENGTH) {
            return factory.createTypeWithNullability(factory.createSqlType(SqlTypeName.VARCHAR), column.isNullable());
        }
        return column;
    }

    /** {@link #assignmentType} of every field of {@code row}. */
    public static RelDataType assignmentRowType(RelDataTypeFactory factory, RelDataType row) {
        return factory.createStructType(row.getFieldList().stream().map(f -> assignmentType(factory, f.getType())).toList(),
                row.getFieldNames());
    }

    /** A type as a user reads it in an error message, e.g. {@code TIME(0)} or {@code INTERVAL MONTH}. */
    public static String describe(RelDataType type) {
        return type.getFullTypeString().replace(" NOT NULL", "");
    }
}
