package dev.duet.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
import org.junit.jupiter.api.Test;

/**
 * Batches of a prepared single-row INSERT, which run through the row store's bulk path in
 * auto-commit mode: the rows (every type, NULLs) agree with DuckDB's after the same batch, read
 * from both of Duet's stores; the update counts and failures are those of running the statements
 * one by one (a failure keeps the statements before it and reports their counts); inside an
 * explicit transaction the batch is part of it.
 */
class BatchInsertTest {
    private static final String DDL = "CREATE TABLE b (id INTEGER PRIMARY KEY, f BOOLEAN, s SMALLINT, l BIGINT, r REAL,"
            + " d DOUBLE PRECISION, n DECIMAL(18,4), v VARCHAR(10), dt DATE, ts TIMESTAMP, bin BYTEA NOT NULL)";
    private static final String INSERT = "INSERT INTO b VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static void bind(PreparedStatement ps, int id) throws SQLException {
        boolean nulls = id % 4 == 0;
        ps.setInt(1, id);
        if (nulls) {
            ps.setNull(2, Types.BOOLEAN);
            ps.setNull(3, Types.SMALLINT);
            ps.setNull(4, Types.BIGINT);
            ps.setNull(5, Types.REAL);
            ps.setNull(6, Types.DOUBLE);
            ps.setNull(7, Types.DECIMAL);
            ps.setNull(8, Types.VARCHAR);
            ps.setNull(9, Types.DATE);
            ps.setNull(10, Types.TIMESTAMP);
        } else {
            ps.setBoolean(2, id % 3 == 0);
            ps.setShort(3, (short) (id % 1000 - 500));
            ps.setLong(4, (long) id * 1_000_000_007L);
            ps.setFloat(5, id / 7.0f);
            ps.setDouble(6, id * -0.125);
            ps.setBigDecimal(7, BigDecimal.valueOf(id * 31L, 4));
            ps.setString(8, "v" + id % 97 + (id % 11 == 0 ? "ß" : ""));
            ps.setDate(9, java.sql.Date.valueOf(LocalDate.of(2001, 3, 4).plusDays(id)));
            ps.setTimestamp(10, Timestamp.valueOf(LocalDateTime.of(2010, 1, 1, 0, 0).plusSeconds(id * 61L).plusNanos(id * 1000L)));
        }
        ps.setBytes(11, new byte[] {(byte) id, (byte) (id >> 8)});
    }

    @Test
    void aBatchAgreesWithDuckDbInBothStores() throws SQLException {
        try (Connection duet = DriverManager.getConnection("jdbc:duet:mem:");
                Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            for (Connection c : List.of(duet, duck)) {
                try (Statement st = c.createStatement()) {
                    st.execute(DDL);
                }
                try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                    for (int id = 3000; id >= 1; id--) {
                        bind(ps, id);
                        ps.addBatch();
                    }
                    int[] counts = ps.executeBatch();
                    assertEquals(3000, counts.length);
                    assertEquals(3000, Arrays.stream(counts).sum());
                }
            }
            List<String> expected = rows(duck, "SELECT * FROM b ORDER BY id");
            for (String route : List.of("row", "column")) {
                try (Statement st = duet.createStatement()) {
                    st.execute("SET duet.route = '" + route + "'");
                }
                assertEquals(expected, rows(duet, "SELECT * FROM b ORDER BY id"), route + " route");
                assertEquals(rows(duck, "SELECT count(*), sum(l), sum(n), min(v), max(ts), count(f) FROM b"),
                        rows(duet, "SELECT count(*), sum(l), sum(n), min(v), max(ts), count(f) FROM b"), route + " route");
            }
            assertEquals(0, DriverManagerTest.databaseMemory(duet));
        }
    }

    @Test
    void failuresReportTheCountsOfTheStatementsBeforeThem() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:");
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT NOT NULL, s SMALLINT)");
            st.execute("INSERT INTO k VALUES (100, 'old', 1)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO k VALUES (?, ?, ?)")) {
                Object[][] cases = {
                    {100, "v", 1, "23505"}, // the key of a committed row
                    {null, null, 1, "23502"},
                    {null, "v", 99_999, "22003"},
                    {null, "v", "x", "22P02"},
                };
                int next = 1;
                for (Object[] bad : cases) {
                    int first = next;
                    for (int i = 0; i < 3; i++) {
                        ps.setInt(1, next++);
                        ps.setString(2, "v");
                        ps.setInt(3, i);
                        ps.addBatch();
                    }
                    ps.setInt(1, bad[0] == null ? next++ : (Integer) bad[0]);
                    ps.setString(2, (String) bad[1]);
                    ps.setObject(3, bad[2]);
                    ps.addBatch();
                    ps.setInt(1, next++);
                    ps.setString(2, "after");
                    ps.setInt(3, 0);
                    ps.addBatch();
                    BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);
                    assertEquals(bad[3], e.getSQLState(), e.getMessage());
                    assertArrayEquals(new int[] {1, 1, 1}, e.getUpdateCounts());
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM k WHERE id >= " + first + " AND id < 100")) {
                        rs.next();
                        assertEquals(3, rs.getLong(1), "the statements before the failure stay, the rest do not");
                    }
                }
            }
        }
    }

    @Test
    void insideATransactionTheBatchIsPartOfIt() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:"); Statement st = c.createStatement()) {
            st.execute(DDL);
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                for (int id = 1; id <= 50; id++) {
                    bind(ps, id);
                    ps.addBatch();
                }
                assertEquals(50, ps.executeBatch().length);
                assertEquals(List.of("50"), rows(c, "SELECT count(*) FROM b"), "the transaction sees its batch");
                c.rollback();
                assertEquals(List.of("0"), rows(c, "SELECT count(*) FROM b"));
                for (int id = 1; id <= 50; id++) {
                    bind(ps, id);
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            }
            c.setAutoCommit(true);
            assertEquals(List.of("50"), rows(c, "SELECT count(*) FROM b"));
        }
    }

    @Test
    void aTableWithAnIndexKeepsItsIndexCurrent() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE x (id INTEGER PRIMARY KEY, u INTEGER)");
            st.execute("CREATE UNIQUE INDEX x_u ON x (u)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO x VALUES (?, ?)")) {
                for (int id = 1; id <= 20; id++) {
                    ps.setInt(1, id);
                    ps.setInt(2, id * 10);
                    ps.addBatch();
                }
                ps.executeBatch();
                ps.setInt(1, 21);
                ps.setInt(2, 10);
                ps.addBatch();
                BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);
                assertEquals("23505", e.getSQLState());
            }
            assertEquals(List.of("7"), rows(c, "SELECT id FROM x WHERE u = 70"));
        }
    }

    /** Each row as its values joined, normalized so that both drivers print a value the same way. */
    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    int type = rs.getMetaData().getColumnType(i);
                    Object v = type == Types.BINARY || type == Types.VARBINARY || type == Types.BLOB || type == Types.LONGVARBINARY
                            ? rs.getBytes(i) : rs.getObject(i);
                    row.add(normalize(v));
                }
                out.add(String.join(" | ", row));
            }
        }
        return out;
    }

    private static String normalize(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (v instanceof Double || v instanceof Float) {
            return new BigDecimal(((Number) v).doubleValue()).round(new MathContext(12)).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Number num) {
            return new BigDecimal(num.toString()).stripTrailingZeros().toPlainString();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().toString();
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime().toString();
        }
        return v.toString();
    }
}
