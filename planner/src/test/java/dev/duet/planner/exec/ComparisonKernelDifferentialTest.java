package dev.duet.planner.exec;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The comparison kernels against DuckDB, every operator on every type they serve: INTEGER,
 * BIGINT, DATE, TIMESTAMP, DOUBLE (NaN, -0, infinities, subnormals), DECIMAL (values and constants
 * near and beyond 2^63, up to 38 digits), BOOLEAN and strings; NULLs in every column; a column
 * with a constant on either side, two columns, ranges (SEARCH over one interval: open, closed,
 * half-open, empty, at the ends of the type). As a filter's first conjunct (every row of the
 * batch tested, 64 to a word), as a later one (only the rows still kept), inside an AND and an
 * OR, and as a projected value (NULL results visible); batches of 100 and 7 rows (not multiples
 * of 64), and a batch where nothing passes the first conjunct.
 */
class ComparisonKernelDifferentialTest {
    private static final String[] OPS = {"=", "<>", "<", "<=", ">", ">="};
    private static final Object[] INTS = {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -2, -1, 0, 1, 2, 7,
        Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
    private static final Object[] LONGS = {Long.MIN_VALUE, Long.MIN_VALUE + 1, (long) Integer.MIN_VALUE - 1, -1L, 0L, 1L,
        (long) Integer.MAX_VALUE + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};
    private static final Object[] DOUBLES = {Double.NaN, Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1.5, -Double.MIN_VALUE,
        -0.0, 0.0, Double.MIN_VALUE, 1.5, Double.MAX_VALUE, Double.POSITIVE_INFINITY};
    private static final BigInteger TWO_63 = BigInteger.ONE.shiftLeft(63);
    private static final Object[] WIDE = {
        dec(BigInteger.TEN.pow(38).subtract(BigInteger.ONE).negate()), dec(BigInteger.ONE.shiftLeft(64).negate()),
        dec(TWO_63.negate().subtract(BigInteger.ONE)), dec(TWO_63.negate()), dec(TWO_63.negate().add(BigInteger.ONE)),
        dec(BigInteger.valueOf(-1)), dec(BigInteger.ZERO), dec(BigInteger.ONE), dec(TWO_63.subtract(BigInteger.TWO)),
        dec(TWO_63.subtract(BigInteger.ONE)), dec(TWO_63), dec(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)),
        dec(BigInteger.ONE.shiftLeft(64)), dec(BigInteger.TEN.pow(38).subtract(BigInteger.ONE))};
    private static final Object[] NARROW = {new BigDecimal("-0.07"), new BigDecimal("0.00"), new BigDecimal("0.04"),
        new BigDecimal("0.05"), new BigDecimal("0.06"), new BigDecimal("0.07"), new BigDecimal("0.08"),
        new BigDecimal("9999999999.99"), new BigDecimal("-9999999999.99")};
    private static final Object[] DATES = {LocalDate.of(1, 1, 1), LocalDate.of(1970, 1, 1), LocalDate.of(1993, 12, 31),
        LocalDate.of(1994, 1, 1), LocalDate.of(1994, 6, 30), LocalDate.of(1995, 1, 1), LocalDate.of(9999, 12, 31)};
    private static final Object[] TIMESTAMPS = {LocalDateTime.of(1, 1, 1, 0, 0), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000),
        LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(1994, 1, 1, 0, 0, 0, 1000), LocalDateTime.of(2024, 2, 29, 12, 34, 56),
        LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000)};
    private static final Object[] STRINGS = {"", "a", "ab", "abcdefghij", "abcdefghik", "b", "é"};
    private static final Object[] BOOLS = {false, true};

    /** Column name, its values, DuckDB's literal of a value. */
    private record Column(String name, Object[] values) {
    }

    private static final Column[] COLUMNS = {
        new Column("i", INTS), new Column("b", LONGS), new Column("d", DOUBLES), new Column("w", WIDE),
        new Column("n", NARROW), new Column("dt", DATES), new Column("ts", TIMESTAMPS), new Column("s", STRINGS),
        new Column("f", BOOLS)};

    private static DifferentialDatabase db;

    private static BigDecimal dec(BigInteger v) {
        return new BigDecimal(v);
    }

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("t")
                .notNullColumn("id", DataType.INTEGER)
                .column("i", DataType.INTEGER).column("i2", DataType.INTEGER)
                .column("b", DataType.BIGINT).column("b2", DataType.BIGINT)
                .column("d", DataType.DOUBLE).column("d2", DataType.DOUBLE)
                .column("w", DataType.decimal(38, 0)).column("w2", DataType.decimal(38, 0))
                .column("n", DataType.decimal(12, 2)).column("n2", DataType.decimal(12, 2))
                .column("dt", DataType.DATE).column("dt2", DataType.DATE)
                .column("ts", DataType.TIMESTAMP).column("ts2", DataType.TIMESTAMP)
                .column("s", DataType.TEXT).column("s2", DataType.TEXT)
                .column("f", DataType.BOOLEAN).column("f2", DataType.BOOLEAN)
                .primaryKey("id").build(),
                "CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, i2 INTEGER, b BIGINT, b2 BIGINT, d DOUBLE, d2 DOUBLE, "
                        + "w DECIMAL(38,0), w2 DECIMAL(38,0), n DECIMAL(12,2), n2 DECIMAL(12,2), dt DATE, dt2 DATE, "
                        + "ts TIMESTAMP, ts2 TIMESTAMP, s VARCHAR, s2 VARCHAR, f BOOLEAN, f2 BOOLEAN)");
        Random random = new Random(5);
        List<Object[]> rows = new ArrayList<>();
        for (int id = 0; id < 700; id++) {
            Object[] row = new Object[1 + 2 * COLUMNS.length];
            row[0] = id;
            for (int c = 0; c < COLUMNS.length; c++) {
                Object[] values = COLUMNS[c].values;
                for (int k = 0; k < 2; k++) {
                    // every pair of values side by side in the first rows, then at random, 1 in 8 NULL
                    int pick = id < values.length * values.length
                            ? (k == 0 ? id / values.length : id % values.length) % values.length
                            : random.nextInt(values.length);
                    row[1 + 2 * c + k] = id >= values.length * values.length && random.nextInt(8) == 0 ? null : values[pick];
                }
            }
            rows.add(row);
        }
        db.insert("t", rows);
        db.createTable(TableDef.builder("empty")
                .notNullColumn("id", DataType.INTEGER).column("i", DataType.INTEGER).column("d", DataType.DOUBLE)
                .primaryKey("id").build(), "CREATE TABLE empty (id INTEGER PRIMARY KEY, i INTEGER, d DOUBLE)");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** A SQL literal of a value of the pools (the same text for both databases). */
    private static String literal(Object v) {
        if (v instanceof Double d) {
            return "CAST('" + (d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : d.toString())
                    + "' AS DOUBLE)";
        }
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        if (v instanceof LocalDate d) {
            return "DATE '" + String.format("%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth()) + "'";
        }
        if (v instanceof LocalDateTime t) {
            return "TIMESTAMP '" + String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1000) + "'";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Long l) {
            return l == Long.MIN_VALUE ? "CAST(" + l + " AS BIGINT)" : l.toString();
        }
        return v.toString();
    }

    @Test
    void columnWithConstantsEveryOperatorBothSides() {
        db.setBatchSize(100);
        for (Column c : COLUMNS) {
            for (String op : OPS) {
                for (Object v : c.values) {
                    String k = literal(v);
                    db.check("select id from t where " + c.name + " " + op + " " + k);
                    db.check("select id from t where " + k + " " + op + " " + c.name);
                }
            }
        }
    }

    @Test
    void laterConjunctsTestOnlyTheKeptRows() {
        db.setBatchSize(100);
        for (Column c : COLUMNS) {
            for (String op : OPS) {
                Object v = c.values[c.values.length / 2];
                // the first conjunct keeps about half of the rows; the comparison then tests only those
                db.check("select id from t where i2 >= 0 and " + c.name + " " + op + " " + literal(v));
                db.check("select id from t where d2 < 1 and " + c.name + "2 " + op + " " + c.name);
                db.check("select id from t where w2 > 0 and " + c.name + " " + op + " " + c.name + "2");
            }
        }
    }

    @Test
    void twoColumnsAndProjectedResults() {
        db.setBatchSize(100);
        for (Column c : COLUMNS) {
            for (String op : OPS) {
                db.check("select id from t where " + c.name + " " + op + " " + c.name + "2");
                db.check("select id, " + c.name + " " + op + " " + c.name + "2, " + c.name + " " + op + " "
                        + literal(c.values[1]) + " from t");
                db.check("select id from t where " + c.name + " " + op + " " + c.name + "2 or " + c.name + " "
                        + op + " " + literal(c.values[0]));
            }
        }
    }

    @Test
    void rangesOfEveryShape() {
        db.setBatchSize(100);
        for (Column c : COLUMNS) {
            if (c.name.equals("s") || c.name.equals("f")) {
                continue;
            }
            Object[] v = c.values;
            for (int lo = 0; lo < v.length; lo += 2) {
                for (int hi = 0; hi < v.length; hi += 3) {
                    String a = literal(v[lo]);
                    String b = literal(v[hi]);
                    String x = c.name;
                    db.check("select id from t where " + x + " between " + a + " and " + b);
                    db.check("select id from t where " + x + " >= " + a + " and " + x + " < " + b);
                    db.check("select id from t where " + x + " > " + a + " and " + x + " <= " + b);
                    db.check("select id from t where i2 > 0 and " + x + " > " + a + " and " + x + " < " + b);
                    db.check("select id, " + x + " between " + a + " and " + b + " from t");
                }
            }
        }
        // bounds with more digits than the column: not values of its type, compared exactly
        db.check("select id from t where n between 0.045 and 0.0701");
        db.check("select id from t where i between -1.5 and 2.5");
        db.check("select id from t where d between -1.4 and 0.1");
    }

    @Test
    void smallBatchesAndBatchesWithNothingKept() {
        db.setBatchSize(7);
        try {
            for (Column c : COLUMNS) {
                Object v = c.values[c.values.length / 2];
                db.check("select id from t where " + c.name + " < " + literal(v));
                db.check("select id from t where i2 >= 0 and " + c.name + " <> " + literal(v));
                db.check("select id from t where " + c.name + " >= " + c.name + "2");
                db.check("select id, " + c.name + " > " + literal(v) + " from t");
            }
            db.check("select id from t where i > 2147483647 and d < 0");
            db.check("select id from t where i < 0 and i > 0");
            db.check("select id from empty where i < 5 and d > 1");
            db.check("select id from empty where i between 1 and 3");
        } finally {
            db.setBatchSize(dev.duet.core.exec.Operator.DEFAULT_BATCH_SIZE);
        }
    }
}
