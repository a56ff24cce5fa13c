package dev.duet.core.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowCodecTest {
    private static final DataType[] ALL = RandomValues.ALL_TYPES;

    /** Asserts {@code actual} holds the same SQL values, and for floats the very same bits. */
    private static void assertRowEquals(DataType[] types, Object[] expected, Object[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertValueEquals(types[i], expected[i], actual[i]);
        }
    }

    private static void assertValueEquals(DataType type, Object expected, Object actual) {
        if (expected == null || actual == null) {
            assertEquals(expected, actual, type.toString());
            return;
        }
        assertEquals(expected.getClass(), actual.getClass(), type.toString());
        assertTrue(Values.equal(type, expected, actual), () -> type + ": " + expected + " vs " + actual);
        if (expected instanceof Float f) {
            assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((Float) actual));
        } else if (expected instanceof Double d) {
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) actual));
        } else if (expected instanceof BigDecimal d) {
            assertEquals(d, actual); // same scale too
        } else if (!(expected instanceof byte[])) {
            assertEquals(expected, actual);
        }
    }

    private static void assertCorrupted(Runnable r) {
        DuetException e = assertThrows(DuetException.class, r::run);
        assertEquals(SqlState.DATA_CORRUPTED, e.state(), e.getMessage());
    }

    @Test
    void layoutIsAsDocumented() {
        RowCodec codec = new RowCodec(new DataType[] {DataType.INTEGER, DataType.TEXT, DataType.BOOLEAN, DataType.SMALLINT});
        byte[] row = codec.encode(new Object[] {1, "hé", null, (short) -2});
        assertArrayEquals(new byte[] {
            4, // column count
            0b0100, // column 2 is null
            1, 0, 0, 0, // INTEGER 1, little-endian
            3, 'h', (byte) 0xC3, (byte) 0xA9, // "hé": byte length, UTF-8
            (byte) 0xFE, (byte) 0xFF, // SMALLINT -2
        }, row);
    }

    @Test
    void fixedWidthLayouts() {
        RowCodec codec = new RowCodec(new DataType[] {DataType.DATE, DataType.TIMESTAMP, DataType.decimal(18, 2),
            DataType.decimal(19, 2), DataType.BYTEA, DataType.DOUBLE});
        byte[] row = codec.encode(new Object[] {LocalDate.of(1969, 12, 31), Values.fromEpochMicros(-2),
            new BigDecimal("-0.01"), new BigDecimal("1.28"), new byte[] {0, 9}, 1.0});
        assertArrayEquals(new byte[] {
            6, 0,
            -1, -1, -1, -1, // epoch day -1
            -2, -1, -1, -1, -1, -1, -1, -1, // epoch micros -2
            -1, -1, -1, -1, -1, -1, -1, -1, // unscaled -1 as a long
            2, 0, (byte) 0x80, // unscaled 128: length 2, big-endian two's complement
            2, 0, 9, // BYTEA
            0, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F, // 1.0
        }, row);
    }

    @Test
    void roundTripsEveryTypeWithExtremes() {
        Object[][] rows = {
            {true, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, -0.0f, -0.0,
                new BigDecimal("-9999999.99"), new BigDecimal("-999999999999999999"),
                new BigDecimal("-0.999999999999999999"), new BigDecimal("-999999999999999.9999"),
                new BigDecimal("-9999999999999999999999999999.9999999999"),
                new BigDecimal("-99999999999999999999999999999999999999"), "", "",
                LocalDate.of(1, 1, 1), LocalDateTime.of(1, 1, 1, 0, 0), new byte[0]},
            {false, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Float.NaN, Double.NaN,
                new BigDecimal("9999999.99"), new BigDecimal("999999999999999999"),
                new BigDecimal("0.999999999999999999"), new BigDecimal("999999999999999.9999"),
                new BigDecimal("9999999999999999999999999999.9999999999"),
                new BigDecimal("99999999999999999999999999999999999999"), "😀\0é中\uFFFF", "x".repeat(300),
                LocalDate.of(9999, 12, 31), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
                new byte[] {0, -1, 127, -128}},
            {true, (short) 0, 0, 0L, Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
                new BigDecimal("0.00"), new BigDecimal("0"), new BigDecimal("0E-18"), new BigDecimal("0.0000"),
                new BigDecimal("0E-10"), new BigDecimal("0"), "a", "\uD800 lone",
                LocalDate.of(1969, 12, 31), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 123_456_000),
                new byte[300]},
            {null, null, null, null, Float.MIN_VALUE, Double.MIN_VALUE, null, null, null, null, null, null, null,
                null, LocalDate.ofEpochDay(Integer.MIN_VALUE), Values.fromEpochMicros(Long.MIN_VALUE), null},
            new Object[ALL.length],
        };
        RowCodec codec = new RowCodec(ALL);
        for (Object[] row : rows) {
            byte[] encoded = codec.encode(row);
            assertRowEquals(ALL, row, codec.decode(encoded));
            for (int c = 0; c < ALL.length; c++) {
                assertValueEquals(ALL[c], row[c], codec.decodeColumn(encoded, c));
            }
        }
    }

    @Test
    void randomRowsRoundTrip() {
        RandomValues rv = new RandomValues(42, true);
        Random r = rv.random();
        RowCodec codec = new RowCodec(ALL);
        Object[] reused = new Object[ALL.length];
        for (int i = 0; i < 5000; i++) {
            Object[] row = new Object[ALL.length];
            for (int c = 0; c < row.length; c++) {
                row[c] = r.nextInt(5) == 0 ? null : rv.next(ALL[c]);
            }
            byte[] encoded = codec.encode(row);
            assertRowEquals(ALL, row, codec.decode(encoded));
            codec.decode(encoded, reused);
            assertRowEquals(ALL, row, reused);
            int c = r.nextInt(ALL.length);
            assertValueEquals(ALL[c], row[c], codec.decodeColumn(encoded, c));
        }
    }

    @Test
    void nullBitmapAtByteBoundaries() {
        for (int n : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 200}) {
            DataType[] types = new DataType[n];
            Arrays.fill(types, DataType.INTEGER);
            RowCodec codec = new RowCodec(types);
            Random r = new Random(n);
            for (int i = 0; i < 50; i++) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    row[c] = r.nextBoolean() ? null : r.nextInt();
                }
                byte[] encoded = codec.encode(row);
                int nonNull = (int) Arrays.stream(row).filter(v -> v != null).count();
                assertEquals(RowCodec.varintSize(n) + (n + 7) / 8 + 4 * nonNull, encoded.length);
                assertArrayEquals(row, codec.decode(encoded));
            }
        }
    }

    @Test
    void decodeIntoClearsStaleValues() {
        RowCodec codec = new RowCodec(new DataType[] {DataType.INTEGER, DataType.TEXT});
        Object[] into = {99, "stale", "untouched"};
        codec.decode(codec.encode(new Object[] {null, "new"}), into);
        assertArrayEquals(new Object[] {null, "new", "untouched"}, into);
        assertThrows(IllegalArgumentException.class, () -> codec.decode(codec.encode(new Object[2]), new Object[1]));
    }

    @Test
    void rowsWrittenBeforeColumnsWereAddedDecodeThemAsNull() {
        DataType[] before = {DataType.INTEGER, DataType.TEXT};
        DataType[] after = {DataType.INTEGER, DataType.TEXT, DataType.DOUBLE, DataType.BYTEA, DataType.INTEGER,
            DataType.INTEGER, DataType.INTEGER, DataType.INTEGER, DataType.INTEGER, DataType.INTEGER};
        byte[] old = new RowCodec(before).encode(new Object[] {7, "seven"});
        RowCodec codec = new RowCodec(after);
        Object[] expected = new Object[after.length];
        expected[0] = 7;
        expected[1] = "seven";
        assertArrayEquals(expected, codec.decode(old));
        Object[] into = new Object[after.length];
        Arrays.fill(into, "stale");
        codec.decode(old, into);
        assertArrayEquals(expected, into);
        assertEquals("seven", codec.decodeColumn(old, 1));
        assertNull(codec.decodeColumn(old, 2));
        assertNull(codec.decodeColumn(old, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> codec.decodeColumn(old, 10));
    }

    @Test
    void moreStoredColumnsThanTheCodecHasIsCorruption() {
        byte[] wide = new RowCodec(new DataType[] {DataType.INTEGER, DataType.INTEGER}).encode(new Object[] {1, 2});
        RowCodec narrow = new RowCodec(new DataType[] {DataType.INTEGER});
        assertCorrupted(() -> narrow.decode(wide));
        assertCorrupted(() -> narrow.decodeColumn(wide, 0));
    }

    @Test
    void everyTruncationIsCorruption() {
        RandomValues rv = new RandomValues(9, false);
        RowCodec codec = new RowCodec(ALL);
        for (int i = 0; i < 200; i++) {
            Object[] row = new Object[ALL.length];
            for (int c = 0; c < row.length; c++) {
                row[c] = rv.random().nextInt(4) == 0 ? null : rv.next(ALL[c]);
            }
            byte[] encoded = codec.encode(row);
            for (int len = 0; len < encoded.length; len++) {
                byte[] cut = Arrays.copyOf(encoded, len);
                assertCorrupted(() -> codec.decode(cut));
                assertCorrupted(() -> codec.decodeColumn(cut, ALL.length - 1));
            }
            byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);
            assertCorrupted(() -> codec.decode(longer));
        }
    }

    @Test
    void specificCorruptions() {
        RowCodec bool = new RowCodec(new DataType[] {DataType.BOOLEAN});
        assertCorrupted(() -> bool.decode(new byte[] {1, 0, 2}));
        assertCorrupted(() -> bool.decode(new byte[] {1, 0b10, 1})); // bitmap bit beyond the column count
        assertCorrupted(() -> bool.decode(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 1}));
        assertCorrupted(() -> bool.decode(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}));
        RowCodec text = new RowCodec(new DataType[] {DataType.TEXT});
        assertCorrupted(() -> text.decode(new byte[] {1, 0, 2, (byte) 0xC0, (byte) 0x80})); // overlong NUL
        assertCorrupted(() -> text.decode(new byte[] {1, 0, 1, (byte) 0xE9})); // truncated sequence
        assertCorrupted(() -> text.decode(new byte[] {1, 0, 5, 'a'})); // length beyond the row
        assertCorrupted(() -> text.decode(new byte[] {1, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}));
        RowCodec dec = new RowCodec(new DataType[] {DataType.decimal(4, 0), DataType.decimal(20, 0)});
        byte[] tenThousand = new byte[] {2, 0b10, 0x10, 0x27, 0, 0, 0, 0, 0, 0};
        assertCorrupted(() -> dec.decode(tenThousand));
        assertCorrupted(() -> dec.decode(new byte[] {2, 0b01, 0})); // empty big decimal
        byte[] tooLong = new byte[20];
        tooLong[0] = 2;
        tooLong[1] = 0b01;
        tooLong[2] = 17;
        assertCorrupted(() -> dec.decode(tooLong));
        byte[] tooManyDigits = new byte[] {2, 0b01, 9, 0x05, 0x6B, (byte) 0xC7, 0x5E, 0x2D, 0x63, 0x10, 0, 0}; // 10^20
        assertCorrupted(() -> dec.decode(tooManyDigits));
        assertCorrupted(() -> text.decode(new byte[0]));
    }

    @Test
    void randomGarbageFailsOnlyAsCorruption() {
        Random r = new Random(1234);
        RowCodec codec = new RowCodec(ALL);
        RandomValues rv = new RandomValues(77, false);
        for (int i = 0; i < 20_000; i++) {
            byte[] garbage;
            if (i % 2 == 0) {
                garbage = new byte[1 + r.nextInt(40)];
                r.nextBytes(garbage);
                garbage[0] = (byte) r.nextInt(ALL.length + 1);
            } else {
                Object[] row = new Object[ALL.length];
                for (int c = 0; c < row.length; c++) {
                    row[c] = r.nextInt(3) == 0 ? null : rv.next(ALL[c]);
                }
                garbage = codec.encode(row);
                garbage[r.nextInt(garbage.length)] ^= (byte) (1 << r.nextInt(8)); // one flipped bit
            }
            try {
                codec.decode(garbage);
            } catch (DuetException e) {
                assertEquals(SqlState.DATA_CORRUPTED, e.state());
            } catch (RuntimeException e) {
                fail("garbage " + Arrays.toString(garbage) + " escaped as " + e, e);
            }
            try {
                codec.decodeColumn(garbage, r.nextInt(ALL.length));
            } catch (DuetException e) {
                assertEquals(SqlState.DATA_CORRUPTED, e.state());
            } catch (RuntimeException e) {
                fail("garbage " + Arrays.toString(garbage) + " escaped as " + e, e);
            }
        }
    }

    @Test
    void unpairedSurrogatesSurviveExactly() {
        RowCodec codec = new RowCodec(new DataType[] {DataType.TEXT});
        for (String s : new String[] {"\uD800", "\uDC00", "a\uDBFFb", "\uDFFF\uD800", "\uD83D\uDE00\uD83D"}) {
            assertEquals(s, codec.decode(codec.encode(new Object[] {s}))[0]);
        }
        // Valid strings are standard UTF-8.
        String s = "aé中😀\0";
        byte[] row = codec.encode(new Object[] {s});
        assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Arrays.copyOfRange(row, 3, row.length));
    }

    @Test
    void decimalScaleIsNormalisedWhenExact() {
        RowCodec codec = new RowCodec(new DataType[] {DataType.decimal(5, 2), DataType.decimal(30, 2)});
        Object[] decoded = codec.decode(codec.encode(new Object[] {new BigDecimal("1.5"), new BigDecimal("-3")}));
        assertEquals(new BigDecimal("1.50"), decoded[0]);
        assertEquals(new BigDecimal("-3.00"), decoded[1]);
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Object[] {new BigDecimal("1.505"), null}));
        assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Object[] {new BigDecimal("1000.00"), null}));
    }

    @Test
    void misuseIsAnIllegalArgument() {
        RowCodec codec = new RowCodec(new DataType[] {DataType.INTEGER, DataType.TEXT});
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Object[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> codec.encode(new Object[] {1, 2}));
        assertTrue(e.getMessage().contains("column 1") && e.getMessage().contains("java.lang.Integer"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Object[] {1L, "a"}));
        assertEquals(2, codec.columnCount());
    }
}
