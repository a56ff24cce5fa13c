package dev.duet.planner.exec.expr;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;

/** The data errors expressions raise, worded as PostgreSQL words them. */
final class EvaluationErrors {
    private static final int MAX_SHOWN = 100;

    private EvaluationErrors() {
    }

    /** 22012, for {@code x / 0} and {@code x % 0}. */
    static DuetException divisionByZero() {
        return new DuetException(SqlState.DIVISION_BY_ZERO, "division by zero");
    }

    /** 22003: a result does not fit {@code type} ({@code integer out of range}). */
    static DuetException outOfRange(DataType type) {
        return switch (type.kind()) {
            case SMALLINT -> new DuetException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "smallint out of range");
            case INTEGER -> new DuetException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "integer out of range");
            case BIGINT -> new DuetException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "bigint out of range");
            case DECIMAL -> DuetException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                    "numeric field overflow: a field with precision %d, scale %d must round to an absolute value "
                            + "less than 10^%d", type.precision(), type.scale(), type.precision() - type.scale());
            case REAL, DOUBLE -> new DuetException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
            case DATE -> new DuetException(SqlState.DATETIME_FIELD_OVERFLOW, "date out of range");
            case TIMESTAMP -> new DuetException(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp out of range");
            default -> DuetException.of(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range for type %s", type);
        };
    }

    /** 22003 for a floating-point result that underflowed to zero. */
    static DuetException underflow() {
        return new DuetException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
    }

    /** 22P02 for text that is not a value of {@code type}. */
    static DuetException invalidText(DataType type, String text) {
        String shown = text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
        return DuetException.of(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type %s: \"%s\"", pgName(type), shown);
    }

    /** 0A000 naming what the executor cannot evaluate. */
    static DuetException unsupported(String what) {
        return DuetException.of(SqlState.FEATURE_NOT_SUPPORTED, "%s is not supported by the executor", what);
    }

    /** The name PostgreSQL uses for a type in messages. */
    static String pgName(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> "boolean";
            case SMALLINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case REAL -> "real";
            case DOUBLE -> "double precision";
            case DECIMAL -> "numeric";
            case VARCHAR -> "text";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case BYTEA -> "bytea";
        };
    }
}
