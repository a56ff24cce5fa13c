package dev.duet.planner.exec;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The table the expression tests query, {@code t}, with a column of every type: hand-picked edge
 * rows (NULLs, negatives, zero, large decimals, empty and non-ASCII strings, dates before 1970,
 * leap days, timestamps with microseconds) followed by deterministic random rows.
 */
final class ExpressionTestData {
    static final String DUCK_DDL = "CREATE TABLE t (id INTEGER PRIMARY KEY, s SMALLINT, i INTEGER, b BIGINT, r REAL, "
            + "d DOUBLE, n DECIMAL(10,2), w DECIMAL(38,10), name VARCHAR, v VARCHAR(20), dt DATE, ts TIMESTAMP, "
            + "flag BOOLEAN, bin BLOB)";

    private static final String[] WORDS = {"abc", "ABC", "", "Héllo Wörld", "日本語テキスト", "😀 smile", "a_b%c", "xxaxx",
        "  padded  ", "mIxEd CaSe", "zeta", "Ωmega", "çà et là", "x", "abcabc", "b", "ab", "résumé", "tab\there", "0"};

    private ExpressionTestData() {
    }

    static TableDef table() {
        return TableDef.builder("t")
                .notNullColumn("id", DataType.INTEGER)
                .column("s", DataType.SMALLINT)
                .column("i", DataType.INTEGER)
                .column("b", DataType.BIGINT)
                .column("r", DataType.REAL)
                .column("d", DataType.DOUBLE)
                .column("n", DataType.decimal(10, 2))
                .column("w", DataType.decimal(38, 10))
                .column("name", DataType.TEXT)
                .column("v", DataType.varchar(20))
                .column("dt", DataType.DATE)
                .column("ts", DataType.TIMESTAMP)
                .column("flag", DataType.BOOLEAN)
                .column("bin", DataType.BYTEA)
                .primaryKey("id")
                .build();
    }

    private static Object[] row(int id, Integer s, Integer i, Long b, Float r, Double d, String n, String w, String name,
            String v, String dt, String ts, Boolean flag, byte[] bin) {
        return new Object[] {id, s == null ? null : (short) (int) s, i, b, r, d,
            n == null ? null : new BigDecimal(n).setScale(2), w == null ? null : new BigDecimal(w).setScale(10),
            name, v, dt == null ? null : LocalDate.parse(dt), ts == null ? null : LocalDateTime.parse(ts), flag, bin};
    }

    static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(row(1, 1, 10, 100L, 1.5f, 2.25, "12.34", "1234567890123456789.1234567890", "abc", "ABC",
                "2020-01-15", "2020-01-15T10:20:30.123456", true, new byte[] {1, 2, 3}));
        rows.add(row(2, -3, -7, -10_000_000_000L, -0.25f, -3.75, "-0.01", "-0.0000000001", "Héllo Wörld", "héllo",
                "1969-12-31", "1969-12-31T23:59:59.999999", false, new byte[0]));
        rows.add(row(3, 0, 0, 0L, 0f, 0.0, "0", "0", "", "", "1970-01-01", "1970-01-01T00:00:00", true,
                new byte[] {(byte) 0xff}));
        rows.add(row(4, null, null, null, null, null, null, null, null, null, null, null, null, null));
        rows.add(row(5, 7, 2, 7L, 3.25f, 1e10, "99999999.99", "999999999999999999999999999.9999999999", "a_b%c", "xxaxx",
                "2000-02-29", "2000-02-29T12:34:56.5", null, null));
        rows.add(row(6, -7, -2, -9_000_000_000_000L, -1e-3f, -1e-5, "-12345.67", "0.5", "日本語テキスト", "  padded  ",
                "1900-02-28", "1900-01-01T00:00:00", false, new byte[] {0, 0x7f}));
        rows.add(row(7, 2, 5, 123_456_789_012L, 100f, 123456.789, "0.05", "-123.456", "😀 smile", "mIxEd CaSe",
                "2024-02-29", "2024-02-29T23:59:59.000001", true, new byte[] {(byte) 0x80}));
        rows.add(row(8, 100, 17, -1L, 0.1f, 0.1, "-99999999.99", "-99999999999999999999999999.9999999999", "ABCabc", "abc",
                "1999-12-31", "2023-07-04T06:07:08", false, new byte[] {65, 66}));
        rows.add(row(9, -100, -17, 42L, null, Double.valueOf(-0.0), "7.00", null, "Ωmega", "Ωmega", "1600-03-01",
                "1600-02-29T01:02:03.000456", true, null));
        rows.add(row(10, 3, 2147483, 3L, -7.5f, 7.5, "2.50", "2.5", "çà et là", "x", "2100-12-31", "2100-12-31T23:59:59",
                null, new byte[] {1}));
        Random random = new Random(20240229);
        for (int id = 11; id <= 300; id++) {
            rows.add(new Object[] {
                id,
                maybe(random, (short) (random.nextInt(201) - 100)),
                maybe(random, random.nextInt(2_000_001) - 1_000_000),
                maybe(random, random.nextLong() % 1_000_000_000_000L),
                maybe(random, (float) (random.nextGaussian() * 100)),
                maybe(random, random.nextGaussian() * 1e4),
                maybe(random, BigDecimal.valueOf(random.nextLong() % 10_000_000_000L, 2)),
                maybe(random, new BigDecimal(new java.math.BigInteger(100, random)).movePointLeft(10)
                        .multiply(BigDecimal.valueOf(random.nextBoolean() ? 1 : -1))),
                maybe(random, WORDS[random.nextInt(WORDS.length)] + (random.nextBoolean() ? "" : WORDS[random.nextInt(WORDS.length)])),
                maybe(random, WORDS[random.nextInt(WORDS.length)]),
                maybe(random, LocalDate.ofEpochDay(random.nextInt(100_000) - 40_000)),
                maybe(random, LocalDateTime.of(LocalDate.ofEpochDay(random.nextInt(80_000) - 30_000),
                        java.time.LocalTime.ofNanoOfDay((random.nextLong() & Long.MAX_VALUE) % 86_400_000_000L * 1000))),
                maybe(random, random.nextBoolean()),
                maybe(random, randomBytes(random)),
            });
        }
        return rows;
    }

    private static <T> T maybe(Random random, T value) {
        return random.nextInt(10) == 0 ? null : value;
    }

    private static byte[] randomBytes(Random random) {
        byte[] b = new byte[random.nextInt(5)];
        random.nextBytes(b);
        return b;
    }
}
