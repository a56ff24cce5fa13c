package dev.duet.core.types;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * A SQL data type: a {@link Kind} plus its parameters (DECIMAL precision/scale, VARCHAR length).
 * Immutable. Every type admits NULL; NOT NULL is a column property, not a type property.
 *
 * <p>Canonical Java representation of values (what {@link Values#coerce} produces and the codecs
 * accept): BOOLEAN {@link Boolean}, SMALLINT {@link Short}, INTEGER {@link Integer}, BIGINT
 * {@link Long}, REAL {@link Float}, DOUBLE {@link Double}, DECIMAL {@link java.math.BigDecimal}
 * with exactly the type's scale, VARCHAR/TEXT {@link String}, DATE {@link java.time.LocalDate},
 * TIMESTAMP {@link java.time.LocalDateTime} (microsecond precision, no time zone), BYTEA
 * {@code byte[]}.
 */
public final class DataType {
    /** The type families. */
    public enum Kind {
        BOOLEAN, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL, VARCHAR, DATE, TIMESTAMP, BYTEA
    }

    /** Largest DECIMAL precision (fits Arrow's 128-bit decimal). */
    public static final int MAX_DECIMAL_PRECISION = 38;
    /** Length of an unbounded VARCHAR (TEXT). */
    public static final int UNBOUNDED = -1;

    public static final DataType BOOLEAN = new DataType(Kind.BOOLEAN, 0, 0, 0);
    public static final DataType SMALLINT = new DataType(Kind.SMALLINT, 0, 0, 0);
    public static final DataType INTEGER = new DataType(Kind.INTEGER, 0, 0, 0);
    public static final DataType BIGINT = new DataType(Kind.BIGINT, 0, 0, 0);
    public static final DataType REAL = new DataType(Kind.REAL, 0, 0, 0);
    public static final DataType DOUBLE = new DataType(Kind.DOUBLE, 0, 0, 0);
    public static final DataType TEXT = new DataType(Kind.VARCHAR, 0, 0, UNBOUNDED);
    public static final DataType DATE = new DataType(Kind.DATE, 0, 0, 0);
    public static final DataType TIMESTAMP = new DataType(Kind.TIMESTAMP, 0, 0, 0);
    public static final DataType BYTEA = new DataType(Kind.BYTEA, 0, 0, 0);

    private final Kind kind;
    private final int precision;
    private final int scale;
    private final int length;

    private DataType(Kind kind, int precision, int scale, int length) {
        this.kind = kind;
        this.precision = precision;
        this.scale = scale;
        this.length = length;
    }

    /** DECIMAL(precision, scale); 1 ≤ precision ≤ 38, 0 ≤ scale ≤ precision. */
    public static DataType decimal(int precision, int scale) {
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
            throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE,
                    "DECIMAL precision %d must be between 1 and %d", precision, MAX_DECIMAL_PRECISION);
        }
        if (scale < 0 || scale > precision) {
            throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE,
                    "DECIMAL scale %d must be between 0 and the precision %d", scale, precision);
        }
        return new DataType(Kind.DECIMAL, precision, scale, 0);
    }

    /** VARCHAR(length), length ≥ 1; {@link #TEXT} for an unbounded string. */
    public static DataType varchar(int length) {
        if (length < 1) {
            throw DuetException.of(SqlState.INVALID_PARAMETER_VALUE, "VARCHAR length %d must be at least 1", length);
        }
        return new DataType(Kind.VARCHAR, 0, 0, length);
    }

    private static final Pattern TYPE_NAME =
            Pattern.compile("\\s*([a-z][a-z0-9_ ]*?)\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?\\s*");

    /**
     * Parses a type name as users write it: {@code int}, {@code integer}, {@code int4},
     * {@code bigint}, {@code varchar(10)}, {@code character varying(10)}, {@code text},
     * {@code decimal(10,2)}, {@code numeric}, {@code double precision}, {@code float8},
     * {@code real}, {@code timestamp}, {@code date}, {@code bytea}, {@code boolean} ...
     * Unknown names fail with 42704. {@code decimal} without parameters is DECIMAL(18,3).
     */
    public static DataType parse(String text) {
        Objects.requireNonNull(text, "text is null");
        Matcher m = TYPE_NAME.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw DuetException.of(SqlState.UNDEFINED_OBJECT, "type \"%s\" does not exist", text);
        }
        String name = m.group(1).replaceAll("\\s+", " ");
        Integer p1 = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        Integer p2 = m.group(3) == null ? null : Integer.valueOf(m.group(3));
        DataType simple = switch (name) {
            case "boolean", "bool" -> BOOLEAN;
            case "smallint", "int2" -> SMALLINT;
            case "integer", "int", "int4" -> INTEGER;
            case "bigint", "int8" -> BIGINT;
            case "real", "float4" -> REAL;
            case "double precision", "double", "float8", "float" -> DOUBLE;
            case "text", "string" -> TEXT;
            case "date" -> DATE;
            case "timestamp", "timestamp without time zone", "datetime" -> TIMESTAMP;
            case "bytea", "blob", "varbinary" -> BYTEA;
            default -> null;
        };
        if (simple != null) {
            if (p1 != null) {
                throw DuetException.of(SqlState.SYNTAX_ERROR, "type %s takes no parameters", simple);
            }
            return simple;
        }
        switch (name) {
            case "varchar", "character varying", "char varying":
                if (p2 != null) {
                    throw DuetException.of(SqlState.SYNTAX_ERROR, "VARCHAR takes one parameter");
                }
                return p1 == null ? TEXT : varchar(p1);
            case "decimal", "numeric", "dec":
                if (p1 == null) {
                    return decimal(18, 3);
                }
                return decimal(p1, p2 == null ? 0 : p2);
            default:
                throw DuetException.of(SqlState.UNDEFINED_OBJECT, "type \"%s\" does not exist", text.trim());
        }
    }

    public Kind kind() {
        return kind;
    }

    /** DECIMAL precision; 0 for other kinds. */
    public int precision() {
        return precision;
    }

    /** DECIMAL scale; 0 for other kinds. */
    public int scale() {
        return scale;
    }

    /** VARCHAR maximum length in characters, {@link #UNBOUNDED} for TEXT; 0 for other kinds. */
    public int length() {
        return length;
    }

    /** True for BOOLEAN, the numeric kinds, DATE and TIMESTAMP: values of one fixed byte width. */
    public boolean isFixedWidth() {
        return switch (kind) {
            case VARCHAR, BYTEA -> false;
            case DECIMAL -> precision <= 18;
            default -> true;
        };
    }

    /** The Arrow type this SQL type is stored as in column segments and batches. */
    public ArrowType arrowType() {
        return switch (kind) {
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case SMALLINT -> new ArrowType.Int(16, true);
            case INTEGER -> new ArrowType.Int(32, true);
            case BIGINT -> new ArrowType.Int(64, true);
            case REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case DECIMAL -> new ArrowType.Decimal(precision, scale, 128);
            case VARCHAR -> ArrowType.Utf8.INSTANCE;
            case DATE -> new ArrowType.Date(DateUnit.DAY);
            case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
            case BYTEA -> ArrowType.Binary.INSTANCE;
        };
    }

    /** An Arrow field of this type. */
    public Field arrowField(String name, boolean nullable) {
        return new Field(name, new FieldType(nullable, arrowType(), null), null);
    }

    /** The SQL spelling, e.g. {@code DECIMAL(10,2)}, {@code VARCHAR(5)}, {@code TEXT}. */
    @Override
    public String toString() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case VARCHAR -> length == UNBOUNDED ? "TEXT" : "VARCHAR(" + length + ")";
            case DOUBLE -> "DOUBLE PRECISION";
            default -> kind.name();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataType t
                && t.kind == kind && t.precision == precision && t.scale == scale && t.length == length;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, precision, scale, length);
    }
}
