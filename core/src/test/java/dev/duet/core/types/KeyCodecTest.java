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
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyCodecTest {
    private static byte[] key(DataType type, Object value) {
        return new KeyCodec(new DataType[] {type}).encode(new Object[] {value});
    }

    private static byte[] key(DataType[] types, Object... values) {
        return new KeyCodec(types).encode(values);
    }

    private static int compareRows(DataType[] types, Object[] a, Object[] b) {
        for (int i = 0; i < types.length; i++) {
            int c = Values.compare(types[i], a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static void assertCorrupted(Runnable r) {
        DuetException e = assertThrows(DuetException.class, r::run);
        assertEquals(SqlState.DATA_CORRUPTED, e.state(), e.getMessage());
    }

    private static String show(Object[] row) {
        StringBuilder sb = new StringBuilder("(");
        for (Object v : row) {
            sb.append(v instanceof byte[] b ? Arrays.toString(b) : v instanceof String s ? ValuesTest.escape(s) : v)
                    .append(", ");
        }
        return sb.append(')').toString();
    }

    /**
     * The central property: over many random keys, unsigned byte order of the encodings is the
     * column-by-column SQL order, and every key decodes back to an equal value.
     */
    private static void checkOrderAndRoundTrip(DataType[] types, long seed, int count) {
        RandomValues rv = new RandomValues(seed, true);
        KeyCodec codec = new KeyCodec(types);
        List<Object[]> rows = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object[] row = new Object[types.length];
            for (int c = 0; c < types.length; c++) {
                row[c] = rv.next(types[c]);
            }
            byte[] k = codec.encode(row);
            Object[] back = codec.decode(k);
            for (int c = 0; c < types.length; c++) {
                int col = c;
                assertTrue(Values.equal(types[c], row[c], back[c]),
                        () -> Arrays.toString(types) + ": " + show(row) + " decoded as " + show(back) + " in column " + col);
                assertEquals(row[c].getClass(), back[c].getClass());
            }
            assertArrayEquals(k, codec.encode(back)); // one encoding per SQL value
            rows.add(row);
            keys.add(k);
        }
        Random r = rv.random();
        for (int i = 0; i < count * 4; i++) {
            int a = r.nextInt(count);
            int b = r.nextInt(count);
            int expected = Integer.signum(compareRows(types, rows.get(a), rows.get(b)));
            int actual = Integer.signum(Arrays.compareUnsigned(keys.get(a), keys.get(b)));
            if (expected != actual) {
                fail(Arrays.toString(types) + ": " + show(rows.get(a)) + " vs " + show(rows.get(b)) + " is " + expected
                        + " but keys " + Arrays.toString(keys.get(a)) + " vs " + Arrays.toString(keys.get(b))
                        + " compare " + actual);
            }
        }
        // Sorting by key and by value give the same sequence of values.
        Integer[] byKey = new Integer[count];
        for (int i = 0; i < count; i++) {
            byKey[i] = i;
        }
        Arrays.sort(byKey, (x, y) -> Arrays.compareUnsigned(keys.get(x), keys.get(y)));
        for (int i = 1; i < count; i++) {
            assertTrue(compareRows(types, rows.get(byKey[i - 1]), rows.get(byKey[i])) <= 0);
        }
    }

    @Test
    void everySingleTypeOrdersLikeItsValues() {
        long seed = 100;
        for (DataType t : RandomValues.ALL_TYPES) {
            checkOrderAndRoundTrip(new DataType[] {t}, seed++, 4000);
        }
    }

    @Test
    void compositeKeysOrderColumnByColumn() {
        DataType[][] keys = {
            {DataType.TEXT, DataType.INTEGER},
            {DataType.TEXT, DataType.TEXT},
            {DataType.BYTEA, DataType.TEXT, DataType.BYTEA},
            {DataType.DOUBLE, DataType.decimal(38, 10), DataType.TEXT},
            {DataType.DATE, DataType.TIMESTAMP, DataType.BOOLEAN, DataType.SMALLINT},
            {DataType.BOOLEAN, DataType.BYTEA, DataType.REAL, DataType.BIGINT, DataType.decimal(9, 2)},
        };
        long seed = 200;
        for (DataType[] types : keys) {
            checkOrderAndRoundTrip(types, seed++, 4000);
        }
    }

    @Test
    void stringAndByteTerminationOrdersPrefixesFirst() {
        DataType t = DataType.TEXT;
        assertTrue(Arrays.compareUnsigned(key(t, ""), key(t, "\0")) < 0);
        assertTrue(Arrays.compareUnsigned(key(t, "ab"), key(t, "ab\0")) < 0);
        assertTrue(Arrays.compareUnsigned(key(t, "ab\0"), key(t, "abc")) < 0);
        assertTrue(Arrays.compareUnsigned(key(t, "ab\0"), key(t, "ab\0\0")) < 0);
        assertTrue(Arrays.compareUnsigned(key(t, "\uFFFF"), key(t, "😀")) < 0);
        DataType[] two = {DataType.TEXT, DataType.TEXT};
        assertTrue(Arrays.compareUnsigned(key(two, "a", "z"), key(two, "ab", "a")) < 0);
        assertTrue(Arrays.compareUnsigned(key(two, "a", "\uFFFF"), key(two, "a\0", "")) < 0);
        DataType b = DataType.BYTEA;
        assertTrue(Arrays.compareUnsigned(key(b, new byte[0]), key(b, new byte[] {0})) < 0);
        assertTrue(Arrays.compareUnsigned(key(b, new byte[] {0}), key(b, new byte[] {0, 0})) < 0);
        assertTrue(Arrays.compareUnsigned(key(b, new byte[] {0, 0}), key(b, new byte[] {1})) < 0);
        assertTrue(Arrays.compareUnsigned(key(b, new byte[] {0x7F}), key(b, new byte[] {(byte) 0x80})) < 0);
        assertArrayEquals(new byte[] {'a', 0, (byte) 0xFF, 'b', 0, 1}, key(t, "a\0b"));
        assertArrayEquals(new byte[] {0, 1}, key(b, new byte[0]));
    }

    @Test
    void fixedWidthEncodings() {
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 0, 0}, key(DataType.INTEGER, 0));
        assertArrayEquals(new byte[] {0x7F, (byte) 0xFF}, key(DataType.SMALLINT, (short) -1));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0}, key(DataType.BIGINT, Long.MIN_VALUE));
        assertArrayEquals(new byte[] {1}, key(DataType.BOOLEAN, true));
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 0, 0}, key(DataType.DATE, LocalDate.of(1970, 1, 1)));
        assertArrayEquals(key(DataType.DOUBLE, 0.0), key(DataType.DOUBLE, -0.0));
        assertArrayEquals(key(DataType.REAL, 0.0f), key(DataType.REAL, -0.0f));
        assertArrayEquals(key(DataType.DOUBLE, Double.NaN), key(DataType.DOUBLE, Double.longBitsToDouble(-1L)));
        assertEquals(8, key(DataType.decimal(18, 3), BigDecimal.ONE.setScale(3)).length);
        assertEquals(16, key(DataType.decimal(19, 3), BigDecimal.ONE.setScale(3)).length);
    }

    @Test
    void floatingPointSpecialsOrderLikePostgres() {
        double[] ascending = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1, -Double.MIN_NORMAL, -Double.MIN_VALUE, 0.0,
            Double.MIN_VALUE, Double.MIN_NORMAL, 1, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NaN};
        for (int i = 1; i < ascending.length; i++) {
            assertTrue(Arrays.compareUnsigned(key(DataType.DOUBLE, ascending[i - 1]), key(DataType.DOUBLE, ascending[i])) < 0,
                    ascending[i - 1] + " < " + ascending[i]);
            assertTrue(Arrays.compareUnsigned(key(DataType.REAL, (float) ascending[i - 1]),
                    key(DataType.REAL, (float) ascending[i])) <= 0);
        }
        assertEquals(0.0, new KeyCodec(new DataType[] {DataType.DOUBLE}).decode(key(DataType.DOUBLE, -0.0))[0]);
        Object nan = new KeyCodec(new DataType[] {DataType.REAL}).decode(key(DataType.REAL, Float.intBitsToFloat(0xFFC00001)))[0];
        assertEquals(Float.floatToIntBits(Float.NaN), Float.floatToRawIntBits((Float) nan));
    }

    @Test
    void decimalExtremesAndLongBoundaries() {
        DataType t = DataType.decimal(38, 10);
        BigDecimal max = new BigDecimal("9999999999999999999999999999.9999999999");
        BigInteger two63 = BigInteger.ONE.shiftLeft(63);
        BigInteger two64 = BigInteger.ONE.shiftLeft(64);
        BigInteger[] unscaled = {max.unscaledValue().negate(), two64.negate().subtract(BigInteger.ONE), two64.negate(),
            two63.negate().subtract(BigInteger.ONE), two63.negate(), BigInteger.valueOf(-1), BigInteger.ZERO,
            BigInteger.ONE, two63.subtract(BigInteger.ONE), two63, two64.subtract(BigInteger.ONE), two64,
            max.unscaledValue()};
        KeyCodec codec = new KeyCodec(new DataType[] {t});
        byte[] previous = null;
        for (BigInteger u : unscaled) {
            BigDecimal v = new BigDecimal(u, 10);
            byte[] k = codec.encode(new Object[] {v});
            assertEquals(v, codec.decode(k)[0]);
            if (previous != null) {
                assertTrue(Arrays.compareUnsigned(previous, k) < 0, v.toString());
            }
            previous = k;
        }
        // A value at a different but exact scale encodes like its canonical form.
        DataType d52 = DataType.decimal(5, 2);
        assertArrayEquals(key(d52, new BigDecimal("1.50")), key(d52, new BigDecimal("1.5")));
        assertThrows(IllegalArgumentException.class, () -> key(d52, new BigDecimal("1.505")));
        assertThrows(IllegalArgumentException.class, () -> key(d52, new BigDecimal("1000.00")));
    }

    @Test
    void temporalExtremesRoundTrip() {
        DataType[] types = {DataType.DATE, DataType.TIMESTAMP};
        KeyCodec codec = new KeyCodec(types);
        Object[][] rows = {
            {LocalDate.of(1, 1, 1), LocalDateTime.of(1, 1, 1, 0, 0)},
            {LocalDate.of(9999, 12, 31), LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)},
            {LocalDate.of(1969, 12, 31), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 1000)},
            {LocalDate.ofEpochDay(Integer.MIN_VALUE), Values.fromEpochMicros(Long.MIN_VALUE)},
            {LocalDate.ofEpochDay(Integer.MAX_VALUE), Values.fromEpochMicros(Long.MAX_VALUE)},
        };
        for (Object[] row : rows) {
            assertArrayEquals(row, codec.decode(codec.encode(row)));
        }
    }

    @Test
    void prefixesAreBytePrefixesAndBoundTheirKeys() {
        DataType[] types = {DataType.INTEGER, DataType.TEXT, DataType.BYTEA};
        KeyCodec codec = new KeyCodec(types);
        RandomValues rv = new RandomValues(300, true);
        Random r = rv.random();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            // Few distinct leading values, so prefixes match many keys.
            rows.add(new Object[] {r.nextInt(5) - 2, rv.next(DataType.varchar(2)), rv.next(DataType.BYTEA)});
        }
        for (int i = 0; i < 300; i++) {
            Object[] probe = rows.get(r.nextInt(rows.size()));
            int count = r.nextInt(types.length + 1);
            byte[] prefix = codec.encodePrefix(probe, count);
            byte[] end = KeyCodec.prefixEnd(prefix);
            for (Object[] row : rows) {
                byte[] k = codec.encode(row);
                boolean matches = true;
                for (int c = 0; c < count; c++) {
                    matches &= Values.equal(types[c], probe[c], row[c]);
                }
                boolean startsWith = k.length >= prefix.length
                        && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length);
                assertEquals(matches, startsWith, () -> show(probe) + " prefix " + count + " vs " + show(row));
                boolean inRange = Arrays.compareUnsigned(prefix, k) <= 0
                        && (end == null || Arrays.compareUnsigned(k, end) < 0);
                assertEquals(matches, inRange, () -> show(probe) + " range " + count + " vs " + show(row));
            }
        }
        assertArrayEquals(new byte[0], codec.encodePrefix(new Object[0], 0));
        assertArrayEquals(codec.encode(new Object[] {1, "a", new byte[0]}),
                codec.encodePrefix(new Object[] {1, "a", new byte[0], "ignored"}, 3));
        assertThrows(IllegalArgumentException.class, () -> codec.encodePrefix(new Object[] {1}, 2));
        assertThrows(IllegalArgumentException.class, () -> codec.encodePrefix(new Object[] {1, "a", null, 4}, 4));
        assertThrows(IllegalArgumentException.class, () -> codec.encodePrefix(new Object[] {1}, -1));
    }

    @Test
    void prefixEnd() {
        assertArrayEquals(new byte[] {1, 3}, KeyCodec.prefixEnd(new byte[] {1, 2}));
        assertArrayEquals(new byte[] {2}, KeyCodec.prefixEnd(new byte[] {1, (byte) 0xFF}));
        assertArrayEquals(new byte[] {1, (byte) 0x80}, KeyCodec.prefixEnd(new byte[] {1, 0x7F, (byte) 0xFF, (byte) 0xFF}));
        assertArrayEquals(new byte[] {(byte) 0xFF}, KeyCodec.prefixEnd(new byte[] {(byte) 0xFE}));
        assertNull(KeyCodec.prefixEnd(new byte[] {(byte) 0xFF, (byte) 0xFF}));
        assertNull(KeyCodec.prefixEnd(new byte[0]));
        byte[] p = {5, (byte) 0xFF};
        KeyCodec.prefixEnd(p);
        assertArrayEquals(new byte[] {5, (byte) 0xFF}, p); // not modified
    }

    @Test
    void nullKeyColumnIs22004() {
        KeyCodec codec = new KeyCodec(new DataType[] {DataType.INTEGER, DataType.TEXT});
        DuetException e = assertThrows(DuetException.class, () -> codec.encode(new Object[] {1, null}));
        assertEquals(SqlState.NULL_VALUE_NOT_ALLOWED, e.state());
        assertEquals("key column 2 must not be null", e.getMessage());
        e = assertThrows(DuetException.class, () -> codec.encodePrefix(new Object[] {null}, 1));
        assertEquals(SqlState.NULL_VALUE_NOT_ALLOWED, e.state());
    }

    @Test
    void misuseIsAnIllegalArgument() {
        KeyCodec codec = new KeyCodec(new DataType[] {DataType.INTEGER, DataType.TEXT});
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Object[] {1}));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(new Object[] {1, "a", "b"}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.encode(new Object[] {1L, "a"}));
        assertTrue(e.getMessage().contains("key column 1"), e.getMessage());
        assertEquals(2, codec.columnCount());
    }

    @Test
    void rowIds() {
        long[] ascending = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -256, -1, 0, 1, 255, 256, Long.MAX_VALUE - 1, Long.MAX_VALUE};
        for (int i = 0; i < ascending.length; i++) {
            byte[] k = KeyCodec.encodeRowId(ascending[i]);
            assertEquals(8, k.length);
            assertEquals(ascending[i], KeyCodec.decodeRowId(k));
            if (i > 0) {
                assertTrue(Arrays.compareUnsigned(KeyCodec.encodeRowId(ascending[i - 1]), k) < 0);
            }
        }
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0, 0, 1}, KeyCodec.encodeRowId(1));
        // Row ids share the BIGINT key encoding.
        assertArrayEquals(key(DataType.BIGINT, 12345L), KeyCodec.encodeRowId(12345));
        Random r = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            long a = r.nextLong();
            long b = r.nextInt(3) == 0 ? a + r.nextInt(3) - 1 : r.nextLong();
            assertEquals(Long.signum(Long.compare(a, b)),
                    Integer.signum(Arrays.compareUnsigned(KeyCodec.encodeRowId(a), KeyCodec.encodeRowId(b))));
        }
        assertCorrupted(() -> KeyCodec.decodeRowId(new byte[7]));
        assertCorrupted(() -> KeyCodec.decodeRowId(new byte[9]));
    }

    @Test
    void corruptedKeys() {
        KeyCodec text = new KeyCodec(new DataType[] {DataType.TEXT});
        assertCorrupted(() -> text.decode(new byte[] {'a'})); // no terminator
        assertCorrupted(() -> text.decode(new byte[] {'a', 0})); // half a terminator
        assertCorrupted(() -> text.decode(new byte[] {'a', 0, 5, 0, 1})); // unknown escape
        assertCorrupted(() -> text.decode(new byte[] {'a', 0, 1, 'b'})); // trailing bytes
        assertCorrupted(() -> text.decode(new byte[] {(byte) 0xC3, 0, 1})); // invalid UTF-8
        assertCorrupted(() -> text.decode(new byte[0]));
        KeyCodec bool = new KeyCodec(new DataType[] {DataType.BOOLEAN});
        assertCorrupted(() -> bool.decode(new byte[] {2}));
        KeyCodec dbl = new KeyCodec(new DataType[] {DataType.DOUBLE});
        assertCorrupted(() -> dbl.decode(new byte[] {0x7F, -1, -1, -1, -1, -1, -1, -1})); // -0.0, never written
        assertCorrupted(() -> dbl.decode(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1})); // a non-canonical NaN
        assertCorrupted(() -> dbl.decode(new byte[7]));
        KeyCodec real = new KeyCodec(new DataType[] {DataType.REAL});
        assertCorrupted(() -> real.decode(new byte[] {0x7F, -1, -1, -1}));
        KeyCodec dec = new KeyCodec(new DataType[] {DataType.decimal(4, 0)});
        assertCorrupted(() -> dec.decode(key(DataType.decimal(5, 0), new BigDecimal("10000"))));
        KeyCodec dec38 = new KeyCodec(new DataType[] {DataType.decimal(38, 0)});
        byte[] huge = new byte[16];
        Arrays.fill(huge, (byte) 0xFF); // 2^127 - 1 has 39 digits
        assertCorrupted(() -> dec38.decode(huge));
    }

    @Test
    void everyTruncationAndRandomGarbageFailOnlyAsCorruption() {
        DataType[] types = {DataType.TEXT, DataType.INTEGER, DataType.BYTEA, DataType.decimal(38, 2), DataType.DOUBLE};
        KeyCodec codec = new KeyCodec(types);
        RandomValues rv = new RandomValues(400, true);
        Random r = rv.random();
        for (int i = 0; i < 500; i++) {
            Object[] row = new Object[types.length];
            for (int c = 0; c < types.length; c++) {
                row[c] = rv.next(types[c]);
            }
            byte[] k = codec.encode(row);
            for (int len = 0; len < k.length; len++) {
                byte[] cut = Arrays.copyOf(k, len);
                assertCorrupted(() -> codec.decode(cut));
            }
            byte[] longer = Arrays.copyOf(k, k.length + 1);
            assertCorrupted(() -> codec.decode(longer));
        }
        DataType[][] shapes = {types, RandomValues.ALL_TYPES};
        for (int i = 0; i < 20_000; i++) {
            DataType[] shape = shapes[i % 2];
            KeyCodec c = new KeyCodec(shape);
            byte[] garbage;
            if (r.nextBoolean()) {
                garbage = new byte[r.nextInt(120)];
                r.nextBytes(garbage);
            } else {
                Object[] row = new Object[shape.length];
                for (int col = 0; col < shape.length; col++) {
                    row[col] = rv.next(shape[col]);
                }
                garbage = c.encode(row);
                garbage[r.nextInt(garbage.length)] ^= (byte) (1 << r.nextInt(8));
            }
            try {
                c.decode(garbage);
            } catch (DuetException e) {
                assertEquals(SqlState.DATA_CORRUPTED, e.state());
            } catch (RuntimeException e) {
                fail("garbage " + Arrays.toString(garbage) + " escaped as " + e, e);
            }
        }
    }

    @Test
    void sortedKeysFromTheSameRowsAreStable() {
        // Encodings are deterministic and independent of the codec instance.
        DataType[] types = {DataType.TEXT, DataType.decimal(20, 5)};
        Object[] row = {"k", new BigDecimal("-123.45000")};
        assertArrayEquals(new KeyCodec(types).encode(row), new KeyCodec(types.clone()).encode(row.clone()));
        List<byte[]> keys = new ArrayList<>(List.of(key(types, "b", BigDecimal.ONE.setScale(5)),
                key(types, "a", BigDecimal.TEN.setScale(5)), key(types, "a", BigDecimal.ONE.negate().setScale(5))));
        keys.sort(Arrays::compareUnsigned);
        Comparator<Object[]> byValue = (x, y) -> compareRows(types, x, y);
        KeyCodec codec = new KeyCodec(types);
        for (int i = 1; i < keys.size(); i++) {
            assertTrue(byValue.compare(codec.decode(keys.get(i - 1)), codec.decode(keys.get(i))) < 0);
        }
    }
}
