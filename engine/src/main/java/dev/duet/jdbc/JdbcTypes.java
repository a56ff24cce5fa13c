package dev.duet.jdbc;

import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * How each SQL type of Duet looks through JDBC: its {@link Types} code, its type name as
 * PostgreSQL's catalog spells it (so that tools written for PostgreSQL recognise it), its
 * precision and display size as {@link java.sql.ResultSetMetaData} defines them, and the Java class
 * {@link java.sql.ResultSet#getObject(int)} returns. Result set metadata, parameter metadata and
 * {@link java.sql.DatabaseMetaData} all describe types through this one class.
 */
final class JdbcTypes {
    /** Precision reported for an unbounded string or binary (as PostgreSQL's driver does). */
    static final int UNBOUNDED_PRECISION = Integer.MAX_VALUE;

    private JdbcTypes() {
    }

    /** The {@link Types} code: BOOLEAN, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, NUMERIC, VARCHAR, DATE, TIMESTAMP, BINARY. */
    static int sqlType(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Types.BOOLEAN;
            case SMALLINT -> Types.SMALLINT;
            case INTEGER -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case REAL -> Types.REAL;
            case DOUBLE -> Types.DOUBLE;
            case DECIMAL -> Types.NUMERIC;
            case VARCHAR -> Types.VARCHAR;
            case DATE -> Types.DATE;
            case TIMESTAMP -> Types.TIMESTAMP;
            case BYTEA -> Types.BINARY;
        };
    }

    /** PostgreSQL's internal type name: bool, int2, int4, int8, float4, float8, numeric, varchar, text, date, timestamp, bytea. */
    static String typeName(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> "bool";
            case SMALLINT -> "int2";
            case INTEGER -> "int4";
            case BIGINT -> "int8";
            case REAL -> "float4";
            case DOUBLE -> "float8";
            case DECIMAL -> "numeric";
            case VARCHAR -> type.length() == DataType.UNBOUNDED ? "text" : "varchar";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case BYTEA -> "bytea";
        };
    }

    /**
     * Precision as JDBC defines it: digits for numbers (binary digits are not counted: REAL 8 and
     * DOUBLE 17 decimal digits, as PostgreSQL's driver reports), characters for strings
     * ({@link #UNBOUNDED_PRECISION} for TEXT), the length of the text form for DATE and TIMESTAMP,
     * bytes for BYTEA (unbounded).
     */
    static int precision(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> 1;
            case SMALLINT -> 5;
            case INTEGER -> 10;
            case BIGINT -> 19;
            case REAL -> 8;
            case DOUBLE -> 17;
            case DECIMAL -> type.precision();
            case VARCHAR -> type.length() == DataType.UNBOUNDED ? UNBOUNDED_PRECISION : type.length();
            case DATE -> 10;
            case TIMESTAMP -> 26; // yyyy-mm-dd hh:mm:ss.ffffff
            case BYTEA -> UNBOUNDED_PRECISION;
        };
    }

    /** Digits after the decimal point: the DECIMAL scale, 6 for TIMESTAMP (microseconds), else 0. */
    static int scale(DataType type) {
        return switch (type.kind()) {
            case DECIMAL -> type.scale();
            case TIMESTAMP -> 6;
            default -> 0;
        };
    }

    /** The widest text form of a value, in characters. */
    static int displaySize(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> 1;
            case SMALLINT -> 6;
            case INTEGER -> 11;
            case BIGINT -> 20;
            case REAL -> 15;
            case DOUBLE -> 25;
            case DECIMAL -> type.precision() + (type.scale() > 0 ? 2 : 1); // sign and point
            default -> precision(type);
        };
    }

    /** The radix in which {@link #precision} counts: 10 for numbers, 0 where it does not apply. */
    static int radix(DataType type) {
        return isNumeric(type) ? 10 : 0;
    }

    static boolean isNumeric(DataType type) {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    /** The class {@link java.sql.ResultSet#getObject(int)} returns for a value of this type. */
    static Class<?> javaClass(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Boolean.class;
            case SMALLINT, INTEGER -> Integer.class; // JDBC maps SMALLINT to Integer (appendix B)
            case BIGINT -> Long.class;
            case REAL -> Float.class;
            case DOUBLE -> Double.class;
            case DECIMAL -> BigDecimal.class;
            case VARCHAR -> String.class;
            case DATE -> LocalDate.class;
            case TIMESTAMP -> LocalDateTime.class;
            case BYTEA -> byte[].class;
        };
    }

    /** The type's name as {@link Class#getName()} gives it ({@code [B} for BYTEA). */
    static String javaClassName(DataType type) {
        return javaClass(type).getName();
    }

    /** The SQL spelling used in DDL, e.g. {@code integer}, {@code numeric(10,2)}, {@code varchar(20)}. */
    static String sqlSpelling(DataType type) {
        return switch (type.kind()) {
            case BOOLEAN -> "boolean";
            case SMALLINT -> "smallint";
            case INTEGER -> "integer";
            case BIGINT -> "bigint";
            case REAL -> "real";
            case DOUBLE -> "double precision";
            case DECIMAL -> "numeric(" + type.precision() + "," + type.scale() + ")";
            case VARCHAR -> type.length() == DataType.UNBOUNDED ? "text" : "varchar(" + type.length() + ")";
            case DATE -> "date";
            case TIMESTAMP -> "timestamp";
            case BYTEA -> "bytea";
        };
    }
}
