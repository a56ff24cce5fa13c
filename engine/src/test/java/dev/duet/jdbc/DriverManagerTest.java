package dev.duet.jdbc;

import static dev.duet.jdbc.ResultSetConversionsTest.assertSqlState;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.engine.Duet;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver as a generic tool uses it: everything goes through {@link DriverManager} and the
 * {@code java.sql} interfaces (the only Duet-specific call is unwrapping a connection to check that
 * query memory was freed).
 */
class DriverManagerTest {
    private static final String ALL_TYPES = "CREATE TABLE all_types (id INTEGER PRIMARY KEY, b BOOLEAN, s SMALLINT, "
            + "i INTEGER, l BIGINT, r REAL, d DOUBLE PRECISION, n DECIMAL(12,3), v VARCHAR(20), t TEXT, dt DATE, "
            + "ts TIMESTAMP, bin BYTEA)";

    /** Arrow memory the database holds now (query results not yet freed). */
    static long databaseMemory(Connection c) throws SQLException {
        return c.unwrap(DuetConnection.class).duet().allocator().getAllocatedMemory();
    }

    static List<Integer> ids(ResultSet rs) throws SQLException {
        List<Integer> out = new ArrayList<>();
        while (rs.next()) {
            out.add(rs.getInt(1));
        }
        rs.close();
        Collections.sort(out);
        return out;
    }

    @Test
    void theDriverIsFoundByUrlAndDescribesItsOptions() throws SQLException {
        Driver driver = DriverManager.getDriver("jdbc:duet:mem:");
        assertInstanceOf(DuetDriver.class, driver);
        assertTrue(driver.acceptsURL("jdbc:duet:/tmp/x"));
        assertFalse(driver.acceptsURL("jdbc:postgresql://localhost/x"));
        assertNull(driver.connect("jdbc:h2:mem:", new Properties()), "another driver's URL");
        assertEquals(4, driver.getPropertyInfo("jdbc:duet:mem:", new Properties()).length);
        assertSqlState("22023", () -> DriverManager.getConnection("jdbc:duet:mem:x?durability=sometimes"));
        assertSqlState("22023", () -> DriverManager.getConnection("jdbc:duet:mem:x?colour=blue"));
        assertSqlState("22023", () -> DriverManager.getConnection("jdbc:duet:mem:x?memory_limit=-1"));
        assertSqlState("22023", () -> DriverManager.getConnection("jdbc:duet:mem:x?threads=0"));
        assertSqlState("22023", () -> DriverManager.getConnection("jdbc:duet:"));
    }

    @Test
    void theThreadsOptionIsTheDefaultOfDuetThreads() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:?threads=3");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW duet.threads")) {
            assertTrue(rs.next());
            assertEquals("3", rs.getString(1));
        }
    }

    /**
     * A SQL literal of a Java value as the tests write them (X'..' for bytes, typed date/time
     * literals). String literals must stay within Latin-1 until the front end reads UTF-8 literals
     * (docs/limitations.md); other text reaches the database as parameters.
     */
    static String literal(Object v) {
        if (v == null) {
            return "NULL";
        } else if (v instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        } else if (v instanceof BigDecimal d) {
            return d.toPlainString();
        } else if (v instanceof LocalDate d) {
            return "DATE '" + d + "'";
        } else if (v instanceof LocalDateTime t) {
            return "TIMESTAMP '" + t.format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS")) + "'";
        } else if (v instanceof byte[] b) {
            return "X'" + java.util.HexFormat.of().formatHex(b) + "'";
        }
        return v.toString();
    }

    /** {@code INSERT INTO table VALUES (...)} of literals. */
    static String insert(String table, Object... values) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" VALUES (");
        for (int i = 0; i < values.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(literal(values[i]));
        }
        return sql.append(')').toString();
    }

    @Test
    void ddlBatchesEveryTypeAndMetadata() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:")) {
            LocalDate day = LocalDate.of(2024, 2, 29);
            LocalDateTime ts = LocalDateTime.of(2024, 2, 29, 13, 45, 10, 123_456_000);
            try (Statement st = c.createStatement()) {
                assertFalse(st.execute(ALL_TYPES));
                assertEquals(0, st.getUpdateCount());
                st.addBatch(insert("all_types", 1, true, -7, 42, 5_000_000_000L, 1.5f, -2.25, new BigDecimal("123.456"),
                        "héllo", "a longer text ÿ", day, ts, new byte[] {0, 1, (byte) 0xff}));
                st.addBatch(insert("all_types", 2, false, 3, 43, 7L, 0.25f, 1e3, new BigDecimal("-0.5"), "x", "",
                        day.plusDays(1), ts.minusHours(2), new byte[0]));
                st.addBatch(insert("all_types", 3, null, null, null, null, null, null, null, null, null, null, null, null));
                st.addBatch("UPDATE all_types SET i = i + 1 WHERE id < 3");
                assertArrayEquals(new int[] {1, 1, 1, 2}, st.executeBatch());
                assertArrayEquals(new int[0], st.executeBatch(), "the batch was cleared");
            }

            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM all_types WHERE id = 2")) {
                assertTrue(rs.next());
                assertFalse(rs.getBoolean("b"));
                assertEquals(3, rs.getShort("s"));
                assertEquals(44, rs.getInt("i"));
                assertEquals(1000.0, rs.getDouble("d"));
                assertEquals(new BigDecimal("-0.500"), rs.getBigDecimal("n"));
                assertEquals("", rs.getString("t"));
                assertEquals(day.plusDays(1), rs.getObject("dt"));
                assertEquals(ts.minusHours(2), rs.getObject("ts"));
                assertArrayEquals(new byte[0], rs.getBytes("bin"));
                assertFalse(rs.next());
                ResultSetMetaData md = rs.getMetaData();
                assertEquals(13, md.getColumnCount());
                assertEquals("id", md.getColumnLabel(1));
                assertEquals(Types.INTEGER, md.getColumnType(1));
                assertEquals(ResultSetMetaData.columnNoNulls, md.isNullable(1));
                assertEquals("numeric", md.getColumnTypeName(8));
                assertEquals(12, md.getPrecision(8));
                assertEquals(3, md.getScale(8));
                assertEquals(20, md.getPrecision(9));
                assertEquals("java.time.LocalDateTime", md.getColumnClassName(12));
            }
            try (Statement st = c.createStatement()) {
                assertEquals(List.of(3), ids(st.executeQuery("SELECT id FROM all_types WHERE i IS NULL")));
                assertEquals(List.of(1), ids(st.executeQuery("SELECT id FROM all_types WHERE bin = X'0001ff'")));
            }

            DatabaseMetaData md = c.getMetaData();
            assertEquals("Duet", md.getDatabaseProductName());
            assertEquals("\"", md.getIdentifierQuoteString());
            assertTrue(md.storesLowerCaseIdentifiers());
            assertEquals(Connection.TRANSACTION_REPEATABLE_READ, md.getDefaultTransactionIsolation());
            try (ResultSet rs = md.getTables(null, "public", "all%", new String[] {"TABLE"})) {
                assertTrue(rs.next());
                assertEquals("public", rs.getString("TABLE_SCHEM"));
                assertEquals("all_types", rs.getString("TABLE_NAME"));
                assertEquals("TABLE", rs.getString("TABLE_TYPE"));
                assertFalse(rs.next());
            }
            try (ResultSet rs = md.getTables(null, null, "nothing_like_this", null)) {
                assertFalse(rs.next());
            }
            try (ResultSet rs = md.getColumns(null, "public", "all\\_types", "%")) {
                List<String> names = new ArrayList<>();
                List<Integer> types = new ArrayList<>();
                while (rs.next()) {
                    names.add(rs.getString("COLUMN_NAME"));
                    types.add(rs.getInt("DATA_TYPE"));
                    assertEquals(names.size(), rs.getInt("ORDINAL_POSITION"));
                    assertEquals(names.size() == 1 ? "NO" : "YES", rs.getString("IS_NULLABLE"));
                    if (names.get(names.size() - 1).equals("n")) {
                        assertEquals(12, rs.getInt("COLUMN_SIZE"));
                        assertEquals(3, rs.getInt("DECIMAL_DIGITS"));
                        assertEquals("numeric", rs.getString("TYPE_NAME"));
                    }
                }
                assertEquals(List.of("id", "b", "s", "i", "l", "r", "d", "n", "v", "t", "dt", "ts", "bin"), names);
                assertEquals(List.of(Types.INTEGER, Types.BOOLEAN, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL,
                        Types.DOUBLE, Types.NUMERIC, Types.VARCHAR, Types.VARCHAR, Types.DATE, Types.TIMESTAMP,
                        Types.BINARY), types);
            }
            try (ResultSet rs = md.getPrimaryKeys(null, null, "all_types")) {
                assertTrue(rs.next());
                assertEquals("id", rs.getString("COLUMN_NAME"));
                assertEquals(1, rs.getShort("KEY_SEQ"));
                assertEquals("all_types_pkey", rs.getString("PK_NAME"));
                assertFalse(rs.next());
            }
            try (ResultSet rs = md.getIndexInfo(null, "public", "all_types", false, true)) {
                assertTrue(rs.next());
                assertFalse(rs.getBoolean("NON_UNIQUE"));
                assertFalse(rs.next());
            }
            Set<String> typeNames = new HashSet<>();
            try (ResultSet rs = md.getTypeInfo()) {
                int previous = Integer.MIN_VALUE;
                while (rs.next()) {
                    typeNames.add(rs.getString("TYPE_NAME"));
                    assertTrue(rs.getInt("DATA_TYPE") >= previous, "ordered by DATA_TYPE");
                    previous = rs.getInt("DATA_TYPE");
                }
            }
            assertTrue(typeNames.containsAll(List.of("bool", "int2", "int4", "int8", "float4", "float8", "numeric",
                    "varchar", "text", "date", "timestamp", "bytea")), typeNames.toString());
            try (ResultSet rs = md.getSchemas()) {
                List<String> schemas = new ArrayList<>();
                while (rs.next()) {
                    schemas.add(rs.getString("TABLE_SCHEM"));
                }
                assertTrue(schemas.contains("public"), schemas.toString());
            }
            try (ResultSet rs = md.getTableTypes()) {
                assertTrue(rs.next());
                assertEquals("TABLE", rs.getString(1));
            }
            try (ResultSet rs = md.getCatalogs(); ResultSet fk = md.getImportedKeys(null, null, "all_types")) {
                assertFalse(rs.next());
                assertFalse(fk.next());
                assertEquals(14, fk.getMetaData().getColumnCount());
            }
            assertEquals(0, databaseMemory(c), "every query and metadata result freed its memory");
        }
    }

    @Test
    void errorsCarryTheirSqlState() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            assertEquals(1, st.executeUpdate("INSERT INTO k VALUES (1, 'a')"));
            assertSqlState("42601", () -> st.execute("SELEC 1"));
            assertSqlState("42P01", () -> st.executeQuery("SELECT * FROM missing"));
            assertSqlState("42703", () -> st.executeQuery("SELECT nope FROM k"));
            assertSqlState("23505", () -> st.executeUpdate("INSERT INTO k VALUES (1, 'b')"));
            assertSqlState("23502", () -> st.executeUpdate("INSERT INTO k VALUES (2, NULL)"));
            assertSqlState("02000", () -> st.executeQuery("INSERT INTO k VALUES (3, 'c')"));
            assertSqlState("0100E", () -> st.executeUpdate("SELECT * FROM k WHERE id = 1"));
            assertSqlState("22012", () -> {
                try (ResultSet rs = st.executeQuery("SELECT id / 0 FROM k WHERE id = 1")) {
                    while (rs.next()) {
                        rs.getInt(1);
                    }
                }
            });
            st.addBatch("INSERT INTO k VALUES (10, 'x')");
            st.addBatch("INSERT INTO k VALUES (1, 'dup')");
            st.addBatch("INSERT INTO k VALUES (11, 'y')");
            BatchUpdateException e = assertThrows(BatchUpdateException.class, st::executeBatch);
            assertEquals("23505", e.getSQLState());
            assertArrayEquals(new int[] {1}, e.getUpdateCounts());
            assertThrows(SQLFeatureNotSupportedException.class,
                    () -> c.createStatement(ResultSet.TYPE_SCROLL_INSENSITIVE, ResultSet.CONCUR_READ_ONLY));
            assertThrows(SQLFeatureNotSupportedException.class, () -> c.prepareCall("CALL p()"));
            assertThrows(SQLFeatureNotSupportedException.class, c::setSavepoint);
            assertEquals(List.of(1, 3, 10), ids(st.executeQuery("SELECT id FROM k WHERE id > 0")));
            st.close();
            assertSqlState("55000", () -> st.executeQuery("SELECT id FROM k"));
            c.close();
            assertSqlState("08003", c::createStatement);
        }
    }

    @Test
    void transactionsFollowJdbc() throws SQLException {
        String url = "jdbc:duet:mem:transactions";
        try (Connection a = DriverManager.getConnection(url); Connection b = DriverManager.getConnection(url)) {
            assertTrue(a.getAutoCommit());
            assertEquals(Connection.TRANSACTION_REPEATABLE_READ, a.getTransactionIsolation());
            a.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED); // served by snapshot isolation
            assertEquals(Connection.TRANSACTION_REPEATABLE_READ, a.getTransactionIsolation());
            assertThrows(SQLFeatureNotSupportedException.class,
                    () -> a.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE));
            assertSqlState("25000", a::commit);
            try (Statement st = a.createStatement()) {
                st.execute("CREATE TABLE acct (id INTEGER PRIMARY KEY, balance BIGINT)");
                st.executeUpdate("INSERT INTO acct VALUES (1, 100)");
            }
            a.setAutoCommit(false);
            try (Statement sa = a.createStatement(); Statement sb = b.createStatement()) {
                sa.executeUpdate("INSERT INTO acct VALUES (2, 200)");
                assertEquals(List.of(1, 2), ids(sa.executeQuery("SELECT id FROM acct WHERE id > 0")));
                assertEquals(List.of(1), ids(sb.executeQuery("SELECT id FROM acct WHERE id > 0")), "uncommitted is invisible");
                a.rollback();
                assertEquals(List.of(1), ids(sa.executeQuery("SELECT id FROM acct WHERE id > 0")));
                sa.executeUpdate("INSERT INTO acct VALUES (3, 300)");
                a.commit();
                assertEquals(List.of(1, 3), ids(sb.executeQuery("SELECT id FROM acct WHERE id > 0")));

                // Write-write conflict: the later committer fails with 40001.
                b.setAutoCommit(false);
                sa.executeUpdate("UPDATE acct SET balance = 1 WHERE id = 1");
                sb.executeUpdate("UPDATE acct SET balance = 2 WHERE id = 1");
                a.commit();
                assertSqlState("40001", b::commit);
                b.rollback();
                b.setAutoCommit(true);
                a.setAutoCommit(true);
            }
            b.setReadOnly(true);
            assertTrue(b.isReadOnly());
            try (Statement sb = b.createStatement()) {
                assertSqlState("25006", () -> sb.executeUpdate("INSERT INTO acct VALUES (9, 9)"));
                try (ResultSet rs = sb.executeQuery("SELECT balance FROM acct WHERE id = 1")) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getLong(1));
                }
            }
        }
    }

    @Test
    void connectionsOfOneUrlShareTheDatabaseAndTheLastCloseReleasesTheDirectory(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("db");
        String url = "jdbc:duet:" + dir;
        int openBefore = SharedDatabases.openCount();
        Connection a = DriverManager.getConnection(url + "?durability=async");
        assertTrue(Files.isDirectory(dir), "created on first use");
        Connection b = DriverManager.getConnection("jdbc:duet:" + tmp.resolve("x/../db"));
        try (Statement st = a.createStatement()) {
            st.execute("CREATE TABLE shared (id INTEGER PRIMARY KEY)");
            st.executeUpdate("INSERT INTO shared VALUES (1)");
        }
        try (Statement st = b.createStatement()) {
            assertEquals(List.of(1), ids(st.executeQuery("SELECT id FROM shared WHERE id > 0")));
        }
        assertSqlState("55000", () -> DriverManager.getConnection(url + "?durability=fsync"));
        a.close();
        try (Statement st = b.createStatement()) {
            st.executeUpdate("INSERT INTO shared VALUES (2)"); // still open for b
        }
        assertEquals(openBefore + 1, SharedDatabases.openCount());
        b.close();
        assertEquals(openBefore, SharedDatabases.openCount(), "the last connection closed the database");
        try (Duet reopened = Duet.open(dir)) { // would fail with 55006 if the directory were still locked
            assertEquals(2, reopened.scan("shared").size());
            try (Connection c = reopened.connect(); Statement st = c.createStatement()) {
                assertEquals(List.of(1, 2), ids(st.executeQuery("SELECT id FROM shared WHERE id > 0")));
            }
            assertEquals(2, reopened.scan("shared").size(), "closing a connection leaves an embedded database open");
        }
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            assertEquals(List.of(1, 2), ids(st.executeQuery("SELECT id FROM shared WHERE id > 0")));
        }

        // Named in-memory databases are shared while open; jdbc:duet:mem: is private to its connection.
        try (Connection m1 = DriverManager.getConnection("jdbc:duet:mem:named");
                Connection m2 = DriverManager.getConnection("jdbc:duet:mem:named");
                Connection p1 = DriverManager.getConnection("jdbc:duet:mem:");
                Connection p2 = DriverManager.getConnection("jdbc:duet:mem:")) {
            m1.createStatement().execute("CREATE TABLE seen (id INTEGER)");
            p1.createStatement().execute("CREATE TABLE seen (id INTEGER)");
            assertTrue(m2.getMetaData().getTables(null, null, "seen", null).next());
            assertFalse(p2.getMetaData().getTables(null, null, "seen", null).next());
        }
        try (Connection m = DriverManager.getConnection("jdbc:duet:mem:named")) {
            assertFalse(m.getMetaData().getTables(null, null, "seen", null).next(), "gone with its last connection");
        }
    }

    @Test
    void connectionsWorkConcurrentlyOnSeveralThreads() throws Exception {
        String url = "jdbc:duet:mem:concurrent";
        int threads = 4;
        int rowsPerThread = 300;
        try (Connection setup = DriverManager.getConnection(url)) {
            setup.createStatement().execute("CREATE TABLE events (id INTEGER PRIMARY KEY, worker INTEGER, note TEXT)");
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<Integer>>> results = new ArrayList<>();
                for (int w = 0; w < threads; w++) {
                    int worker = w;
                    results.add(pool.submit(() -> {
                        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                            StringBuilder values = new StringBuilder();
                            for (int r = 0; r < rowsPerThread; r++) {
                                values.append(values.length() == 0 ? "" : ", ").append('(')
                                        .append(worker * rowsPerThread + r).append(", ").append(worker)
                                        .append(", 'w").append(worker).append('r').append(r).append("')");
                                if (r % 10 == 9) {
                                    st.addBatch("INSERT INTO events VALUES " + values);
                                    values.setLength(0);
                                }
                                if (r % 50 == 49) {
                                    st.executeBatch();
                                }
                            }
                            return ids(st.executeQuery("SELECT id FROM events WHERE worker = " + worker));
                        }
                    }));
                }
                for (int w = 0; w < threads; w++) {
                    List<Integer> expected = new ArrayList<>();
                    for (int r = 0; r < rowsPerThread; r++) {
                        expected.add(w * rowsPerThread + r);
                    }
                    assertEquals(expected, results.get(w).get(), "worker " + w + " sees its own rows");
                }
            } finally {
                pool.shutdown();
            }
            try (Statement st = setup.createStatement()) {
                assertEquals(threads * rowsPerThread, ids(st.executeQuery("SELECT id FROM events WHERE id >= 0")).size());
            }
            assertEquals(0, databaseMemory(setup));
        }
    }

    @Test
    void cancelAndQueryTimeoutStopAQueryWith57014() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:")) {
            c.createStatement().execute("CREATE TABLE big (id INTEGER PRIMARY KEY, pad TEXT)");
            int rows = 20_000; // several executor batches
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                StringBuilder values = new StringBuilder();
                for (int i = 0; i < rows; i++) {
                    values.append(values.length() == 0 ? "" : ", ").append('(').append(i).append(", 'row ").append(i).append("')");
                    if (i % 1000 == 999) {
                        st.addBatch("INSERT INTO big VALUES " + values);
                        values.setLength(0);
                    }
                }
                st.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);

            try (Statement st = c.createStatement()) {
                ResultSet rs = st.executeQuery("SELECT id, pad FROM big WHERE id >= 0");
                assertTrue(rs.next());
                Thread canceller = new Thread(() -> {
                    try {
                        st.cancel();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                canceller.start();
                canceller.join();
                SQLException e = assertThrows(SQLException.class, () -> {
                    while (rs.next()) {
                        rs.getString(2);
                    }
                });
                assertEquals("57014", e.getSQLState(), e.getMessage());
                rs.close();
                assertEquals(0, databaseMemory(c), "a cancelled query frees its memory");
            }

            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(1);
                assertEquals(1, st.getQueryTimeout());
                ResultSet rs = st.executeQuery("SELECT id, pad FROM big WHERE id >= 0");
                assertTrue(rs.next());
                Thread.sleep(1_500); // the statement has now run longer than its timeout
                SQLException e = assertThrows(SQLException.class, () -> {
                    while (rs.next()) {
                        rs.getString(2);
                    }
                });
                assertEquals("57014", e.getSQLState(), e.getMessage());
                rs.close();
                st.setQueryTimeout(0);
                assertEquals(rows, ids(st.executeQuery("SELECT id FROM big WHERE id >= 0")).size(), "the connection still works");
            }
            assertEquals(0, databaseMemory(c));
        }
    }

    @Test
    void statementsWalkSeveralResultsAndLimitRows() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duet:mem:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE m (id INTEGER)");
            assertFalse(st.execute("INSERT INTO m VALUES (1), (2), (3); SELECT id FROM m WHERE id > 1; DELETE FROM m WHERE id = 3"));
            assertEquals(3, st.getUpdateCount());
            assertTrue(st.getMoreResults());
            assertEquals(List.of(2, 3), ids(st.getResultSet()));
            assertFalse(st.getMoreResults());
            assertEquals(1, st.getUpdateCount());
            assertFalse(st.getMoreResults());
            assertEquals(-1, st.getUpdateCount());
            assertEquals(List.of(1, 2), ids(st.executeQuery("SELECT id FROM m WHERE id > 0;  ")), "a trailing semicolon");
            assertFalse(st.execute(" ; "));
            assertEquals(0, st.getUpdateCount(), "an empty statement");
            st.setMaxRows(1);
            assertEquals(1, ids(st.executeQuery("SELECT id FROM m WHERE id > 0")).size());
            assertEquals("SELECT 1", c.nativeSQL("SELECT 1"));
            assertTrue(c.isValid(1));
            assertEquals("public", c.getSchema());
            assertNull(c.getWarnings());
            assertNotNull(c.unwrap(DuetConnection.class));
            st.setMaxRows(0);
            st.cancel(); // nothing runs: the next statement is not affected
            assertEquals(List.of(1, 2), ids(st.executeQuery("SELECT id FROM m WHERE id > 0")));
        }
    }

    @Test
    void closingAConnectionClosesWhatIsStillOpen() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duet:mem:");
        Statement st = c.createStatement();
        st.execute("CREATE TABLE o (id INTEGER)");
        st.execute("INSERT INTO o VALUES (1), (2)");
        ResultSet query = st.executeQuery("SELECT id FROM o WHERE id > 0");
        assertTrue(query.next());
        ResultSet tables = c.getMetaData().getTables(null, null, "%", null);
        c.close(); // would fail with a leak report if the open results held memory past the session
        assertTrue(st.isClosed());
        assertTrue(query.isClosed());
        assertTrue(tables.isClosed());
        assertTrue(c.isClosed());
        c.close(); // idempotent
    }
}
