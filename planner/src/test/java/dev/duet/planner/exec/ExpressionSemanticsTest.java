package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What Duet does its own way, checked against PostgreSQL's documented results rather than DuckDB:
 * errors (division by zero 22012 where DuckDB returns NULL, overflow 22003, bad text 22P02,
 * unsupported operators 0A000), PostgreSQL's integer division and modulo, its text form of
 * floating-point numbers, and the functions where DuckDB differs from PostgreSQL.
 */
class ExpressionSemanticsTest {
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("e")
                        .notNullColumn("id", DataType.INTEGER)
                        .column("i", DataType.INTEGER)
                        .column("b", DataType.BIGINT)
                        .column("s", DataType.SMALLINT)
                        .column("d", DataType.DOUBLE)
                        .column("r", DataType.REAL)
                        .column("n", DataType.decimal(10, 2))
                        .column("w", DataType.decimal(38, 10))
                        .column("txt", DataType.TEXT)
                        .column("dt", DataType.DATE)
                        .column("ts", DataType.TIMESTAMP)
                        .column("bin", DataType.BYTEA)
                        .primaryKey("id")
                        .build(),
                "CREATE TABLE e (id INTEGER, i INTEGER, b BIGINT, s SMALLINT, d DOUBLE, r REAL, n DECIMAL(10,2), "
                        + "w DECIMAL(38,10), txt VARCHAR, dt DATE, ts TIMESTAMP, bin BLOB)");
        BigDecimal wMax = new BigDecimal("9999999999999999999999999999.9999999999");
        db.insert("e", List.of(
                new Object[] {1, Integer.MAX_VALUE, Long.MAX_VALUE, Short.MAX_VALUE, 1e308, 3e38f,
                    new BigDecimal("99999999.99"), wMax, "abc", LocalDate.of(2000, 6, 1),
                    LocalDateTime.of(2000, 6, 1, 12, 0), new byte[] {1, 2}},
                new Object[] {2, Integer.MIN_VALUE, Long.MIN_VALUE, Short.MIN_VALUE, -1e308, -3e38f,
                    new BigDecimal("-99999999.99"), wMax.negate(), "12x", LocalDate.of(2001, 1, 1),
                    LocalDateTime.of(2001, 1, 1, 0, 0), new byte[0]},
                new Object[] {3, 7, 2L, (short) 2, 0.0, 2.5f, new BigDecimal("7.50"), BigDecimal.ONE.setScale(10),
                    "2020-02-30", LocalDate.of(1999, 12, 31), LocalDateTime.of(1999, 12, 31, 23, 59, 59), new byte[] {-1}},
                new Object[] {4, 0, 0L, (short) 0, -0.0, 0f, BigDecimal.ZERO.setScale(2), BigDecimal.ZERO.setScale(10),
                    " 42 ", LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 2, 29, 0, 0, 0, 1000), null},
                new Object[] {5, -7, -2L, (short) -2, Double.NaN, Float.POSITIVE_INFINITY, new BigDecimal("-7.50"), null,
                    "99999999999", LocalDate.of(1, 1, 1), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 500_000_000),
                    new byte[] {0x0a, (byte) 0xbc}}));
        db.createTable(TableDef.builder("f").notNullColumn("id", DataType.INTEGER).column("d", DataType.DOUBLE)
                .column("r", DataType.REAL).primaryKey("id").build(), "CREATE TABLE f (id INTEGER, d DOUBLE, r REAL)");
        double[] doubles = {1e20, 100.0, 0.001, 1.5e-5, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, 123456789012345678.0, 0.1, 1e15, 1e14, -2.5, 0.0001, 0.00001, 1234.5678};
        float[] floats = {1e6f, 100000f, 3.25f, 0.1f, -1e-5f, 1.5f, 1e-4f, 123456.7f, 0f, Float.NaN, 1e38f, 33f, -0.5f,
            1e5f, 2.5e-5f, 1.25f};
        List<Object[]> rows = new ArrayList<>();
        for (int k = 0; k < doubles.length; k++) {
            rows.add(new Object[] {k, doubles[k], floats[k]});
        }
        db.insert("f", rows);
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static List<Object> column(String sql) {
        List<Object> out = new ArrayList<>();
        for (Object[] row : db.duet(sql)) {
            out.add(row[0]);
        }
        return out;
    }

    private static Object value(String sql) {
        List<Object[]> rows = db.duet(sql);
        assertEquals(1, rows.size(), sql);
        return rows.get(0)[0];
    }

    private static void assertError(String state, String sql, String messagePart) {
        DuetException e = db.duetError(sql);
        assertEquals(state, e.sqlState(), sql + ": " + e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), sql + ": " + e.getMessage());
    }

    @Test
    void integerDivisionAndModuloArePostgres() {
        // (Calcite types x % y as y's type: SMALLINT here)
        assertEquals("[3, -3, 1, -1, -3, 3]", Arrays.toString(db.duet(
                "select i / s, -i / s, i % s, -i % s, i / -s, -i / -s from e where id = 3").get(0)));
        assertEquals("[3, -2]", Arrays.toString(db.duet("select b * 7 / 4, -b * 7 % 4 from e where id = 3").get(0)));
        assertEquals(0, value("select i % -1 from e where id = 2")); // PostgreSQL: no overflow for MIN % -1
        assertEquals("[1, 1, 0]", Arrays.toString(db.duet("select mod(i, s), mod(i, 3), b % 2 from e where id = 3").get(0)));
    }

    @Test
    void divisionByZeroIs22012() {
        assertError("22012", "select i / s from e where id = 4", "division by zero");
        assertError("22012", "select i / 0 from e", "division by zero");
        assertError("22012", "select b % s from e where id = 4", "division by zero");
        assertError("22012", "select mod(i, s) from e where id = 4", "division by zero");
        assertError("22012", "select d / s from e where id = 4", "division by zero");
        assertError("22012", "select d / d from e where id = 4", "division by zero"); // 0.0 / 0.0 too, as PostgreSQL
        assertError("22012", "select n / s from e where id = 4", "division by zero");
        assertError("22012", "select n % n from e where id = 4", "division by zero");
        assertError("22012", "select w / w from e where id = 4", "division by zero");
        // NaN / 0 is NaN in PostgreSQL
        assertTrue(Double.isNaN((Double) value("select d / s from e where id = 5 and s < 0 and d <> 1")));
    }

    @Test
    void rowsNotEvaluatedRaiseNothing() {
        assertEquals(List.of(3, 4), column("select id from e where s <> 0 and 10 / s > -100 and id in (3, 4, 5) and s > 0"
                + " or id = 4"));
        assertEquals(Arrays.asList(0, 5, null, -5), column("select case when s <> 0 then 10 / s end from e where id > 1"));
        assertEquals(List.of(3, 4, 5), column("select id from e where s = 0 or 10 / s <> 0"));
    }

    @Test
    void overflowIs22003() {
        assertError("22003", "select i + 1 from e where id = 1", "integer out of range");
        assertError("22003", "select i - 1 from e where id = 2", "integer out of range");
        assertError("22003", "select i * i from e where id = 1", "integer out of range");
        assertError("22003", "select -i from e where id = 2", "integer out of range");
        assertError("22003", "select abs(i) from e where id = 2", "integer out of range");
        assertError("22003", "select i / -1 from e where id = 2", "integer out of range");
        assertError("22003", "select b + 1 from e where id = 1", "bigint out of range");
        assertError("22003", "select b * 2 from e where id = 2", "bigint out of range");
        assertError("22003", "select b / -1 from e where id = 2", "bigint out of range");
        assertError("22003", "select s + s from e where id = 1", "smallint out of range");
        assertError("22003", "select -s from e where id = 2", "smallint out of range");
        assertError("22003", "select cast(b as integer) from e where id = 1", "integer out of range");
        assertError("22003", "select cast(i as smallint) from e where id = 2", "smallint out of range");
        assertError("22003", "select cast(d as integer) from e where id = 1", "integer out of range");
        assertError("22003", "select cast(d as bigint) from e where id = 5", "bigint out of range"); // NaN
        assertError("22003", "select cast(d as real) from e where id = 1", "overflow");
        assertError("22003", "select d * 10 from e where id = 1", "overflow");
        assertError("22003", "select d + d from e where id = 2", "overflow");
        assertError("22003", "select cast(n as decimal(5,1)) from e where id = 1", "numeric field overflow");
        assertError("22003", "select cast(n + 1 as decimal(10,2)) from e where id = 1", "numeric field overflow");
        assertError("22003", "select w + w from e where id = 1", "numeric field overflow");
        assertError("22003", "select w * 10 from e where id = 2", "numeric field overflow");
        assertError("22003", "select cast(n as integer) * 100 from e where id = 1", "integer out of range");
        assertError("22003", "select cast(txt as integer) from e where id = 5", "out of range");
        assertError("22003", "select cast(w as bigint) from e where id = 1", "bigint out of range");
        assertError("22003", "select round(n) from e where id = 1", "numeric field overflow"); // Calcite keeps DECIMAL(10,2)
        assertEquals(Short.MAX_VALUE, value("select cast(cast(s as integer) as smallint) from e where id = 1"));
        assertEquals(new BigDecimal("9999999999999999999999999999.9999999999"), value("select abs(w) from e where id = 2"));
    }

    @Test
    void badTextIs22P02() {
        assertError("22P02", "select cast(txt as integer) from e where id = 1", "invalid input syntax for type integer: \"abc\"");
        assertError("22P02", "select cast(txt as bigint) from e where id = 2", "invalid input syntax for type bigint: \"12x\"");
        assertError("22P02", "select cast(txt as decimal(10,2)) from e where id = 1", "numeric");
        assertError("22P02", "select cast(txt as double) from e where id = 2", "double precision");
        assertError("22P02", "select cast(txt as date) from e where id = 3", "date: \"2020-02-30\"");
        assertError("22P02", "select cast(txt as timestamp) from e where id = 1", "timestamp");
        assertError("22P02", "select cast(txt as boolean) from e where id = 1", "boolean");
        assertEquals(42, value("select cast(txt as integer) from e where id = 4"));
        assertEquals(new BigDecimal("42.000"), value("select cast(txt as decimal(8,3)) from e where id = 4"));
        assertEquals(42.0, value("select cast(txt as double) from e where id = 4"));
    }

    @Test
    void unsupportedIs0A000() {
        assertError("0A000", "select replace(txt, 'a', 'b') from e", "REPLACE");
        assertError("0A000", "select left(txt, 1) from e", "LEFT");
        assertError("0A000", "select sqrt(d) from e", "POWER");
        assertError("0A000", "select id from e where txt similar to 'a%'", "SIMILAR TO");
        assertError("0A000", "select count(*) from e group by rollup(id)", "ROLLUP");
    }

    @Test
    void floatingPointTextIsPostgres() {
        assertEquals(List.of("1e+20", "100", "0.001", "1.5e-05", "-0", "NaN", "Infinity", "-Infinity",
                        "1.2345678901234568e+17", "0.1", "1e+15", "100000000000000", "-2.5", "0.0001", "1e-05", "1234.5678"),
                column("select cast(d as text) from f"));
        assertEquals(List.of("1e+06", "100000", "3.25", "0.1", "-1e-05", "1.5", "0.0001", "123456.7", "0", "NaN", "1e+38",
                        "33", "-0.5", "100000", "2.5e-05", "1.25"),
                column("select cast(r as text) from f"));
    }

    @Test
    void otherTextForms() {
        assertEquals(Arrays.asList("true", "false", "0001-01-01", "1969-12-31 23:59:59.5", "\\x0abc", "-7.50", "-2"),
                Arrays.asList(db.duet("select cast(i < 0 as text), cast(i > 0 as text), cast(dt as text), cast(ts as text), "
                        + "cast(bin as text), cast(n as text), cast(s as text) from e where id = 5").get(0)));
        assertEquals("2024-02-29 00:00:00.000001", value("select cast(ts as text) from e where id = 4"));
        // an explicit cast to VARCHAR(n) truncates, as in PostgreSQL
        assertEquals(List.of("ab", "12", "20", " 4", "99"), column("select cast(txt as varchar(2)) from e"));
        assertEquals("2147", value("select cast(i as varchar(4)) from e where id = 1"));
    }

    @Test
    void functionsWherePostgresDiffersFromDuckDb() {
        // date_trunc: centuries and millennia start at years 1, 101, ..., 2001
        assertEquals(Arrays.asList(LocalDateTime.of(1901, 1, 1, 0, 0), LocalDateTime.of(1001, 1, 1, 0, 0),
                        LocalDateTime.of(2000, 1, 1, 0, 0)),
                Arrays.asList(db.duet("select date_trunc('century', dt), date_trunc('millennium', dt), "
                        + "date_trunc('decade', dt) from e where id = 1").get(0)));
        assertEquals(Arrays.asList(LocalDateTime.of(2001, 1, 1, 0, 0), LocalDateTime.of(2001, 1, 1, 0, 0)),
                Arrays.asList(db.duet("select date_trunc('century', ts), date_trunc('millennium', ts) from e where id = 2").get(0)));
        assertEquals(Arrays.asList(20L, 21L), column("select extract(century from dt) from e where id in (1, 2)"));
        // substring with a start before the string counts the positions before it
        assertEquals(Arrays.asList("a", "", "bc", "abc"), Arrays.asList(db.duet("select substring(txt from -1 for 3), "
                + "substring(txt from -5 for 3), substring(txt from 2), substring(txt from 0) from e where id = 1").get(0)));
        assertError("22023", "select substring(txt from 1 for -1) from e where id = 1", "negative substring length");
        // LIKE escapes with a backslash unless told otherwise
        // (on column values: Calcite folds LIKE of two literals with its own rules, where \\ is no escape)
        assertEquals(Arrays.asList(true, false, true, false, true), Arrays.asList(db.duet("select a || '_b' like 'a\\_b', "
                + "a || 'xb' like 'a\\_b', a || '%' like 'a\\%', a || 'b' like 'a\\%', a || '\\' like 'a\\\\' "
                + "from (select substring(txt, 1, 1) as a from e where id = 1) x").get(0)));
        assertError("22023", "select txt like 'a\\' from e where id = 1", "escape");
        // round(double) rounds half to even (rint); with digits, half away from zero as DuckDB
        assertEquals(Arrays.asList(2.0, -2.0, 4.0, 3.0, -3.0), Arrays.asList(db.duet("select round(cast(r as double)), "
                + "round(-cast(r as double)), round(cast(r as double) + 1), round(cast(r as double), 0), "
                + "round(-cast(r as double), 0) from e where id = 3").get(0)));
        assertEquals(Arrays.asList(new BigDecimal("8.00"), new BigDecimal("-8.00"), new BigDecimal("7.50")),
                Arrays.asList(db.duet("select round(n), round(-n), round(n, 1) from e where id = 3").get(0)));
        // ceil / floor of negative decimals
        assertEquals(Arrays.asList(new BigDecimal("-7"), new BigDecimal("-8"), -7.0, -8.0),
                Arrays.asList(db.duet("select ceil(n), floor(n), ceil(cast(n as double)), floor(cast(n as double)) "
                        + "from e where id = 5").get(0)));
    }

    @Test
    void nanOrdersAboveEverything() {
        assertEquals(Arrays.asList(true, true, false, true),
                Arrays.asList(db.duet("select d = d, d > 1e308, d < 0, cast(r as double) < d from e where id = 5").get(0)));
        assertEquals(Arrays.asList(true, false), Arrays.asList(db.duet("select d = 0, d < 0 from e where id = 4").get(0)));
    }

    @Test
    void bytesCompareUnsigned() {
        assertEquals(List.of(3), column("select id from e where bin > x'7f'"));
        assertEquals(List.of(2), column("select id from e where bin = x''"));
        assertArrayEquals(new byte[] {1, 2, 1, 2}, (byte[]) value("select bin || bin from e where id = 1"));
    }
}
