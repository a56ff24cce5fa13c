package dev.duet.core.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ValuesTest {
    private static final DataType DEC_5_2 = DataType.decimal(5, 2);

    private static Object coerce(DataType type, Object value) {
        return Values.coerce(type, value, "x");
    }

    private static DuetException fails(SqlState state, DataType type, Object value) {
        DuetException e = assertThrows(DuetException.class, () -> coerce(type, value));
        assertEquals(state, e.state(), e.getMessage());
        return e;
    }

    @Test
    void nullStaysNullForEveryType() {
        for (DataType t : RandomValues.ALL_TYPES) {
            assertNull(coerce(t, null));
        }
    }

    // ---------------------------------------------------------------- integers

    @Test
    void integerKindsAcceptEveryIntegralJavaType() {
        assertEquals((short) 7, coerce(DataType.SMALLINT, (byte) 7));
        assertEquals((short) -7, coerce(DataType.SMALLINT, -7));
        assertEquals((short) 7, coerce(DataType.SMALLINT, 7L));
        assertEquals((short) 7, coerce(DataType.SMALLINT, BigInteger.valueOf(7)));
        assertEquals(7, coerce(DataType.INTEGER, (short) 7));
        assertEquals(7, coerce(DataType.INTEGER, new BigDecimal("7.000")));
        assertEquals(70, coerce(DataType.INTEGER, new BigDecimal("7E+1")));
        assertEquals(7, coerce(DataType.INTEGER, 7.0));
        assertEquals(-7, coerce(DataType.INTEGER, -7.0f));
        assertEquals(Long.MIN_VALUE, coerce(DataType.BIGINT, -0x1p63));
        assertEquals(Long.MAX_VALUE, coerce(DataType.BIGINT, BigInteger.valueOf(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE, coerce(DataType.BIGINT, new BigDecimal(Long.MIN_VALUE)));
        assertEquals(0L, coerce(DataType.BIGINT, new BigDecimal("0E-30")));
        assertEquals(0L, coerce(DataType.BIGINT, -0.0));
    }

    @Test
    void canonicalIntegersAreReturnedAsIs() {
        Integer i = 123_456;
        Long l = 123_456_789L;
        assertSame(i, coerce(DataType.INTEGER, i));
        assertSame(l, coerce(DataType.BIGINT, l));
    }

    @Test
    void integersOutOfRangeAre22003WithPostgresStyleMessage() {
        DuetException e = fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.SMALLINT, 40000);
        assertEquals("value 40000 is out of range for column \"x\" of type SMALLINT", e.getMessage());
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.SMALLINT, -32769);
        assertEquals(Short.MIN_VALUE, coerce(DataType.SMALLINT, -32768));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.INTEGER, 1L << 31);
        assertEquals(Integer.MIN_VALUE, coerce(DataType.INTEGER, -(1L << 31)));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.BIGINT, BigInteger.ONE.shiftLeft(63));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.BIGINT, BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.BIGINT, 0x1p63); // Long.MAX_VALUE + 1
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.BIGINT, 1e300);
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.BIGINT, new BigDecimal("9223372036854775808"));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.INTEGER, Double.NaN);
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.INTEGER, Float.NEGATIVE_INFINITY);
    }

    @Test
    void hugeExponentsFailFastInsteadOfExpanding() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.BIGINT, new BigDecimal("1E+999999999"));
            fails(SqlState.DATATYPE_MISMATCH, DataType.BIGINT, new BigDecimal("1E-999999999"));
            fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DEC_5_2, new BigDecimal("1E+999999999"));
            assertEquals(new BigDecimal("0.00"), coerce(DEC_5_2, new BigDecimal("1E-999999999")));
            assertEquals(new BigDecimal("-0.00"), coerce(DEC_5_2, new BigDecimal("-1E-999999999")));
        });
    }

    @Test
    void nonIntegralNumbersIntoIntegerColumnsAre42804() {
        DuetException e = fails(SqlState.DATATYPE_MISMATCH, DataType.INTEGER, new BigDecimal("1.5"));
        assertTrue(e.getMessage().contains("column \"x\" is of type INTEGER"), e.getMessage());
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        fails(SqlState.DATATYPE_MISMATCH, DataType.BIGINT, 0.5);
        fails(SqlState.DATATYPE_MISMATCH, DataType.SMALLINT, 2.25f);
    }

    @Test
    void wrongJavaTypeIs42804() {
        DuetException e = fails(SqlState.DATATYPE_MISMATCH, DataType.INTEGER, "42");
        assertEquals("column \"x\" is of type INTEGER but the value is of type java.lang.String", e.getMessage());
        fails(SqlState.DATATYPE_MISMATCH, DataType.INTEGER, new AtomicInteger(1)); // only the listed classes
        fails(SqlState.DATATYPE_MISMATCH, DataType.BOOLEAN, 1);
        fails(SqlState.DATATYPE_MISMATCH, DataType.REAL, "1.5");
        fails(SqlState.DATATYPE_MISMATCH, DEC_5_2, true);
        fails(SqlState.DATATYPE_MISMATCH, DataType.TEXT, 'c');
        fails(SqlState.DATATYPE_MISMATCH, DataType.DATE, "2024-01-01");
        fails(SqlState.DATATYPE_MISMATCH, DataType.DATE, LocalDateTime.of(2024, 1, 1, 0, 0));
        fails(SqlState.DATATYPE_MISMATCH, DataType.TIMESTAMP, LocalDate.of(2024, 1, 1));
        fails(SqlState.DATATYPE_MISMATCH, DataType.BYTEA, "ab");
        e = fails(SqlState.DATATYPE_MISMATCH, DataType.BYTEA, new Object());
        assertTrue(e.getMessage().contains("java.lang.Object"));
    }

    @Test
    void messagesWithoutAColumnName() {
        DuetException e = assertThrows(DuetException.class, () -> Values.coerce(DataType.SMALLINT, 40000, null));
        assertEquals("value 40000 is out of range for type SMALLINT", e.getMessage());
        e = assertThrows(DuetException.class, () -> Values.coerce(DataType.INTEGER, "a", null));
        assertEquals(SqlState.DATATYPE_MISMATCH, e.state());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
    }

    // ---------------------------------------------------------------- floating point

    @Test
    void realAndDoubleAcceptAnyNumber() {
        assertEquals(1.5f, coerce(DataType.REAL, 1.5));
        assertEquals(3.0f, coerce(DataType.REAL, 3));
        assertEquals(0.25f, coerce(DataType.REAL, new BigDecimal("0.25")));
        assertEquals(16777216.0f, coerce(DataType.REAL, 16777217L)); // rounds, as PostgreSQL's int8 -> float4
        assertEquals(0.5, coerce(DataType.DOUBLE, 0.5f));
        assertEquals(9.223372036854776E18, coerce(DataType.DOUBLE, Long.MAX_VALUE));
        assertEquals(1e300, coerce(DataType.DOUBLE, BigInteger.TEN.pow(300)));
        assertEquals(42.0, coerce(DataType.DOUBLE, new AtomicLong(42)));
        assertEquals(Float.NaN, coerce(DataType.REAL, Double.NaN));
        assertEquals(Float.NEGATIVE_INFINITY, coerce(DataType.REAL, Double.NEGATIVE_INFINITY));
        assertEquals(-0.0f, coerce(DataType.REAL, -0.0)); // kept as PostgreSQL keeps it
        assertEquals(Double.POSITIVE_INFINITY, coerce(DataType.DOUBLE, Double.POSITIVE_INFINITY));
        assertEquals(Float.MIN_VALUE, coerce(DataType.REAL, (double) Float.MIN_VALUE));
    }

    @Test
    void floatingPointOutOfRangeIs22003() {
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.REAL, 1e39);
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.REAL, -Double.MAX_VALUE);
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.REAL, 1e-50); // underflow to zero
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.REAL, new BigDecimal("1E+39"));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.DOUBLE, new BigDecimal("1E+400"));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.DOUBLE, new BigDecimal("-1E-400"));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.DOUBLE, BigInteger.TEN.pow(400));
        assertEquals(0.0, coerce(DataType.DOUBLE, new BigDecimal("0E-400")));
    }

    // ---------------------------------------------------------------- decimal

    @Test
    void decimalRoundsHalfUpToTheScale() {
        assertEquals(new BigDecimal("1.01"), coerce(DEC_5_2, new BigDecimal("1.005")));
        assertEquals(new BigDecimal("-1.01"), coerce(DEC_5_2, new BigDecimal("-1.005")));
        assertEquals(new BigDecimal("1.00"), coerce(DEC_5_2, new BigDecimal("1.004999")));
        assertEquals(new BigDecimal("999.99"), coerce(DEC_5_2, new BigDecimal("999.994")));
        assertEquals(new BigDecimal("12.00"), coerce(DEC_5_2, 12));
        assertEquals(new BigDecimal("12.00"), coerce(DEC_5_2, new BigDecimal("1.2E+1")));
        assertEquals(new BigDecimal("0.10"), coerce(DEC_5_2, 0.1));
        assertEquals(new BigDecimal("0.100000000"), coerce(DataType.decimal(10, 9), 0.1f)); // not 0.100000001
        assertEquals(new BigDecimal("0.00"), coerce(DEC_5_2, -0.0));
        assertEquals(new BigDecimal("123"), coerce(DataType.decimal(3, 0), new BigDecimal("122.5")));
        assertEquals(new BigDecimal("7.50"), coerce(DEC_5_2, new AtomicLong(7).doubleValue() + 0.5));
        assertEquals(new BigDecimal("7.00"), coerce(DEC_5_2, new AtomicLong(7)));
        assertEquals(new BigDecimal("5.00"), coerce(DEC_5_2, BigInteger.valueOf(5)));
        assertEquals(new BigDecimal("0.999"), coerce(DataType.decimal(3, 3), new BigDecimal("0.9994")));
    }

    @Test
    void decimalResultAlwaysHasTheTypeScale() {
        RandomValues rv = new RandomValues(7, false);
        Random r = rv.random();
        DataType[] types = {DataType.decimal(1, 0), DEC_5_2, DataType.decimal(18, 6), DataType.decimal(38, 10),
                DataType.decimal(38, 38)};
        for (int i = 0; i < 5000; i++) {
            DataType t = types[r.nextInt(types.length)];
            BigDecimal in = new BigDecimal(BigInteger.valueOf(r.nextLong() >> r.nextInt(64)), r.nextInt(50) - 10);
            Object out;
            try {
                out = coerce(t, in);
            } catch (DuetException e) {
                assertEquals(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, e.state());
                BigDecimal rounded = in.setScale(t.scale(), java.math.RoundingMode.HALF_UP);
                assertTrue(rounded.precision() > t.precision(), in + " into " + t);
                continue;
            }
            BigDecimal d = (BigDecimal) out;
            assertEquals(t.scale(), d.scale(), in + " into " + t);
            assertTrue(d.precision() <= t.precision(), in + " into " + t);
            assertEquals(in.setScale(t.scale(), java.math.RoundingMode.HALF_UP), d);
        }
    }

    @Test
    void decimalOutOfRangeIs22003() {
        DuetException e = fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DEC_5_2, new BigDecimal("1000"));
        assertEquals("value 1000 is out of range for column \"x\" of type DECIMAL(5,2)", e.getMessage());
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DEC_5_2, new BigDecimal("999.995")); // rounds up to 1000.00
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DEC_5_2, new BigDecimal("-999.995"));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DEC_5_2, new BigDecimal("1000.00"));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.decimal(3, 3), new BigDecimal("0.9995"));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.decimal(3, 3), 1);
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DEC_5_2, Double.NaN);
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DEC_5_2, Double.POSITIVE_INFINITY);
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DEC_5_2, Float.NEGATIVE_INFINITY);
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, DataType.decimal(38, 0), BigInteger.TEN.pow(38));
    }

    @Test
    void decimal38Extremes() {
        DataType t = DataType.decimal(38, 10);
        BigDecimal max = new BigDecimal("9999999999999999999999999999.9999999999");
        assertEquals(max, coerce(t, max));
        assertEquals(max.negate(), coerce(t, max.negate()));
        assertEquals(max, coerce(t, new BigDecimal("9999999999999999999999999999.99999999994")));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, t, new BigDecimal("9999999999999999999999999999.99999999995"));
        fails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, t, new BigDecimal("10000000000000000000000000000"));
    }

    // ---------------------------------------------------------------- strings

    @Test
    void varcharLengthCountsCodePoints() {
        DataType v3 = DataType.varchar(3);
        assertEquals("abc", coerce(v3, "abc"));
        assertEquals("", coerce(v3, ""));
        assertEquals("😀😀😀", coerce(v3, "😀😀😀")); // six chars, three characters
        assertEquals("é中😀", coerce(v3, new StringBuilder("é中😀")));
        DuetException e = fails(SqlState.STRING_DATA_RIGHT_TRUNCATION, v3, "abcd");
        assertEquals("value too long for type VARCHAR(3)", e.getMessage());
        fails(SqlState.STRING_DATA_RIGHT_TRUNCATION, v3, "😀😀😀😀");
        String longText = "x".repeat(100_000);
        assertSame(longText, coerce(DataType.TEXT, longText));
    }

    @Test
    void varcharDropsExcessTrailingSpacesLikePostgres() {
        DataType v3 = DataType.varchar(3);
        assertEquals("abc", coerce(v3, "abc   "));
        assertEquals("ab ", coerce(v3, "ab    "));
        assertEquals("😀😀😀", coerce(v3, "😀😀😀 "));
        assertEquals("   ", coerce(v3, "     "));
        fails(SqlState.STRING_DATA_RIGHT_TRUNCATION, v3, "abc  d");
        fails(SqlState.STRING_DATA_RIGHT_TRUNCATION, v3, "abc\t"); // only spaces are forgiven
        fails(SqlState.STRING_DATA_RIGHT_TRUNCATION, v3, "abc\u00A0");
    }

    @Test
    void unpairedSurrogatesAreRejected() {
        DuetException e = fails(SqlState.CHARACTER_NOT_IN_REPERTOIRE, DataType.TEXT, "ab\uD800");
        assertTrue(e.getMessage().contains("U+D800") && e.getMessage().contains("index 2"), e.getMessage());
        fails(SqlState.CHARACTER_NOT_IN_REPERTOIRE, DataType.TEXT, "\uDC00a");
        fails(SqlState.CHARACTER_NOT_IN_REPERTOIRE, DataType.varchar(5), "\uD800\uD800\uDC00");
        assertEquals("\uD800\uDC00", coerce(DataType.TEXT, "\uD800\uDC00"));
    }

    // ---------------------------------------------------------------- dates and times

    @Test
    void datesAndTimestamps() {
        assertEquals(LocalDate.of(2024, 1, 2), coerce(DataType.DATE, java.sql.Date.valueOf("2024-01-02")));
        assertEquals(LocalDate.of(1, 1, 1), coerce(DataType.DATE, LocalDate.of(1, 1, 1)));
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000),
                coerce(DataType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_789)));
        assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
                coerce(DataType.TIMESTAMP, LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_999))); // truncates
        java.sql.Timestamp ts = java.sql.Timestamp.valueOf("2024-01-02 03:04:05.123456789");
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000), coerce(DataType.TIMESTAMP, ts));
        LocalDateTime exact = LocalDateTime.of(1, 1, 1, 0, 0, 0, 1000);
        assertSame(exact, coerce(DataType.TIMESTAMP, exact));
    }

    @Test
    void datesAndTimestampsBeyondTheStoredRangeAre22003() {
        fails(SqlState.DATETIME_FIELD_OVERFLOW, DataType.DATE, LocalDate.MAX);
        fails(SqlState.DATETIME_FIELD_OVERFLOW, DataType.DATE, LocalDate.ofEpochDay(Integer.MIN_VALUE - 1L));
        assertEquals(LocalDate.ofEpochDay(Integer.MAX_VALUE), coerce(DataType.DATE, LocalDate.ofEpochDay(Integer.MAX_VALUE)));
        fails(SqlState.DATETIME_FIELD_OVERFLOW, DataType.TIMESTAMP, LocalDateTime.MAX);
        fails(SqlState.DATETIME_FIELD_OVERFLOW, DataType.TIMESTAMP, LocalDateTime.MIN);
        LocalDateTime last = Values.fromEpochMicros(Long.MAX_VALUE);
        assertEquals(last, coerce(DataType.TIMESTAMP, last));
        fails(SqlState.DATETIME_FIELD_OVERFLOW, DataType.TIMESTAMP, last.plusNanos(1000));
        LocalDateTime first = Values.fromEpochMicros(Long.MIN_VALUE);
        assertEquals(first, coerce(DataType.TIMESTAMP, first));
        fails(SqlState.DATETIME_FIELD_OVERFLOW, DataType.TIMESTAMP, first.minusNanos(1000));
    }

    @Test
    void epochMicrosKnownValues() {
        assertEquals(0, Values.toEpochMicros(LocalDateTime.of(1970, 1, 1, 0, 0)));
        assertEquals(-1, Values.toEpochMicros(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000)));
        assertEquals(-62_135_596_800_000_000L, Values.toEpochMicros(LocalDateTime.of(1, 1, 1, 0, 0)));
        assertEquals(253_402_300_799_999_999L,
                Values.toEpochMicros(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)));
        assertEquals(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000), Values.fromEpochMicros(-1));
        assertEquals(Long.MIN_VALUE, Values.toEpochMicros(Values.fromEpochMicros(Long.MIN_VALUE)));
        assertEquals(Long.MAX_VALUE, Values.toEpochMicros(Values.fromEpochMicros(Long.MAX_VALUE)));
    }

    @Test
    void epochMicrosAgreeWithJavaTimeOnRandomValues() {
        Random r = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            long micros = i % 2 == 0 ? r.nextLong() : Math.floorMod(r.nextLong(), 315_537_897_600_000_000L)
                    - 62_135_596_800_000_000L;
            LocalDateTime t = Values.fromEpochMicros(micros);
            assertEquals(micros, Values.toEpochMicros(t));
            assertEquals(t, LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC));
        }
    }

    // ---------------------------------------------------------------- others

    @Test
    void booleansAndBytes() {
        assertEquals(Boolean.TRUE, coerce(DataType.BOOLEAN, true));
        byte[] b = {1, 2};
        assertSame(b, coerce(DataType.BYTEA, b));
    }

    // ---------------------------------------------------------------- compare / equal / hash

    @Test
    void compareFollowsSqlRules() {
        assertEquals(0, Values.compare(DataType.DOUBLE, -0.0, 0.0));
        assertEquals(0, Values.compare(DataType.REAL, -0.0f, 0.0f));
        assertTrue(Values.compare(DataType.DOUBLE, Double.NaN, Double.POSITIVE_INFINITY) > 0);
        assertTrue(Values.compare(DataType.REAL, Float.NEGATIVE_INFINITY, Float.NaN) < 0);
        assertEquals(0, Values.compare(DataType.DOUBLE, Double.NaN, Double.longBitsToDouble(0xFFF8000000000001L)));
        assertTrue(Values.compare(DataType.BYTEA, new byte[] {0x7F}, new byte[] {(byte) 0x80}) < 0);
        assertTrue(Values.compare(DataType.BYTEA, new byte[] {1}, new byte[] {1, 0}) < 0);
        assertEquals(0, Values.compare(DEC_5_2, new BigDecimal("1.0"), new BigDecimal("1.00")));
        assertTrue(Values.compare(DataType.BOOLEAN, false, true) < 0);
        assertTrue(Values.compare(DataType.SMALLINT, (short) -1, (short) 1) < 0);
        assertTrue(Values.compare(DataType.DATE, LocalDate.of(1, 1, 1), LocalDate.of(1969, 1, 1)) < 0);
    }

    @Test
    void stringsCompareByCodePointNotUtf16() {
        String bmpHigh = "\uFFFF";
        String astral = "😀"; // U+1F600, stored as \uD83D\uDE00
        assertTrue(bmpHigh.compareTo(astral) > 0); // what String.compareTo says
        assertTrue(Values.compare(DataType.TEXT, bmpHigh, astral) < 0); // what UTF-8 bytes say
        assertTrue(Values.compare(DataType.TEXT, "a\uE000", "a😀") < 0);
        assertTrue(Values.compare(DataType.TEXT, "ab", "abc") < 0);
        assertTrue(Values.compare(DataType.TEXT, "ab", "ab\0") < 0);
        assertEquals(0, Values.compare(DataType.TEXT, "é😀", "é😀"));
        // Pairs sharing their high surrogate differ in the low one.
        assertTrue(Values.compare(DataType.TEXT, "\uD83D\uDE00", "\uD83D\uDE01") < 0);
    }

    @Test
    void stringCompareMatchesUtf8ByteOrder() {
        RandomValues rv = new RandomValues(3, true);
        for (int i = 0; i < 20_000; i++) {
            String a = (String) rv.next(DataType.TEXT);
            String b = (String) rv.next(DataType.TEXT);
            byte[] ea = utf8(a);
            byte[] eb = utf8(b);
            assertEquals(Integer.signum(java.util.Arrays.compareUnsigned(ea, eb)),
                    Integer.signum(Values.compare(DataType.TEXT, a, b)), () -> escape(a) + " vs " + escape(b));
        }
    }

    @Test
    void equalAndHashAreConsistentWithCompare() {
        RandomValues rv = new RandomValues(5, false);
        for (DataType t : RandomValues.ALL_TYPES) {
            for (int i = 0; i < 3000; i++) {
                Object a = rv.next(t);
                Object b = rv.next(t);
                boolean eq = Values.compare(t, a, b) == 0;
                assertEquals(eq, Values.equal(t, a, b), t + ": " + a + " vs " + b);
                if (eq) {
                    assertEquals(Values.hash(t, a), Values.hash(t, b), t + ": " + a + " vs " + b);
                }
                assertTrue(Values.equal(t, a, a));
                assertEquals(-Integer.signum(Values.compare(t, a, b)), Integer.signum(Values.compare(t, b, a)));
            }
        }
        assertTrue(Values.equal(DataType.BYTEA, new byte[] {1, 2}, new byte[] {1, 2}));
        assertTrue(Values.equal(DataType.DOUBLE, -0.0, 0.0));
        assertEquals(Values.hash(DataType.DOUBLE, -0.0), Values.hash(DataType.DOUBLE, 0.0));
        assertEquals(Values.hash(DataType.REAL, Float.NaN), Values.hash(DataType.REAL, Float.intBitsToFloat(0xFFC00001)));
        assertEquals(Values.hash(DEC_5_2, new BigDecimal("1.0")), Values.hash(DEC_5_2, new BigDecimal("1.00")));
        assertTrue(Values.equal(DataType.INTEGER, null, null));
        assertFalse(Values.equal(DataType.INTEGER, null, 1));
        assertEquals(0, Values.hash(DataType.INTEGER, null));
    }

    // ---------------------------------------------------------------- literals

    @Test
    void sqlLiterals() {
        assertEquals("NULL", Values.toSqlLiteral(DataType.INTEGER, null));
        assertEquals("TRUE", Values.toSqlLiteral(DataType.BOOLEAN, true));
        assertEquals("42", Values.toSqlLiteral(DataType.INTEGER, 42));
        assertEquals("-7", Values.toSqlLiteral(DataType.SMALLINT, (short) -7));
        assertEquals("1.5", Values.toSqlLiteral(DataType.DOUBLE, 1.5));
        assertEquals("'NaN'", Values.toSqlLiteral(DataType.REAL, Float.NaN));
        assertEquals("'-Infinity'", Values.toSqlLiteral(DataType.DOUBLE, Double.NEGATIVE_INFINITY));
        assertEquals("0.00000000000000000001", Values.toSqlLiteral(DataType.decimal(38, 20), new BigDecimal("1E-20")));
        assertEquals("'abc'", Values.toSqlLiteral(DataType.TEXT, "abc"));
        assertEquals("'it''s'", Values.toSqlLiteral(DataType.varchar(9), "it's"));
        assertEquals("DATE '2024-01-02'", Values.toSqlLiteral(DataType.DATE, LocalDate.of(2024, 1, 2)));
        assertEquals("TIMESTAMP '2024-01-02 03:04:00'",
                Values.toSqlLiteral(DataType.TIMESTAMP, LocalDateTime.of(2024, 1, 2, 3, 4)));
        assertEquals("TIMESTAMP '0001-01-01 00:00:00.00012'",
                Values.toSqlLiteral(DataType.TIMESTAMP, LocalDateTime.of(1, 1, 1, 0, 0, 0, 120_000)));
        assertEquals("BYTEA '\\x00ff7f'", Values.toSqlLiteral(DataType.BYTEA, new byte[] {0, -1, 127}));
    }

    static byte[] utf8(String s) {
        byte[] b = new byte[Utf8.encodedLength(s, 0, s.length())];
        assertEquals(b.length, Utf8.encode(s, 0, s.length(), b, 0));
        return b;
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(String.format("\\u%04X", c)));
        return sb.toString();
    }
}
