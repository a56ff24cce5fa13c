package dev.duet.jdbc;

import static dev.duet.jdbc.JdbcErrors.error;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import dev.duet.core.types.TextValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;

/**
 * The standard JDBC getter conversions of one non-null cell of a result set's {@link CurrentRow}
 * (a row of an Arrow batch or of Java values) whose column has SQL type {@code type}.
 * Every {@link java.sql.ResultSet} of the driver, streaming or built in memory, reads its values
 * here, so a conversion behaves the same everywhere. Primitive getters of a batch read its
 * vectors without boxing; the others allocate only the object they return (and, for text, the UTF-8 bytes).
 *
 * <p>Rules (PostgreSQL's driver behaves alike): any type reads as a string (its PostgreSQL text
 * form); numbers read as any numeric type, truncating toward zero to integers and failing with
 * 22003 when out of range; text reads as a number, boolean, date or timestamp by parsing (22P02
 * when it is not one); booleans read as 1/0; a TIMESTAMP reads as a date (its day) or a time (its
 * time of day) and a DATE as a timestamp (its midnight). {@code OffsetDateTime} and
 * {@code Instant} treat a TIMESTAMP as UTC. Other pairs fail with 42804.
 */
final class JdbcConversions {
    private static final double LONG_LIMIT = 0x1p63; // Long.MAX_VALUE + 1, exactly

    private JdbcConversions() {
    }

    static String getString(CurrentRow r, int c, DataType type) {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT -> Long.toString(r.integer(c));
            case VARCHAR -> r.text(c);
            default -> TextValues.format(type, r.canonical(c));
        };
    }

    static boolean getBoolean(CurrentRow r, int c, DataType type) throws SQLException {
        return switch (type.kind()) {
            case BOOLEAN -> r.integer(c) != 0;
            case SMALLINT, INTEGER, BIGINT -> getLong(r, c, type, Long.MIN_VALUE, Long.MAX_VALUE, "bigint") != 0;
            case REAL, DOUBLE -> r.floating(c) != 0.0;
            case DECIMAL -> r.decimal(c).signum() != 0;
            case VARCHAR -> (Boolean) parse(DataType.BOOLEAN, r.text(c));
            default -> throw mismatch(type, "boolean");
        };
    }

    /**
     * The value as an integer in [{@code min}, {@code max}] (the range of the getter's Java type,
     * named {@code target} in errors); fractions are truncated toward zero.
     */
    static long getLong(CurrentRow r, int c, DataType type, long min, long max, String target) throws SQLException {
        long value = switch (type.kind()) {
            case BOOLEAN, SMALLINT, INTEGER, BIGINT -> r.integer(c);
            case REAL, DOUBLE -> doubleToLong(r.floating(c), target);
            case DECIMAL -> decimalToLong(r.decimal(c), target);
            case VARCHAR -> textToLong(r.text(c), target);
            default -> throw mismatch(type, target);
        };
        if (value < min || value > max) {
            throw error(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value %d is out of range for type %s", value, target);
        }
        return value;
    }

    static double getDouble(CurrentRow r, int c, DataType type) throws SQLException {
        return switch (type.kind()) {
            case BOOLEAN, SMALLINT, INTEGER, BIGINT -> r.integer(c);
            case REAL, DOUBLE -> r.floating(c);
            case DECIMAL -> r.decimal(c).doubleValue();
            case VARCHAR -> (Double) parse(DataType.DOUBLE, r.text(c));
            default -> throw mismatch(type, "double precision");
        };
    }

    static float getFloat(CurrentRow r, int c, DataType type) throws SQLException {
        if (type.kind() == DataType.Kind.REAL) {
            return (float) r.floating(c);
        }
        double d = getDouble(r, c, type);
        float f = (float) d;
        if (Float.isInfinite(f) && !Double.isInfinite(d)) {
            throw error(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value %s is out of range for type real", d);
        }
        return f;
    }

    static BigDecimal getBigDecimal(CurrentRow r, int c, DataType type) throws SQLException {
        return switch (type.kind()) {
            case BOOLEAN, SMALLINT, INTEGER, BIGINT ->
                    BigDecimal.valueOf(getLong(r, c, type, Long.MIN_VALUE, Long.MAX_VALUE, "numeric"));
            case REAL, DOUBLE -> {
                double d = r.floating(c);
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw error(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "%s cannot be read as a numeric", d);
                }
                // The shortest decimal that reads back as the same float: 0.1f is 0.1.
                yield type.kind() == DataType.Kind.REAL ? new BigDecimal(Float.toString((float) d)) : BigDecimal.valueOf(d);
            }
            case DECIMAL -> r.decimal(c);
            case VARCHAR -> {
                String s = r.text(c).strip();
                try {
                    yield new BigDecimal(s);
                } catch (NumberFormatException e) {
                    throw error(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type numeric: \"%s\"", s);
                }
            }
            default -> throw mismatch(type, "numeric");
        };
    }

    /** BYTEA as its bytes, text as its UTF-8 bytes. */
    static byte[] getBytes(CurrentRow r, int c, DataType type) throws SQLException {
        return switch (type.kind()) {
            case BYTEA, VARCHAR -> r.bytes(c);
            default -> throw mismatch(type, "bytea");
        };
    }

    static LocalDate getLocalDate(CurrentRow r, int c, DataType type) throws SQLException {
        return switch (type.kind()) {
            case DATE -> (LocalDate) r.canonical(c);
            case TIMESTAMP -> ((LocalDateTime) r.canonical(c)).toLocalDate();
            case VARCHAR -> (LocalDate) parse(DataType.DATE, r.text(c));
            default -> throw mismatch(type, "date");
        };
    }

    static LocalDateTime getLocalDateTime(CurrentRow r, int c, DataType type) throws SQLException {
        return switch (type.kind()) {
            case DATE -> ((LocalDate) r.canonical(c)).atStartOfDay();
            case TIMESTAMP -> (LocalDateTime) r.canonical(c);
            case VARCHAR -> {
                String s = r.text(c);
                // A date alone is a timestamp at midnight, as PostgreSQL reads '2024-01-02'::timestamp.
                yield s.strip().length() <= 10 ? ((LocalDate) parse(DataType.DATE, s)).atStartOfDay()
                        : (LocalDateTime) parse(DataType.TIMESTAMP, s);
            }
            default -> throw mismatch(type, "timestamp");
        };
    }

    /** The time of day of a TIMESTAMP, or a time given as text ({@code 12:34:56}). Duet has no TIME type. */
    static LocalTime getLocalTime(CurrentRow r, int c, DataType type) throws SQLException {
        return switch (type.kind()) {
            case TIMESTAMP -> ((LocalDateTime) r.canonical(c)).toLocalTime();
            case VARCHAR -> {
                String s = r.text(c).strip();
                try {
                    yield LocalTime.parse(s);
                } catch (java.time.format.DateTimeParseException e) {
                    throw error(SqlState.INVALID_DATETIME_FORMAT, "invalid input syntax for type time: \"%s\"", s);
                }
            }
            default -> throw mismatch(type, "time");
        };
    }

    static java.sql.Date getDate(CurrentRow r, int c, DataType type, Calendar calendar) throws SQLException {
        LocalDate d = getLocalDate(r, c, type);
        if (calendar == null) {
            return java.sql.Date.valueOf(d);
        }
        return new java.sql.Date(d.atStartOfDay(calendar.getTimeZone().toZoneId()).toInstant().toEpochMilli());
    }

    static Time getTime(CurrentRow r, int c, DataType type, Calendar calendar) throws SQLException {
        LocalTime t = getLocalTime(r, c, type);
        if (calendar == null) {
            return Time.valueOf(t);
        }
        long millis = t.atDate(LocalDate.EPOCH).atZone(calendar.getTimeZone().toZoneId()).toInstant().toEpochMilli();
        return new Time(millis);
    }

    static Timestamp getTimestamp(CurrentRow r, int c, DataType type, Calendar calendar) throws SQLException {
        LocalDateTime t = getLocalDateTime(r, c, type);
        if (calendar == null) {
            return Timestamp.valueOf(t);
        }
        return Timestamp.from(t.atZone(calendar.getTimeZone().toZoneId()).toInstant());
    }

    /**
     * The value as {@link java.sql.ResultSet#getObject(int)} returns it: the class
     * {@link JdbcTypes#javaClass} names (Integer for SMALLINT, LocalDate and LocalDateTime for
     * DATE and TIMESTAMP).
     */
    static Object getObject(CurrentRow r, int c, DataType type) {
        return switch (type.kind()) {
            case SMALLINT -> (int) r.integer(c);
            case VARCHAR -> r.text(c);
            default -> r.canonical(c);
        };
    }

    /** {@link java.sql.ResultSet#getObject(int, Class)}: the value converted to {@code target}. */
    static <T> T getObject(CurrentRow r, int c, DataType type, Class<T> target) throws SQLException {
        Object value;
        if (target == Object.class) {
            value = getObject(r, c, type);
        } else if (target == String.class) {
            value = getString(r, c, type);
        } else if (target == Boolean.class) {
            value = getBoolean(r, c, type);
        } else if (target == Byte.class) {
            value = (byte) getLong(r, c, type, Byte.MIN_VALUE, Byte.MAX_VALUE, "tinyint");
        } else if (target == Short.class) {
            value = (short) getLong(r, c, type, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
        } else if (target == Integer.class) {
            value = (int) getLong(r, c, type, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
        } else if (target == Long.class) {
            value = getLong(r, c, type, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
        } else if (target == Float.class) {
            value = getFloat(r, c, type);
        } else if (target == Double.class) {
            value = getDouble(r, c, type);
        } else if (target == BigDecimal.class) {
            value = getBigDecimal(r, c, type);
        } else if (target == BigInteger.class) {
            value = getBigDecimal(r, c, type).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
        } else if (target == byte[].class) {
            value = getBytes(r, c, type);
        } else if (target == LocalDate.class) {
            value = getLocalDate(r, c, type);
        } else if (target == LocalDateTime.class) {
            value = getLocalDateTime(r, c, type);
        } else if (target == LocalTime.class) {
            value = getLocalTime(r, c, type);
        } else if (target == OffsetDateTime.class) {
            value = getLocalDateTime(r, c, type).atOffset(ZoneOffset.UTC);
        } else if (target == Instant.class) {
            value = getLocalDateTime(r, c, type).toInstant(ZoneOffset.UTC);
        } else if (target == java.sql.Date.class) {
            value = getDate(r, c, type, null);
        } else if (target == Time.class) {
            value = getTime(r, c, type, null);
        } else if (target == Timestamp.class || target == java.util.Date.class) {
            value = getTimestamp(r, c, type, null);
        } else {
            throw JdbcErrors.notSupported("reading a value as " + target.getName());
        }
        return target.cast(value);
    }

    private static Object parse(DataType type, String text) throws SQLException {
        try {
            return TextValues.parse(type, text, null);
        } catch (DuetException e) {
            throw e.toSQLException();
        }
    }

    private static long doubleToLong(double d, String target) throws SQLException {
        if (Double.isNaN(d) || d < -LONG_LIMIT || d >= LONG_LIMIT) {
            throw error(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value %s is out of range for type %s", d, target);
        }
        return (long) d; // truncates toward zero
    }

    private static long decimalToLong(BigDecimal d, String target) throws SQLException {
        BigInteger i = d.setScale(0, RoundingMode.DOWN).unscaledValue();
        if (i.bitLength() > 63) {
            throw error(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value %s is out of range for type %s", d.toPlainString(), target);
        }
        return i.longValue();
    }

    private static long textToLong(String text, String target) throws SQLException {
        String s = text.strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException notPlain) {
            try {
                return decimalToLong(new BigDecimal(s), target);
            } catch (NumberFormatException e) {
                throw error(SqlState.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type %s: \"%s\"", target, s);
            }
        }
    }

    private static SQLException mismatch(DataType from, String to) {
        return error(SqlState.DATATYPE_MISMATCH, "a value of type %s cannot be read as %s", from, to);
    }
}
