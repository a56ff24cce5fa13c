package dev.duet.jdbc;

import static dev.duet.jdbc.ResultSetConversionsTest.assertSqlState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/**
 * Prepared statements through {@link DriverManager}: every setter into every column type, batches
 * of one plan, queries with parameters of every type, parameter metadata, and the parameter
 * results against DuckDB.
 */
class PreparedStatementTest {
    private static final String ALL_TYPES = "CREATE TABLE all_types (id INTEGER PRIMARY KEY, b BOOLEAN, s SMALLINT, "
            + "i INTEGER, l BIGINT, r REAL, d DOUBLE PRECISION, n DECIMAL(12,3), v VARCHAR(20), t TEXT, dt DATE, "
            + "ts TIMESTAMP, bin BYTEA)";
    private static final LocalDate DAY = LocalDate.of(2024, 2, 29);
    private static final LocalDateTime TS = LocalDateTime.of(2024, 2, 29, 13, 45, 10, 123_456_000);

    @Test
    void everySetterIntoEveryTypeAndBackAsParameters() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:")) {
            c.createStatement().execute(ALL_TYPES);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO all_types VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ParameterMetaData pmd = ps.getParameterMetaData();
                assertEquals(13, pmd.getParameterCount());
                assertEquals(Types.BOOLEAN, pmd.getParameterType(2));
                assertEquals(Types.NUMERIC, pmd.getParameterType(8));
                assertEquals(12, pmd.getPrecision(8));
                assertEquals(Types.TIMESTAMP, pmd.getParameterType(12));
                assertEquals(ParameterMetaData.parameterModeIn, pmd.getParameterMode(1));
                assertNull(ps.getMetaData(), "an INSERT returns no rows");
                // Row 1: the typed setters.
                ps.setInt(1, 1);
                ps.setBoolean(2, true);
                ps.setShort(3, (short) -7);
                ps.setInt(4, 42);
                ps.setLong(5, 5_000_000_000L);
                ps.setFloat(6, 1.5f);
                ps.setDouble(7, -2.25);
                ps.setBigDecimal(8, new BigDecimal("123.456"));
                ps.setString(9, "héllo ✓");
                ps.setString(10, "日本語のテキスト");
                ps.setDate(11, java.sql.Date.valueOf(DAY));
                ps.setTimestamp(12, Timestamp.valueOf(TS));
                ps.setBytes(13, new byte[] {0, 1, (byte) 0xff});
                ps.addBatch();
                // Row 2: setObject with java.time values, and strings parsed as the parameter types.
                ps.setObject(1, 2);
                ps.setObject(2, "false");
                ps.setByte(3, (byte) 3);
                ps.setObject(4, "43");
                ps.setObject(5, 7L);
                ps.setObject(6, 0.25f);
                ps.setObject(7, "1e3");
                ps.setObject(8, "-0.5", Types.NUMERIC);
                ps.setObject(9, 'x');
                ps.setObject(10, "");
                ps.setObject(11, DAY.plusDays(1));
                ps.setObject(12, OffsetDateTime.of(TS, ZoneOffset.ofHours(2)));
                ps.setObject(13, new byte[0]);
                ps.addBatch();
                // Row 3: NULLs everywhere but the key.
                ps.setInt(1, 3);
                for (int p = 2; p <= 13; p++) {
                    ps.setNull(p, Types.OTHER);
                }
                ps.addBatch();
                // Row 4: calendars and instants.
                Calendar utc = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
                ps.setInt(1, 4);
                ps.setTimestamp(12, Timestamp.from(TS.minusDays(10).toInstant(ZoneOffset.UTC)), utc);
                ps.setDate(11, new java.sql.Date(DAY.minusDays(10).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli()), utc);
                ps.addBatch();
                assertArrayEquals(new int[] {1, 1, 1, 1}, ps.executeBatch());
                ps.clearParameters();
                assertSqlState("07001", ps::executeUpdate);
                assertSqlState("22023", () -> ps.setInt(14, 1));
                assertThrows(SQLFeatureNotSupportedException.class, () -> ps.setTime(1, java.sql.Time.valueOf("10:00:00")));
                ps.setObject(1, 5);
                ps.setObject(12, Instant.parse("2024-01-01T00:00:00Z"));
                for (int p = 2; p <= 11; p++) {
                    ps.setNull(p, Types.NULL);
                }
                ps.setNull(13, Types.BINARY);
                assertEquals(1, ps.executeUpdate());
            }

            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM all_types WHERE id = ?")) {
                ResultSetMetaData md = ps.getMetaData();
                assertEquals(13, md.getColumnCount());
                assertEquals("java.time.LocalDate", md.getColumnClassName(11));
                ps.setInt(1, 2);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertFalse(rs.getBoolean("b"));
                    assertEquals(3, rs.getShort("s"));
                    assertEquals(43, rs.getInt("i"));
                    assertEquals(1000.0, rs.getDouble("d"));
                    assertEquals(new BigDecimal("-0.500"), rs.getBigDecimal("n"));
                    assertEquals("x", rs.getString("v"));
                    assertEquals("", rs.getString("t"));
                    assertEquals(DAY.plusDays(1), rs.getObject("dt"));
                    assertEquals(TS.minusHours(2), rs.getObject("ts"), "an offset date-time is stored as UTC");
                    assertArrayEquals(new byte[0], rs.getBytes("bin"));
                    assertFalse(rs.next());
                }
                ps.setInt(1, 4);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(TS.minusDays(10), rs.getObject("ts"));
                    assertEquals(DAY.minusDays(10), rs.getObject("dt"));
                }
                ps.setInt(1, 5);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(LocalDateTime.of(2024, 1, 1, 0, 0), rs.getObject("ts"));
                }
            }

            // One query per parameter type: each finds row 1 only.
            Object[][] probes = {
                {"b = ?", true}, {"s = ?", (short) -7}, {"i = ?", 42}, {"l = ?", 5_000_000_000L}, {"r = ?", 1.5f},
                {"d = ?", -2.25}, {"n = ?", new BigDecimal("123.456")}, {"v = ?", "héllo ✓"}, {"t = ?", "日本語のテキスト"},
                {"dt = ?", java.sql.Date.valueOf(DAY)}, {"dt = ?", DAY}, {"ts = ?", Timestamp.valueOf(TS)}, {"ts = ?", TS},
                {"bin = ?", new byte[] {0, 1, (byte) 0xff}}, {"i = ?", "42"}, {"dt = ?", "2024-02-29"},
            };
            for (Object[] probe : probes) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM all_types WHERE " + probe[0])) {
                    ps.setObject(1, probe[1]);
                    assertEquals(List.of(1), DriverManagerTest.ids(ps.executeQuery()), "WHERE " + probe[0] + " with " + probe[1]);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM all_types WHERE i = ?")) {
                ps.setObject(1, "forty-two");
                assertSqlState("22P02", ps::executeQuery);
            }
            assertEquals(0, DriverManagerTest.databaseMemory(c));
        }
    }

    @Test
    void aBatchFailureReportsTheCountsBeforeIt() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:");
                PreparedStatement ps = prepare(c, "CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
                        "INSERT INTO k VALUES (?, ?)")) {
            for (int id : new int[] {1, 2, 1, 3}) {
                ps.setInt(1, id);
                ps.setString(2, "v" + id);
                ps.addBatch();
            }
            BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);
            assertEquals("23505", e.getSQLState());
            assertArrayEquals(new int[] {1, 1}, e.getUpdateCounts());
            ps.setInt(1, 9);
            ps.setNull(2, Types.VARCHAR);
            assertSqlState("23502", ps::executeUpdate);
            try (PreparedStatement q = c.prepareStatement("SELECT id FROM k WHERE id > ?")) {
                q.setInt(1, 0);
                assertEquals(List.of(1, 2), DriverManagerTest.ids(q.executeQuery()));
                assertSqlState("0100E", q::executeUpdate);
                assertSqlState("55000", () -> q.executeQuery("SELECT 1"));
            }
        }
    }

    /**
     * Auto-commit single-row INSERTs take the bulk path with an appender the session keeps between
     * statements: a duplicate key, a NULL in a NOT NULL column, the table dropped and created again
     * under its name, an index created on it, and an explicit transaction rolled back must all
     * leave what the ordinary path leaves, here compared with DuckDB's table at the end. Duet runs
     * every INSERT through one prepared statement; DuckDB prepares each anew (its driver closes a
     * prepared statement that failed).
     */
    @Test
    void autoCommitSingleRowInsertsSurviveFailuresAndSchemaChanges() throws SQLException {
        String sql = "INSERT INTO a VALUES (?, ?)";
        try (Connection duet = DriverManager.getConnection("jdbc:duet:mem:"); Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            duet.createStatement().execute("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            duck.createStatement().execute("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            PreparedStatement held = duet.prepareStatement(sql);
            List<List<Object>> rows = new ArrayList<>();
            for (Connection c : List.of(duet, duck)) {
                Insert ins = (id, v) -> {
                    PreparedStatement ps = c == duet ? held : c.prepareStatement(sql);
                    try {
                        ps.setInt(1, id);
                        ps.setString(2, v);
                        return ps.executeUpdate();
                    } finally {
                        if (ps != held) {
                            ps.close();
                        }
                    }
                };
                String duplicate = c == duet ? "23505" : null;
                String notNull = c == duet ? "23502" : null;
                assertEquals(1, ins.run(1, "one"));
                assertEquals(1, ins.run(2, "two"));
                fails(duplicate, () -> ins.run(1, "again"));
                fails(notNull, () -> ins.run(3, null));
                assertEquals(1, ins.run(3, "three"));
                c.createStatement().execute("DROP TABLE a");
                c.createStatement().execute("CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
                assertEquals(1, ins.run(1, "new one"));
                c.createStatement().execute("CREATE INDEX a_v ON a (v)");
                assertEquals(1, ins.run(4, "four"));
                c.setAutoCommit(false);
                assertEquals(1, ins.run(5, "five"));
                c.rollback();
                c.setAutoCommit(true);
                assertEquals(1, ins.run(6, "six"));
                fails(duplicate, () -> ins.run(4, "dup"));
                try (PreparedStatement q = c.prepareStatement("SELECT id, v FROM a WHERE v = ? OR id < ? ORDER BY id")) {
                    q.setString(1, "four");
                    q.setInt(2, 100);
                    List<Object> out = new ArrayList<>();
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            out.add(rs.getInt(1) + ":" + rs.getString(2));
                        }
                    }
                    rows.add(out);
                }
            }
            held.close();
            assertFalse(rows.get(0).isEmpty());
            assertEquals(rows.get(1), rows.get(0));
        }
    }

    @FunctionalInterface
    private interface Insert {
        int run(int id, String v) throws SQLException;
    }

    /** The action fails, with SQLSTATE {@code state} unless that is null (DuckDB's driver sets none). */
    private static void fails(String state, org.junit.jupiter.api.function.Executable action) {
        if (state != null) {
            assertSqlState(state, action);
        } else {
            assertThrows(SQLException.class, action);
        }
    }

    @Test
    void singleRowInsertsOfParametersAndLiteralsAgreeWithDuckDb() throws SQLException {
        try (Connection duet = DriverManager.getConnection("jdbc:duet:mem:"); Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            for (Connection c : List.of(duet, duck)) {
                c.createStatement().execute("CREATE TABLE w (id INTEGER PRIMARY KEY, name VARCHAR(8), "
                        + "qty INTEGER DEFAULT 7, price DECIMAL(8,2), day DATE)");
                try (PreparedStatement all = c.prepareStatement("INSERT INTO w VALUES (?, ?, ?, ?, ?)");
                        PreparedStatement some = c.prepareStatement("INSERT INTO w (price, id, name) VALUES (?, ?, 'lit')");
                        PreparedStatement mixed = c.prepareStatement("INSERT INTO w VALUES (?, ?, 3, 2.5, DATE '2024-02-29')")) {
                    for (int k = 0; k < 30; k++) {
                        PreparedStatement ps = k % 3 == 0 ? all : k % 3 == 1 ? some : mixed;
                        if (ps == some) {
                            ps.setInt(1, k * 3); // an INTEGER into DECIMAL(8,2)
                            ps.setLong(2, k);
                        } else {
                            ps.setInt(1, k);
                            ps.setString(2, k % 4 == 0 ? null : "n" + k);
                        }
                        if (ps == all) {
                            ps.setShort(3, (short) -k);
                            ps.setBigDecimal(4, k % 5 == 0 ? null : BigDecimal.valueOf(k * 125L, 2));
                            ps.setDate(5, java.sql.Date.valueOf(DAY.plusDays(k)));
                        }
                        if (k < 20) {
                            assertEquals(1, ps.executeUpdate());
                        } else {
                            ps.addBatch();
                            if (k == 29) {
                                for (PreparedStatement b : List.of(all, some, mixed)) {
                                    b.executeBatch();
                                }
                            }
                        }
                    }
                    if (c == duet) { // values that do not fit the column fail the statement and insert nothing
                        all.setInt(1, 100);
                        all.setString(2, "too long a name");
                        all.setInt(3, 1);
                        all.setNull(4, Types.DECIMAL);
                        all.setNull(5, Types.DATE);
                        assertSqlState("22001", all::executeUpdate);
                        all.setString(2, "ok");
                        all.setLong(3, 1L << 40);
                        assertSqlState("22003", all::executeUpdate);
                    }
                }
            }
            Object[] query = {"SELECT id, name, qty, price, day FROM w"};
            List<String> expected = run(duck, query);
            assertEquals(30, expected.size());
            assertEquals(expected, run(duet, query));
            assertEquals(0, DriverManagerTest.databaseMemory(duet));
        }
    }

    private static PreparedStatement prepare(Connection c, String ddl, String sql) throws SQLException {
        c.createStatement().execute(ddl);
        return c.prepareStatement(sql);
    }

    @Test
    void parameterQueriesAgreeWithDuckDb() throws SQLException {
        try (Connection duet = DriverManager.getConnection("jdbc:duet:mem:"); Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            String ddl = "CREATE TABLE p (id INTEGER PRIMARY KEY, s SMALLINT, l BIGINT, r REAL, d DOUBLE PRECISION, "
                    + "n DECIMAL(18,4), t TEXT, dt DATE, ts TIMESTAMP, b BOOLEAN)";
            String insert = "INSERT INTO p VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
            for (Connection c : List.of(duet, duck)) {
                c.createStatement().execute(ddl);
                try (PreparedStatement ps = c.prepareStatement(insert)) {
                    for (int k = 0; k < 60; k++) {
                        ps.setInt(1, k);
                        if (k % 9 == 0) {
                            for (int p = 2; p <= 10; p++) {
                                ps.setNull(p, Types.NULL);
                            }
                        } else {
                            ps.setShort(2, (short) (k - 30));
                            ps.setLong(3, (long) k * 1_000_000_007L);
                            ps.setFloat(4, k / 8.0f);
                            ps.setDouble(5, k / 3.0);
                            ps.setBigDecimal(6, BigDecimal.valueOf(k * 1234L, 3));
                            ps.setString(7, k % 2 == 0 ? "ünï ✓ " + k : "日本 " + k);
                            ps.setDate(8, java.sql.Date.valueOf(LocalDate.of(2001, 1, 1).plusDays(k * 11L)));
                            ps.setTimestamp(9, Timestamp.valueOf(LocalDateTime.of(2020, 1, 1, 0, 0).plusMinutes(k * 97L)));
                            ps.setBoolean(10, k % 3 == 0);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            Object[][] queries = {
                {"SELECT id, s FROM p WHERE s = ?", (short) 5},
                {"SELECT id, l FROM p WHERE l > ?", 30_000_000_000L},
                {"SELECT id, r FROM p WHERE r >= ?", 3.5f},
                {"SELECT id, d FROM p WHERE d < ?", 4.2},
                {"SELECT id, n FROM p WHERE n BETWEEN ? AND ?", new BigDecimal("10"), new BigDecimal("40.5")},
                {"SELECT id, t FROM p WHERE t = ?", "日本 7"},
                {"SELECT id, t FROM p WHERE t LIKE ?", "ünï%"},
                {"SELECT id, dt FROM p WHERE dt > ?", java.sql.Date.valueOf("2002-01-01")},
                {"SELECT id, ts FROM p WHERE ts <= ?", Timestamp.valueOf("2020-01-02 00:00:00")},
                {"SELECT id, b FROM p WHERE b = ?", true},
                {"SELECT id, s + ?, d * ? FROM p WHERE id > ?", 1, 2.5, 30},
            };
            for (Object[] q : queries) {
                List<String> expected = run(duck, q);
                assertFalse(expected.isEmpty(), (String) q[0]);
                assertEquals(expected, run(duet, q), (String) q[0]);
            }
        }
    }

    private static List<String> run(Connection c, Object[] query) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement((String) query[0])) {
            for (int p = 1; p < query.length; p++) {
                if (query[p] instanceof Short s) {
                    ps.setShort(p, s);
                } else if (query[p] instanceof Float f) {
                    ps.setFloat(p, f);
                } else {
                    ps.setObject(p, query[p]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder line = new StringBuilder();
                    for (int col = 1; col <= n; col++) {
                        Object v = switch (rs.getMetaData().getColumnType(col)) {
                            case Types.DATE -> rs.getObject(col, LocalDate.class);
                            case Types.TIMESTAMP -> rs.getObject(col, LocalDateTime.class);
                            case Types.DECIMAL, Types.NUMERIC -> rs.getBigDecimal(col) == null ? null
                                    : rs.getBigDecimal(col).stripTrailingZeros().toPlainString();
                            case Types.REAL, Types.FLOAT -> rs.getFloat(col);
                            case Types.DOUBLE -> Math.round(rs.getDouble(col) * 1e9) / 1e9;
                            case Types.BOOLEAN, Types.BIT -> rs.getBoolean(col);
                            case Types.VARCHAR -> rs.getString(col);
                            default -> rs.getLong(col);
                        };
                        line.append(rs.wasNull() ? "NULL" : String.valueOf(v)).append(" | ");
                    }
                    lines.add(line.toString());
                }
            }
        }
        lines.sort(null);
        return lines;
    }
}
