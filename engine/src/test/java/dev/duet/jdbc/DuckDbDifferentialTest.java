package dev.duet.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Query results through the driver against DuckDB's JDBC driver: the same table (every type, NULLs,
 * extreme values) loaded into both through batches, the same SQL run on both (as prepared
 * statements), the rows compared value by value (as multisets: these queries do not order; doubles within
 * 1e-9 relative). Each value is read with the getter of its column's JDBC type, and DuckDB's type
 * for each column is checked to be the same JDBC type.
 */
class DuckDbDifferentialTest {
    private static final String DDL = "CREATE TABLE vals (id INTEGER PRIMARY KEY, b BOOLEAN, s SMALLINT, i INTEGER, "
            + "l BIGINT, r REAL, d DOUBLE PRECISION, n DECIMAL(18,4), v VARCHAR(20), t TEXT, dt DATE, ts TIMESTAMP, bin BYTEA)";

    private static Connection duet;
    private static Connection duck;

    @BeforeAll
    static void load() throws SQLException {
        duet = DriverManager.getConnection("jdbc:duet:mem:");
        duck = DriverManager.getConnection("jdbc:duckdb:");
        for (Connection c : List.of(duet, duck)) {
            try (Statement st = c.createStatement()) {
                st.execute(DDL);
            }
        }
        // DuckDB gets the rows through parameters, Duet as literals in one transaction.
        try (PreparedStatement ps = duck.prepareStatement("INSERT INTO vals VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Object[] row : rows()) {
                bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        duet.setAutoCommit(false);
        try (Statement st = duet.createStatement()) {
            for (Object[] row : rows()) {
                st.addBatch(DriverManagerTest.insert("vals", row));
            }
            st.executeBatch();
        }
        duet.commit();
        duet.setAutoCommit(true);
    }

    @AfterAll
    static void close() throws SQLException {
        long memory = DriverManagerTest.databaseMemory(duet);
        duet.close();
        duck.close();
        assertEquals(0, memory, "every result freed its memory");
    }

    /** Rows with ordinary, extreme and NULL values of every type. */
    private static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1, true, (short) 1, 10, 100L, 1.5f, 2.25, new BigDecimal("12.3400"), "abc", "hello world",
            LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 2, 29, 13, 45, 10, 123_456_000), new byte[] {1, 2, 3}});
        rows.add(new Object[] {2, false, Short.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, -3.4e38f, -1.7e308,
            new BigDecimal("-99999999999999.9999"), "", "ünïcødé ÿ£", LocalDate.of(1, 1, 1),
            LocalDateTime.of(1900, 1, 1, 0, 0), new byte[0]});
        rows.add(new Object[] {3, true, Short.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, 1.0e-30f, 4.9e-300,
            new BigDecimal("99999999999999.9999"), "tab\tquote'", "x", LocalDate.of(9999, 12, 31),
            LocalDateTime.of(2262, 4, 11, 23, 47, 16, 854_775_000), new byte[] {(byte) 0xff, 0, 0x7f}});
        rows.add(new Object[] {4, null, null, null, null, null, null, null, null, null, null, null, null});
        for (int k = 5; k <= 40; k++) {
            rows.add(new Object[] {k, k % 2 == 0, (short) (k * 3), k * 1000 - 7, (long) k * k * 1_000_003L, k / 4.0f,
                k / 3.0, BigDecimal.valueOf(k * 12345L, 4), "v" + k, k % 5 == 0 ? null : "text " + k,
                LocalDate.of(2000, 1, 1).plusDays(k * 37L), LocalDateTime.of(2020, 6, 15, 8, 0).plusSeconds(k * 3_601L),
                k % 7 == 0 ? null : new byte[] {(byte) k, (byte) -k}});
        }
        return rows;
    }

    /** Binds one row with the typed setters both drivers implement. */
    private static void bind(PreparedStatement ps, Object[] row) throws SQLException {
        ps.setInt(1, (Integer) row[0]);
        int[] types = {Types.BOOLEAN, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.DOUBLE, Types.DECIMAL,
            Types.VARCHAR, Types.VARCHAR, Types.DATE, Types.TIMESTAMP, Types.BINARY};
        for (int c = 1; c < row.length; c++) {
            Object v = row[c];
            int p = c + 1;
            if (v == null) {
                ps.setNull(p, types[c - 1]);
                continue;
            }
            switch (c) {
                case 1 -> ps.setBoolean(p, (Boolean) v);
                case 2 -> ps.setShort(p, (Short) v);
                case 3 -> ps.setInt(p, (Integer) v);
                case 4 -> ps.setLong(p, (Long) v);
                case 5 -> ps.setFloat(p, (Float) v);
                case 6 -> ps.setDouble(p, (Double) v);
                case 7 -> ps.setBigDecimal(p, (BigDecimal) v);
                case 8, 9 -> ps.setString(p, (String) v);
                case 10 -> ps.setDate(p, java.sql.Date.valueOf((LocalDate) v));
                case 11 -> ps.setTimestamp(p, Timestamp.valueOf((LocalDateTime) v));
                case 12 -> ps.setBytes(p, (byte[]) v);
                default -> throw new IllegalStateException();
            }
        }
    }

    @Test
    void theColumnRouteReadsTheColumnStore() throws SQLException {
        route("column");
        StringBuilder plan = new StringBuilder();
        try (Statement st = duet.createStatement(); ResultSet rs = st.executeQuery("EXPLAIN SELECT * FROM vals WHERE i > 0")) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        assertTrue(plan.toString().contains("route=column"), plan.toString());
    }

    @Test
    void everyColumnOfEveryRow() throws SQLException {
        assertSame("SELECT * FROM vals WHERE id > 0");
        assertSame("SELECT id, b, s, i, l, r, d, n, v, t, dt, ts, bin FROM vals WHERE id = 4");
    }

    /**
     * Point lookups by the whole primary key (on the row route the row is handed over as Java
     * values, without a batch) read every type as the batch path and DuckDB do, in any column
     * order; a missing or NULL key finds nothing.
     */
    @Test
    void primaryKeyLookupsOfEveryRow() throws SQLException {
        for (int id = 1; id <= 40; id++) {
            assertSame("SELECT * FROM vals WHERE id = ?", id);
            assertSame("SELECT bin, ts, dt, t, v, n, d, r, l, i, s, b FROM vals WHERE id = " + id);
            assertSame("SELECT l, id FROM vals WHERE ? = id", (long) id);
        }
        for (Object missing : new Object[] {0, 41, -7, null}) {
            try (PreparedStatement ps = duck.prepareStatement("SELECT * FROM vals WHERE id = ?")) {
                ps.setObject(1, missing, Types.INTEGER);
                assertEquals(List.of(), run(ps, new Object[0], true), "DuckDB, id " + missing);
            }
            for (String route : ROUTES) {
                route(route);
                try (PreparedStatement ps = duet.prepareStatement("SELECT * FROM vals WHERE id = ?")) {
                    ps.setObject(1, missing, Types.INTEGER);
                    assertEquals(List.of(), run(ps, new Object[0], true), route + " route, id " + missing);
                }
            }
        }
    }

    @Test
    void filtersOnEveryType() throws SQLException {
        assertSame("SELECT id FROM vals WHERE b");
        assertSame("SELECT id, s FROM vals WHERE s > 30");
        assertSame("SELECT id, i FROM vals WHERE i BETWEEN 5000 AND 20000");
        assertSame("SELECT id, l FROM vals WHERE l < 0");
        assertSame("SELECT id, r FROM vals WHERE r >= 5");
        assertSame("SELECT id, d FROM vals WHERE d < 5.5");
        assertSame("SELECT id, n FROM vals WHERE n > 2.5");
        assertSame("SELECT id, v FROM vals WHERE v LIKE 'v1%'");
        assertSame("SELECT id, t FROM vals WHERE t <> 'x'");
        assertSame("SELECT id, dt FROM vals WHERE dt > DATE '2002-01-01'");
        assertSame("SELECT id, ts FROM vals WHERE ts < TIMESTAMP '2020-06-16 00:00:00'");
        for (String col : List.of("b", "s", "i", "l", "r", "d", "n", "v", "t", "dt", "ts", "bin")) {
            assertSame("SELECT id FROM vals WHERE " + col + " IS NULL");
            assertSame("SELECT id, " + col + " FROM vals WHERE " + col + " IS NOT NULL");
        }
    }

    @Test
    void projectionsAndExpressions() throws SQLException {
        assertSame("SELECT id, i + 1, l - 1, s * 2, d * 2, r + 1, n * 2, n + 1 FROM vals WHERE id >= 5");
        assertSame("SELECT id, upper(v), lower(t), length(t), i % 7, CASE WHEN b THEN 'yes' ELSE 'no' END FROM vals WHERE id >= 5");
        assertSame("SELECT id, CAST(i AS BIGINT), CAST(s AS DOUBLE PRECISION), CAST(n AS DOUBLE PRECISION) FROM vals WHERE id >= 5");
        assertSame("SELECT id, i IS NULL, coalesce(t, 'none') FROM vals WHERE id > 0");
    }

    @Test
    void orderedSortedAggregatedAndJoinedResults() throws SQLException {
        assertSameOrdered("SELECT id, v, n, ts FROM vals WHERE id > 2 ORDER BY id DESC");
        assertSameOrdered("SELECT * FROM vals ORDER BY id LIMIT 5");
        assertSameOrdered("SELECT id, t FROM vals WHERE t IS NOT NULL ORDER BY t, id");
        assertSame("SELECT b, count(*), min(s), max(i), min(l), max(r), min(d), max(n), min(v), max(dt), min(ts) "
                + "FROM vals GROUP BY b");
        assertSame("SELECT a.id, b.v, b.bin FROM vals a JOIN vals b ON a.id = b.id + 1 WHERE a.id < 20");
    }

    private static void assertSameOrdered(String sql) throws SQLException {
        List<String> expected;
        List<String> actual;
        try (PreparedStatement ps = duck.prepareStatement(sql)) {
            expected = run(ps, new Object[0], false);
        }
        assertFalse(expected.isEmpty(), "every query of this test returns rows: " + sql);
        for (String route : ROUTES) {
            route(route);
            try (PreparedStatement ps = duet.prepareStatement(sql)) {
                actual = run(ps, new Object[0], false);
            }
            assertEquals(expected, actual, route + " route: " + sql);
        }
    }

    /** Duet runs each query with its scans routed to each store in turn. */
    private static final List<String> ROUTES = List.of("row", "column");

    private static void route(String route) throws SQLException {
        try (Statement st = duet.createStatement()) {
            st.execute("SET duet.route = '" + route + "'");
        }
    }

    private static void assertSame(String sql, Object... parameters) throws SQLException {
        List<String> expected;
        List<String> actual;
        try (PreparedStatement ps = duck.prepareStatement(sql)) {
            expected = run(ps, parameters, true);
        }
        assertFalse(expected.isEmpty(), "every query of this test returns rows: " + sql);
        for (String route : ROUTES) {
            route(route);
            try (PreparedStatement ps = duet.prepareStatement(sql)) {
                actual = run(ps, parameters, true);
            }
            if (!expected.equals(actual)) {
                fail(route + " route: " + sql + " with " + Arrays.toString(parameters) + "\nDuckDB: " + expected
                        + "\nDuet:   " + actual);
            }
        }
    }

    /** The rows as text lines (sorted if {@code sort}), each value read with the getter its JDBC type calls for. */
    private static List<String> run(PreparedStatement ps, Object[] parameters, boolean sort) throws SQLException {
        for (int p = 0; p < parameters.length; p++) {
            Object v = parameters[p];
            if (v instanceof Short s) {
                ps.setShort(p + 1, s);
            } else if (v instanceof Float f) {
                ps.setFloat(p + 1, f);
            } else {
                ps.setObject(p + 1, v);
            }
        }
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder line = new StringBuilder();
                for (int c = 1; c <= md.getColumnCount(); c++) {
                    line.append(c == 1 ? "" : " | ").append(read(rs, c, md.getColumnType(c)));
                }
                lines.add(line.toString());
            }
        }
        if (sort) {
            lines.sort(null);
        }
        return lines;
    }

    private static String read(ResultSet rs, int c, int jdbcType) throws SQLException {
        String value = switch (jdbcType) {
            case Types.BOOLEAN, Types.BIT -> String.valueOf(rs.getBoolean(c));
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> String.valueOf(rs.getLong(c));
            case Types.REAL, Types.FLOAT -> String.valueOf(rs.getFloat(c));
            case Types.DOUBLE -> roundedDouble(rs.getDouble(c));
            case Types.DECIMAL, Types.NUMERIC -> {
                BigDecimal d = rs.getBigDecimal(c);
                yield d == null ? "" : d.stripTrailingZeros().toPlainString();
            }
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR -> rs.getString(c);
            case Types.DATE -> String.valueOf(rs.getObject(c, LocalDate.class));
            case Types.TIMESTAMP -> String.valueOf(rs.getObject(c, LocalDateTime.class));
            case Types.BINARY, Types.VARBINARY, Types.BLOB, Types.LONGVARBINARY -> {
                byte[] b = rs.getBytes(c);
                yield b == null ? "" : "\\x" + HexFormat.of().formatHex(b);
            }
            default -> throw new IllegalStateException("column " + c + " has JDBC type " + jdbcType);
        };
        return rs.wasNull() ? "NULL" : kind(jdbcType) + ":" + value;
    }

    /** Both drivers must report the same kind of type (DuckDB says DECIMAL where Duet says NUMERIC, ...). */
    private static String kind(int jdbcType) {
        return switch (jdbcType) {
            case Types.BIT, Types.BOOLEAN -> "bool";
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> "int";
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> "float";
            case Types.DECIMAL, Types.NUMERIC -> "decimal";
            case Types.BINARY, Types.VARBINARY, Types.BLOB, Types.LONGVARBINARY -> "bytes";
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR -> "text";
            default -> String.valueOf(jdbcType);
        };
    }

    /** A double to 9 significant digits, so that results within 1e-9 relative compare equal. */
    private static String roundedDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
            return String.valueOf(d == 0 ? 0.0 : d);
        }
        return new BigDecimal(d).round(new java.math.MathContext(9)).stripTrailingZeros().toString();
    }
}
