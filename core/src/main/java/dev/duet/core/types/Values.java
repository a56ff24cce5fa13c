package dev.duet.core.types;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Objects;

/**
 * Operations on single SQL values in their canonical Java representation (listed on
 * {@link DataType}): {@link #coerce} turns what a user or driver hands us into that
 * representation, enforcing the column type the way PostgreSQL does (range checks, DECIMAL
 * rounding, VARCHAR length with trailing-space truncation), and {@link #compare}, {@link #equal},
 * {@link #hash} and {@link #toSqlLiteral} give every other module one definition of SQL ordering,
 * equality and display. The codecs ({@link RowCodec}, {@link KeyCodec}) accept only canonical
 * values, so everything stored has passed through {@code coerce}.
 */
public final class Values {
    static final long MICROS_PER_DAY = 86_400_000_000L;

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** Longest value text quoted in an error message; a 10 MB string makes a useless message. */
    private static final int MAX_SHOWN = 100;

    private Values() {
    }

    /**
     * Converts {@code value} to the canonical representation of {@code type}; null stays null.
     * Errors: 22003 for numbers, dates and timestamps out of range, 22001 for a too-long string,
     * 22P02 for a string with an unpaired surrogate (not valid Unicode, so PostgreSQL clients could
     * not receive it), 42804 for a value of an unsupported Java type (including a non-integral
     * number for an integer column).
     *
     * @param columnName named in error messages; may be null when there is no column
     */
    public static Object coerce(DataType type, Object value, String columnName) {
        Objects.requireNonNull(type, "type is null");
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> {
                if (value instanceof Boolean) {
                    yield value;
                }
                throw mismatch(type, value, columnName);
            }
            case SMALLINT -> {
                if (value instanceof Short) {
                    yield value;
                }
                yield (short) toLong(type, value, columnName, Short.MIN_VALUE, Short.MAX_VALUE);
            }
            case INTEGER -> {
                if (value instanceof Integer) {
                    yield value;
                }
                yield (int) toLong(type, value, columnName, Integer.MIN_VALUE, Integer.MAX_VALUE);
            }
            case BIGINT -> {
                if (value instanceof Long) {
                    yield value;
                }
                yield toLong(type, value, columnName, Long.MIN_VALUE, Long.MAX_VALUE);
            }
            case REAL -> coerceReal(type, value, columnName);
            case DOUBLE -> coerceDouble(type, value, columnName);
            case DECIMAL -> coerceDecimal(type, value, columnName);
            case VARCHAR -> coerceString(type, value, columnName);
            case DATE -> {
                LocalDate d;
                if (value instanceof LocalDate ld) {
                    d = ld;
                } else if (value instanceof java.sql.Date sd) {
                    d = sd.toLocalDate();
                } else {
                    throw mismatch(type, value, columnName);
                }
                long day = d.toEpochDay();
                if (day != (int) day) { // the codecs and Arrow store DATE as a 32-bit day number
                    throw outOfRange(type, d, columnName);
                }
                yield d;
            }
            case TIMESTAMP -> {
                LocalDateTime t;
                if (value instanceof LocalDateTime ldt) {
                    t = ldt;
                } else if (value instanceof java.sql.Timestamp ts) {
                    t = ts.toLocalDateTime();
                } else {
                    throw mismatch(type, value, columnName);
                }
                int nano = t.getNano();
                if (nano % 1000 != 0) {
                    t = t.withNano(nano - nano % 1000);
                }
                if (!fitsEpochMicros(t)) {
                    throw outOfRange(type, t, columnName);
                }
                yield t;
            }
            case BYTEA -> {
                if (value instanceof byte[]) {
                    yield value;
                }
                throw mismatch(type, value, columnName);
            }
        };
    }

    /**
     * Orders two canonical non-null values of {@code type} as SQL does, and exactly as the
     * {@link KeyCodec} encodings order: strings by code point (which is UTF-8 byte order, not
     * UTF-16 order), BYTEA unsigned lexicographically, REAL/DOUBLE with -0.0 equal to 0.0 and NaN
     * equal to itself and above every other value (PostgreSQL's rule).
     */
    public static int compare(DataType type, Object a, Object b) {
        Objects.requireNonNull(a, "a is null");
        Objects.requireNonNull(b, "b is null");
        return switch (type.kind()) {
            case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
            case SMALLINT -> Short.compare((Short) a, (Short) b);
            case INTEGER -> Integer.compare((Integer) a, (Integer) b);
            case BIGINT -> Long.compare((Long) a, (Long) b);
            case REAL -> compareFloat((Float) a, (Float) b);
            case DOUBLE -> compareDouble((Double) a, (Double) b);
            case DECIMAL -> ((BigDecimal) a).compareTo((BigDecimal) b);
            case VARCHAR -> compareCodePoints((String) a, (String) b);
            case DATE -> ((LocalDate) a).compareTo((LocalDate) b);
            case TIMESTAMP -> ((LocalDateTime) a).compareTo((LocalDateTime) b);
            case BYTEA -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
        };
    }

    /** SQL equality of two canonical values, consistent with {@link #compare}; null equals only null. */
    public static boolean equal(DataType type, Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return switch (type.kind()) {
            case VARCHAR, BOOLEAN, SMALLINT, INTEGER, BIGINT, DATE, TIMESTAMP -> a.equals(b);
            case BYTEA -> Arrays.equals((byte[]) a, (byte[]) b);
            default -> compare(type, a, b) == 0;
        };
    }

    /** A hash code consistent with {@link #equal} (so -0.0 and 0.0, or 1.0 and 1.00, hash alike); 0 for null. */
    public static int hash(DataType type, Object value) {
        if (value == null) {
            return 0;
        }
        return switch (type.kind()) {
            case REAL -> {
                float f = (Float) value;
                yield Float.hashCode(f == 0.0f ? 0.0f : f); // floatToIntBits already folds NaNs
            }
            case DOUBLE -> {
                double d = (Double) value;
                yield Double.hashCode(d == 0.0 ? 0.0 : d);
            }
            case DECIMAL -> {
                BigDecimal bd = (BigDecimal) value;
                yield bd.signum() == 0 ? 0 : bd.stripTrailingZeros().hashCode();
            }
            case BYTEA -> Arrays.hashCode((byte[]) value);
            default -> value.hashCode();
        };
    }

    /**
     * The value as a SQL literal for messages and DDL text: {@code NULL}, {@code TRUE}, {@code 42},
     * {@code 1.50}, {@code 'it''s'}, {@code 'NaN'}, {@code DATE '2024-01-02'},
     * {@code TIMESTAMP '2024-01-02 03:04:05.123'}, {@code BYTEA '\x01ff'}.
     */
    public static String toSqlLiteral(DataType type, Object value) {
        if (value == null) {
            return "NULL";
        }
        return switch (type.kind()) {
            case BOOLEAN -> ((Boolean) value) ? "TRUE" : "FALSE";
            case SMALLINT, INTEGER, BIGINT -> value.toString();
            case REAL, DOUBLE -> {
                double d = ((Number) value).doubleValue();
                if (Double.isNaN(d)) {
                    yield "'NaN'";
                } else if (Double.isInfinite(d)) {
                    yield d > 0 ? "'Infinity'" : "'-Infinity'";
                }
                yield value.toString();
            }
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case VARCHAR -> quote((String) value);
            case DATE -> "DATE '" + value + "'";
            case TIMESTAMP -> "TIMESTAMP '" + formatTimestamp((LocalDateTime) value) + "'";
            case BYTEA -> {
                byte[] bytes = (byte[]) value;
                StringBuilder sb = new StringBuilder(bytes.length * 2 + 10).append("BYTEA '\\x");
                for (byte b : bytes) {
                    sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
                }
                yield sb.append('\'').toString();
            }
        };
    }

    /**
     * Microseconds since 1970-01-01T00:00, the timestamp read as if it were UTC. Throws 22003 when
     * the result does not fit a {@code long} (beyond roughly ±292,000 years).
     */
    public static long toEpochMicros(LocalDateTime t) {
        long day = t.toLocalDate().toEpochDay();
        long microOfDay = t.toLocalTime().toNanoOfDay() / 1000;
        try {
            if (day < 0 && microOfDay > 0) {
                // day * MICROS_PER_DAY alone can overflow although the sum does not.
                return Math.addExact(Math.multiplyExact(day + 1, MICROS_PER_DAY), microOfDay - MICROS_PER_DAY);
            }
            return Math.addExact(Math.multiplyExact(day, MICROS_PER_DAY), microOfDay);
        } catch (ArithmeticException e) {
            throw DuetException.of(SqlState.DATETIME_FIELD_OVERFLOW, "timestamp %s is out of range", t);
        }
    }

    /** The inverse of {@link #toEpochMicros}; defined for every {@code long}. */
    public static LocalDateTime fromEpochMicros(long micros) {
        long day = Math.floorDiv(micros, MICROS_PER_DAY);
        long microOfDay = Math.floorMod(micros, MICROS_PER_DAY);
        return LocalDateTime.of(LocalDate.ofEpochDay(day), LocalTime.ofNanoOfDay(microOfDay * 1000));
    }

    // ---------------------------------------------------------------- coercion helpers

    private static long toLong(DataType type, Object value, String column, long min, long max) {
        long v;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            v = ((Number) value).longValue();
        } else if (value instanceof BigInteger bi) {
            if (bi.compareTo(LONG_MIN) < 0 || bi.compareTo(LONG_MAX) > 0) {
                throw outOfRange(type, value, column);
            }
            v = bi.longValue();
        } else if (value instanceof BigDecimal bd) {
            if (bd.signum() == 0) {
                return 0;
            }
            // More than 19 integer digits cannot fit a long; checking first keeps 1E+999999999 cheap.
            if (bd.precision() - bd.scale() > 19) {
                throw outOfRange(type, value, column);
            }
            if (bd.scale() > 0 && bd.stripTrailingZeros().scale() > 0) {
                throw notIntegral(type, value, column);
            }
            BigInteger bi = bd.toBigInteger();
            if (bi.compareTo(LONG_MIN) < 0 || bi.compareTo(LONG_MAX) > 0) {
                throw outOfRange(type, value, column);
            }
            v = bi.longValue();
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw outOfRange(type, value, column); // as PostgreSQL: 'NaN'::float8::int is out of range
            }
            if (d != Math.rint(d)) {
                throw notIntegral(type, value, column);
            }
            // 0x1p63 is Long.MAX_VALUE + 1; every double below it converts exactly.
            if (d < -0x1p63 || d >= 0x1p63) {
                throw outOfRange(type, value, column);
            }
            v = (long) d;
        } else {
            throw mismatch(type, value, column);
        }
        if (v < min || v > max) {
            throw outOfRange(type, value, column);
        }
        return v;
    }

    private static Float coerceReal(DataType type, Object value, String column) {
        if (value instanceof Float f) {
            return f;
        }
        if (!(value instanceof Number n)) {
            throw mismatch(type, value, column);
        }
        double d = toDouble(type, n, column);
        float f = (float) d;
        // PostgreSQL rejects both overflow and underflow (a non-zero value that becomes 0) in float4.
        if ((Float.isInfinite(f) && !Double.isInfinite(d)) || (f == 0.0f && d != 0.0)) {
            throw outOfRange(type, value, column);
        }
        return f;
    }

    private static Double coerceDouble(DataType type, Object value, String column) {
        if (value instanceof Double d) {
            return d;
        }
        if (!(value instanceof Number n)) {
            throw mismatch(type, value, column);
        }
        return toDouble(type, n, column);
    }

    private static double toDouble(DataType type, Number n, String column) {
        if (n instanceof BigDecimal || n instanceof BigInteger) {
            // Exact arbitrary-precision values: overflow to infinity or underflow to zero is an error.
            double d = n.doubleValue();
            int signum = n instanceof BigDecimal bd ? bd.signum() : ((BigInteger) n).signum();
            if (Double.isInfinite(d) || (d == 0.0 && signum != 0)) {
                throw outOfRange(type, n, column);
            }
            return d;
        }
        return n.doubleValue();
    }

    private static BigDecimal coerceDecimal(DataType type, Object value, String column) {
        BigDecimal bd;
        if (value instanceof BigDecimal b) {
            bd = b;
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            bd = BigDecimal.valueOf(((Number) value).longValue());
        } else if (value instanceof BigInteger bi) {
            bd = new BigDecimal(bi);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw outOfRange(type, value, column);
            }
            // The shortest decimal that reads back as the same float: 0.1f is 0.1, not 0.100000001490116.
            bd = value instanceof Float f ? new BigDecimal(f.toString()) : BigDecimal.valueOf(d);
        } else if (value instanceof Number n) {
            bd = otherNumberToDecimal(type, n, column);
        } else {
            throw mismatch(type, value, column);
        }
        int p = type.precision();
        int s = type.scale();
        if (bd.scale() == s) {
            if (bd.precision() > p) {
                throw outOfRange(type, value, column);
            }
            return bd;
        }
        if (bd.signum() == 0) {
            return BigDecimal.valueOf(0, s);
        }
        // Cheap bounds before setScale, which would build a 10^(huge) for 1E+999999999 or 1E-999999999.
        int integerDigits = bd.precision() - bd.scale(); // |bd| < 10^integerDigits, and >= 10^(integerDigits-1)
        if (integerDigits > p - s) {
            throw outOfRange(type, value, column);
        }
        if (integerDigits < -s - 1) { // |bd| < 10^(-s-2): rounds to zero at scale s
            return BigDecimal.valueOf(0, s);
        }
        BigDecimal r = bd.setScale(s, RoundingMode.HALF_UP);
        if (r.precision() > p) { // rounding may carry into a new digit: 999.995 in DECIMAL(5,2)
            throw outOfRange(type, value, column);
        }
        return r;
    }

    private static BigDecimal otherNumberToDecimal(DataType type, Number n, String column) {
        // AtomicLong, LongAdder, DoubleAdder and most custom Number classes print as a decimal.
        try {
            return new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw outOfRange(type, n, column);
            }
            return BigDecimal.valueOf(d);
        }
    }

    private static String coerceString(DataType type, Object value, String column) {
        if (!(value instanceof CharSequence cs)) {
            throw mismatch(type, value, column);
        }
        String s = cs.toString();
        int bad = unpairedSurrogate(s);
        if (bad >= 0) {
            throw DuetException.of(SqlState.CHARACTER_NOT_IN_REPERTOIRE,
                    "value for %s contains an unpaired surrogate U+%04X at index %d",
                    column == null ? "type " + type : "column \"" + column + "\"", (int) s.charAt(bad), bad);
        }
        int max = type.length();
        if (max == DataType.UNBOUNDED || s.length() <= max) {
            return s; // a string never has more code points than chars
        }
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        // PostgreSQL's exception to 22001: excess characters that are all spaces are dropped silently.
        int cut = s.offsetByCodePoints(0, max);
        for (int i = cut; i < s.length(); i++) {
            if (s.charAt(i) != ' ') {
                throw DuetException.of(SqlState.STRING_DATA_RIGHT_TRUNCATION, "value too long for type %s", type);
            }
        }
        return s.substring(0, cut);
    }

    /** Index of the first surrogate char that is not half of a pair, or -1. */
    private static int unpairedSurrogate(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean fitsEpochMicros(LocalDateTime t) {
        try {
            toEpochMicros(t);
            return true;
        } catch (DuetException e) {
            return false;
        }
    }

    private static DuetException mismatch(DataType type, Object value, String column) {
        if (column == null) {
            return DuetException.of(SqlState.DATATYPE_MISMATCH,
                    "expected a value of type %s but the value is of type %s", type, value.getClass().getName());
        }
        return DuetException.of(SqlState.DATATYPE_MISMATCH,
                "column \"%s\" is of type %s but the value is of type %s", column, type, value.getClass().getName());
    }

    private static DuetException notIntegral(DataType type, Object value, String column) {
        if (column == null) {
            return DuetException.of(SqlState.DATATYPE_MISMATCH,
                    "value %s of type %s is not an integer, as type %s requires",
                    show(value), value.getClass().getName(), type);
        }
        return DuetException.of(SqlState.DATATYPE_MISMATCH,
                "column \"%s\" is of type %s but the value %s of type %s is not an integer",
                column, type, show(value), value.getClass().getName());
    }

    private static DuetException outOfRange(DataType type, Object value, String column) {
        SqlState state = type.kind() == DataType.Kind.DATE || type.kind() == DataType.Kind.TIMESTAMP
                ? SqlState.DATETIME_FIELD_OVERFLOW : SqlState.NUMERIC_VALUE_OUT_OF_RANGE;
        if (column == null) {
            return DuetException.of(state,
                    "value %s is out of range for type %s", show(value), type);
        }
        return DuetException.of(state,
                "value %s is out of range for column \"%s\" of type %s", show(value), column, type);
    }

    private static String show(Object value) {
        String s = value instanceof BigDecimal bd && Math.abs((long) bd.precision() - bd.scale()) < MAX_SHOWN
                ? bd.toPlainString() : String.valueOf(value);
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "...";
    }

    // ---------------------------------------------------------------- comparison helpers

    private static int compareDouble(double a, double b) {
        if (a < b) {
            return -1;
        }
        if (a > b) {
            return 1;
        }
        if (a == b) {
            return 0; // also -0.0 == 0.0
        }
        return Boolean.compare(Double.isNaN(a), Double.isNaN(b));
    }

    private static int compareFloat(float a, float b) {
        return compareDouble(a, b);
    }

    /** UTF-16 order differs from code point order once supplementary characters meet U+E000..U+FFFF. */
    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                if (ca < Character.MIN_SURROGATE && cb < Character.MIN_SURROGATE) {
                    return ca - cb;
                }
                // Compare whole code points; the one at i may have started at i - 1 (a shared high surrogate).
                int start = i > 0 && Character.isHighSurrogate(a.charAt(i - 1)) ? i - 1 : i;
                int pa = a.codePointAt(start);
                int pb = b.codePointAt(start);
                if (pa == pb) { // the shared high surrogate was unpaired in both
                    pa = a.codePointAt(i);
                    pb = b.codePointAt(i);
                }
                return Integer.compare(pa, pb);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    // ---------------------------------------------------------------- display helpers

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** PostgreSQL's text form: {@code 2024-01-02 03:04:05}, fraction without trailing zeros. */
    private static String formatTimestamp(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(26).append(t.toLocalDate()).append(' ');
        pad2(sb, t.getHour()).append(':');
        pad2(sb, t.getMinute()).append(':');
        pad2(sb, t.getSecond());
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            String frac = Integer.toString(1_000_000 + micros).substring(1);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(frac, 0, end);
        }
        return sb.toString();
    }

    private static StringBuilder pad2(StringBuilder sb, int v) {
        return (v < 10 ? sb.append('0') : sb).append(v);
    }
}
