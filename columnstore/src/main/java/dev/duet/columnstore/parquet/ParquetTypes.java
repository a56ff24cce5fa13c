package dev.duet.columnstore.parquet;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The mapping between Duet's SQL types and Parquet's physical and logical types.
 *
 * <table>
 * <caption>Written</caption>
 * <tr><th>Duet</th><th>Parquet</th></tr>
 * <tr><td>BOOLEAN</td><td>BOOLEAN</td></tr>
 * <tr><td>SMALLINT / INTEGER / BIGINT</td><td>INT32 INT(16,true) / INT32 INT(32,true) / INT64 INT(64,true)</td></tr>
 * <tr><td>REAL / DOUBLE</td><td>FLOAT / DOUBLE</td></tr>
 * <tr><td>DECIMAL(p,s)</td><td>DECIMAL(p,s) on INT32 (p ≤ 9), INT64 (p ≤ 18), else FIXED_LEN_BYTE_ARRAY of the fewest bytes</td></tr>
 * <tr><td>VARCHAR(n) / TEXT</td><td>BINARY STRING</td></tr>
 * <tr><td>DATE</td><td>INT32 DATE</td></tr>
 * <tr><td>TIMESTAMP</td><td>INT64 TIMESTAMP(isAdjustedToUTC=false, MICROS)</td></tr>
 * <tr><td>BYTEA</td><td>BINARY</td></tr>
 * </table>
 *
 * <p>Read back, besides these: INT(8) and UINT(8) as SMALLINT, UINT(16) as INTEGER, UINT(32) as
 * BIGINT, DECIMAL on BINARY, STRING-like annotations (ENUM, JSON) as TEXT, FIXED_LEN_BYTE_ARRAY
 * without annotation as BYTEA, and TIMESTAMP in MILLIS or NANOS (converted to micros; nanos
 * truncated) with either UTC flag (a UTC-adjusted instant reads as its UTC wall-clock time).
 * Anything else (nested columns, INT96, TIME, INTERVAL, UUID, UINT(64), FLOAT16...) fails with
 * 0A000 naming the column. VARCHAR(n) lengths survive only in files Duet wrote (the file's
 * {@value #DUET_TYPES_KEY} metadata); other STRING columns read as TEXT.
 */
public final class ParquetTypes {
    /** The key-value metadata entry where Duet records its exact column types, separated by ';'. */
    public static final String DUET_TYPES_KEY = "duet.types";

    /** Bytes of the two's complement FIXED_LEN_BYTE_ARRAY for each DECIMAL precision. */
    private static final int[] DECIMAL_BYTES = new int[DataType.MAX_DECIMAL_PRECISION + 1];

    static {
        for (int p = 1; p <= DataType.MAX_DECIMAL_PRECISION; p++) {
            // the fewest bytes n with 2^(8n-1) > 10^p - 1
            java.math.BigInteger max = java.math.BigInteger.TEN.pow(p).subtract(java.math.BigInteger.ONE);
            DECIMAL_BYTES[p] = (max.bitLength() + 1 + 7) / 8;
        }
    }

    private ParquetTypes() {
    }

    /** The byte width of a DECIMAL(p, _) stored as FIXED_LEN_BYTE_ARRAY. */
    static int decimalBytes(int precision) {
        return DECIMAL_BYTES[precision];
    }

    /** The Parquet schema of these columns (nullable columns OPTIONAL, others REQUIRED). */
    public static MessageType schema(List<BatchColumn> columns) {
        List<Type> fields = new ArrayList<>(columns.size());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (BatchColumn c : columns) {
            if (!names.add(c.name())) {
                throw DuetException.of(SqlState.DUPLICATE_COLUMN,
                        "column \"%s\" appears twice; Parquet column names must be unique", c.name());
            }
            fields.add(field(c));
        }
        return new MessageType("duet_schema", fields);
    }

    private static PrimitiveType field(BatchColumn c) {
        DataType t = c.type();
        Types.PrimitiveBuilder<PrimitiveType> b;
        switch (t.kind()) {
            case BOOLEAN -> b = Types.primitive(PrimitiveTypeName.BOOLEAN, repetition(c));
            case SMALLINT -> b = Types.primitive(PrimitiveTypeName.INT32, repetition(c))
                    .as(LogicalTypeAnnotation.intType(16, true));
            case INTEGER -> b = Types.primitive(PrimitiveTypeName.INT32, repetition(c))
                    .as(LogicalTypeAnnotation.intType(32, true));
            case BIGINT -> b = Types.primitive(PrimitiveTypeName.INT64, repetition(c))
                    .as(LogicalTypeAnnotation.intType(64, true));
            case REAL -> b = Types.primitive(PrimitiveTypeName.FLOAT, repetition(c));
            case DOUBLE -> b = Types.primitive(PrimitiveTypeName.DOUBLE, repetition(c));
            case DECIMAL -> {
                LogicalTypeAnnotation d = LogicalTypeAnnotation.decimalType(t.scale(), t.precision());
                if (t.precision() <= 9) {
                    b = Types.primitive(PrimitiveTypeName.INT32, repetition(c)).as(d);
                } else if (t.precision() <= 18) {
                    b = Types.primitive(PrimitiveTypeName.INT64, repetition(c)).as(d);
                } else {
                    b = Types.primitive(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY, repetition(c))
                            .length(decimalBytes(t.precision())).as(d);
                }
            }
            case VARCHAR -> b = Types.primitive(PrimitiveTypeName.BINARY, repetition(c))
                    .as(LogicalTypeAnnotation.stringType());
            case DATE -> b = Types.primitive(PrimitiveTypeName.INT32, repetition(c))
                    .as(LogicalTypeAnnotation.dateType());
            case TIMESTAMP -> b = Types.primitive(PrimitiveTypeName.INT64, repetition(c))
                    .as(LogicalTypeAnnotation.timestampType(false, TimeUnit.MICROS));
            case BYTEA -> b = Types.primitive(PrimitiveTypeName.BINARY, repetition(c));
            default -> throw new IllegalStateException("unhandled type " + t);
        }
        return b.named(c.name());
    }

    private static Type.Repetition repetition(BatchColumn c) {
        return c.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
    }

    /** The value of {@link #DUET_TYPES_KEY} for these columns. */
    static String duetTypes(List<BatchColumn> columns) {
        StringBuilder sb = new StringBuilder();
        for (BatchColumn c : columns) {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(c.type());
        }
        return sb.toString();
    }

    /**
     * The Duet columns of a file's schema. {@code duetTypes} (the file's {@value #DUET_TYPES_KEY}
     * entry, or null) refines the types where it agrees with the Parquet types (VARCHAR lengths).
     */
    static List<BatchColumn> columns(MessageType schema, String duetTypes, String file) {
        String[] recorded = duetTypes == null ? null : duetTypes.split(";", -1);
        if (recorded != null && recorded.length != schema.getFieldCount()) {
            recorded = null;
        }
        List<BatchColumn> out = new ArrayList<>(schema.getFieldCount());
        for (int i = 0; i < schema.getFieldCount(); i++) {
            Type f = schema.getType(i);
            if (!f.isPrimitive() || f.isRepetition(Type.Repetition.REPEATED)) {
                throw unsupported(file, f.getName(), "nested or repeated column");
            }
            DataType t = duetType(f.asPrimitiveType(), file);
            if (recorded != null) {
                t = refine(t, recorded[i]);
            }
            out.add(new BatchColumn(f.getName(), t, !f.isRepetition(Type.Repetition.REQUIRED)));
        }
        return out;
    }

    private static DataType refine(DataType fromParquet, String recorded) {
        try {
            DataType r = DataType.parse(recorded);
            return r.kind() == fromParquet.kind() && r.precision() == fromParquet.precision()
                    && r.scale() == fromParquet.scale() ? r : fromParquet;
        } catch (DuetException e) {
            return fromParquet; // metadata written by something else: the Parquet type stands
        }
    }

    /** The Duet type a Parquet column reads as; 0A000 when there is none. */
    static DataType duetType(PrimitiveType p, String file) {
        LogicalTypeAnnotation a = p.getLogicalTypeAnnotation();
        String name = p.getName();
        if (a instanceof DecimalLogicalTypeAnnotation d) {
            if (d.getPrecision() < 1 || d.getPrecision() > DataType.MAX_DECIMAL_PRECISION
                    || d.getScale() < 0 || d.getScale() > d.getPrecision()) {
                throw unsupported(file, name, "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")");
            }
            return DataType.decimal(d.getPrecision(), d.getScale());
        }
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                if (a == null) {
                    return DataType.BOOLEAN;
                }
                break;
            case INT32:
                if (a == null) {
                    return DataType.INTEGER;
                }
                if (a instanceof IntLogicalTypeAnnotation i) {
                    if (i.isSigned()) {
                        return i.getBitWidth() <= 16 ? DataType.SMALLINT : DataType.INTEGER;
                    }
                    return i.getBitWidth() <= 8 ? DataType.SMALLINT
                            : i.getBitWidth() <= 16 ? DataType.INTEGER : DataType.BIGINT;
                }
                if (a instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return DataType.DATE;
                }
                break;
            case INT64:
                if (a == null || a instanceof IntLogicalTypeAnnotation i && i.isSigned()) {
                    return DataType.BIGINT;
                }
                if (a instanceof TimestampLogicalTypeAnnotation) {
                    return DataType.TIMESTAMP;
                }
                break;
            case FLOAT:
                if (a == null) {
                    return DataType.REAL;
                }
                break;
            case DOUBLE:
                if (a == null) {
                    return DataType.DOUBLE;
                }
                break;
            case BINARY:
                if (a == null) {
                    return DataType.BYTEA;
                }
                if (a instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || a instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || a instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return DataType.TEXT;
                }
                break;
            case FIXED_LEN_BYTE_ARRAY:
                if (a == null) {
                    return DataType.BYTEA;
                }
                break;
            default:
                break;
        }
        throw unsupported(file, name, p.getPrimitiveTypeName() + (a == null ? "" : " " + a));
    }

    private static DuetException unsupported(String file, String column, String what) {
        return DuetException.of(SqlState.FEATURE_NOT_SUPPORTED,
                "column \"%s\" of Parquet file \"%s\" has type %s, which Duet does not support", column, file, what);
    }
}
