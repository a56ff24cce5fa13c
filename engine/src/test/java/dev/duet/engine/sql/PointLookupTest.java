package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.rows;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.exec.Batches;
import dev.duet.engine.Duet;
import dev.duet.planner.exec.route.RouteMode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queries that look up one whole primary key run without an operator and return their row as
 * Java values ({@link Result#valueRows()}, no Arrow memory): the same rows as the batch path, as
 * the statement's transaction sees them (its own writes included, others' uncommitted ones not),
 * and as a batch too when a consumer asks for one.
 */
class PointLookupTest {
    private static final String ALL = "k, b, s, i, l, r, d, n, v, t, dt, ts, bin";

    private Duet db;
    private Session a;
    private Session b;

    @BeforeEach
    void open() {
        db = Duet.inMemory();
        a = db.newSession();
        b = db.newSession();
        run(a, "CREATE TABLE vals (k BIGINT PRIMARY KEY, b BOOLEAN, s SMALLINT, i INTEGER, l BIGINT, r REAL, "
                + "d DOUBLE PRECISION, n DECIMAL(20,3), v VARCHAR(10), t TEXT, dt DATE, ts TIMESTAMP, bin BYTEA)");
        run(a, "INSERT INTO vals VALUES (1, true, -3, 7, 9000000000, 1.5, -2.25, 12345678901234567.891, 'abc', "
                + "'ünï ✓', DATE '2024-02-29', TIMESTAMP '2024-02-29 13:45:10.123456', '\\x01ff')");
        run(a, "INSERT INTO vals VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        run(a, "INSERT INTO vals VALUES (3, false, 32767, -2147483648, -1, -0.0, 1e300, -0.001, '', '', DATE '0001-01-01', "
                + "TIMESTAMP '1970-01-01 00:00:00', '\\x')");
        run(a, "CREATE TABLE pairs (x INTEGER, y VARCHAR(5), z TEXT, PRIMARY KEY (x, y))");
        run(a, "INSERT INTO pairs VALUES (1, 'a', 'one-a'), (1, 'b', 'one-b'), (2, 'a', 'two-a')");
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        assertEquals(0, db.rowStore().openSnapshots(), "a transaction was left open");
        db.close();
    }

    /** The value rows of a point query, which must hold its rows as values. */
    private static List<List<Object>> lookup(Session s, String sql, Object... parameters) {
        try (Result r = s.execute(s.prepare(sql), Arrays.asList(parameters))) {
            List<Object[]> values = r.valueRows();
            assertNotNull(values, "a point lookup holds its row as values: " + sql);
            List<List<Object>> out = new ArrayList<>();
            for (Object[] row : values) {
                out.add(Arrays.asList(row));
            }
            assertEquals("SELECT " + out.size(), r.commandTag());
            return out;
        }
    }

    /** The rows of the same query through the batch path (an IN list is not a point lookup). */
    private static List<List<Object>> scanned(Session s, String columns, long k) {
        Result r = s.execute(s.prepare("SELECT " + columns + " FROM vals WHERE k IN (?, ?)"), List.of(k, k));
        assertNull(r.valueRows(), "an IN list runs through its operator");
        return rows(r);
    }

    @Test
    void everyTypeAndNullReadsAsTheBatchPathReadsIt() {
        for (long k = 1; k <= 3; k++) {
            List<List<Object>> found = lookup(a, "SELECT " + ALL + " FROM vals WHERE k = ?", k);
            assertEquals(1, found.size());
            assertEquals(canonical(scanned(a, ALL, k)), canonical(found));
        }
        List<Object> first = lookup(a, "SELECT " + ALL + " FROM vals WHERE k = 1").get(0);
        assertEquals(List.of(1L, true, (short) -3, 7, 9_000_000_000L, 1.5f, -2.25, new BigDecimal("12345678901234567.891"),
                "abc", "ünï ✓", LocalDate.of(2024, 2, 29), LocalDateTime.of(2024, 2, 29, 13, 45, 10, 123_456_000)),
                first.subList(0, 12));
        assertTrue(lookup(a, "SELECT " + ALL + " FROM vals WHERE k = 2").get(0).subList(1, 13).stream()
                .allMatch(v -> v == null));
    }

    /** Values with byte arrays shown by content (lists compare arrays by identity). */
    private static List<String> canonical(List<List<Object>> rows) {
        return rows.stream().map(r -> r.stream().map(v -> v instanceof byte[] bytes ? Arrays.toString(bytes)
                : String.valueOf(v)).toList().toString()).toList();
    }

    @Test
    void projectionsInAnyOrderMissesAndNullKeys() {
        assertEquals(List.of(List.of("abc", 1L, 7)), lookup(a, "SELECT v, k, i FROM vals WHERE k = ?", 1));
        assertEquals(List.of(List.of(7)), lookup(a, "SELECT i FROM vals WHERE ? = k", 1L));
        assertEquals(List.of(), lookup(a, "SELECT v FROM vals WHERE k = ?", 4));
        assertEquals(List.of(), lookup(a, "SELECT v FROM vals WHERE k = ?", (Object) null));
        assertEquals(List.of(List.of("one-b")), lookup(a, "SELECT z FROM pairs WHERE x = ? AND y = ?", 1, "b"));
        assertEquals(List.of(List.of("two-a", 2)), lookup(a, "SELECT z, x FROM pairs WHERE y = 'a' AND x = 2"));
        assertEquals(List.of(), lookup(a, "SELECT z FROM pairs WHERE x = ? AND y = ?", 2, "b"));
    }

    @Test
    void aConsumerAskingForBatchesGetsTheSameRowAndTheMemoryIsFreed() {
        assertEquals(List.of(List.of("abc", 7)), query(a, "SELECT v, i FROM vals WHERE k = 1"));
        assertEquals(List.of(), query(a, "SELECT v, i FROM vals WHERE k = 9"));
        Result open = a.execute("SELECT t FROM vals WHERE k = 1");
        assertEquals("ünï ✓", firstValue(open.nextBatch()));
        assertTrue(db.allocator().getAllocatedMemory() > 0, "the batch is in Arrow memory");
        assertNull(open.nextBatch());
        // left open: the session frees it when it closes (checked after each test)
        Result unclosed = a.execute("SELECT t FROM vals WHERE k = 3");
        assertEquals(1, unclosed.nextBatch().getRowCount());
    }

    private static Object firstValue(VectorSchemaRoot batch) {
        return Batches.rows(batch).get(0)[0];
    }

    private static long update(Session s, String sql, Object... parameters) {
        try (Result r = s.execute(s.prepare(sql), Arrays.asList(parameters))) {
            return r.updateCount();
        }
    }

    @Test
    void updatesAndDeletesOfOneKeyTakeParametersAsThePlanWould() {
        String set = "UPDATE vals SET i = ?, v = ?, n = ? WHERE k = ?";
        for (String sql : List.of(set, "DELETE FROM vals WHERE k = ?", "UPDATE vals SET k = ? WHERE k = ?")) {
            assertNotNull(a.prepare(sql).pointLookup(RouteMode.ROW), "reads its row by a point lookup: " + sql);
        }
        assertNull(a.prepare("UPDATE vals SET i = i + 1 WHERE k = ?").pointLookup(RouteMode.ROW), "an expression runs its plan");
        assertEquals(1, update(a, set, 70, "xyz", new BigDecimal("1.5"), 1L));
        assertEquals(List.of(List.of(70, "xyz", new BigDecimal("1.500"))), lookup(a, "SELECT i, v, n FROM vals WHERE k = 1"));
        assertEquals(0, update(a, set, 1, "a", null, 9L), "no such key");
        assertEquals(0, update(a, set, 1, "a", null, null), "a NULL key matches nothing");
        assertEquals(1, update(a, set, null, null, null, 1L));
        assertEquals(List.of(Arrays.asList(null, null, null)), lookup(a, "SELECT i, v, n FROM vals WHERE k = 1"));
        SqlTestSupport.assertFails(dev.duet.core.SqlState.STRING_DATA_RIGHT_TRUNCATION,
                () -> update(a, set, 1, "much too long", null, 2L));
        SqlTestSupport.assertFails(dev.duet.core.SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                () -> update(a, "UPDATE vals SET s = ? WHERE k = ?", 70_000, 2L));
        SqlTestSupport.assertFails(dev.duet.core.SqlState.UNIQUE_VIOLATION,
                () -> update(a, "UPDATE vals SET k = ? WHERE k = ?", 3L, 2L));
        assertEquals(1, update(a, "UPDATE vals SET k = ? WHERE k = ?", 20L, 2L), "the key itself may change");
        assertEquals(List.of(List.of(20L)), lookup(a, "SELECT k FROM vals WHERE k = ?", 20L));
        assertEquals(1, update(a, "DELETE FROM vals WHERE k = ?", 20L));
        assertEquals(0, update(a, "DELETE FROM vals WHERE k = ?", 20L));
        assertEquals(List.of(List.of(1L), List.of(3L)), query(b, "SELECT k FROM vals ORDER BY k"));
        assertEquals(1, update(a, "UPDATE pairs SET z = ? WHERE y = ? AND x = ?", "new", "b", 1));
        assertEquals(List.of(List.of("one-a"), List.of("new"), List.of("two-a")), query(b, "SELECT z FROM pairs ORDER BY x, y"));
    }

    @Test
    void aTransactionSeesItsOwnWritesAndNotOthersUncommittedOnes() {
        run(a, "BEGIN");
        run(a, "UPDATE vals SET i = 70 WHERE k = 1");
        run(a, "INSERT INTO vals (k, i) VALUES (4, 40)");
        run(a, "DELETE FROM vals WHERE k = 3");
        assertEquals(List.of(List.of(70)), lookup(a, "SELECT i FROM vals WHERE k = ?", 1));
        assertEquals(List.of(List.of(40)), lookup(a, "SELECT i FROM vals WHERE k = ?", 4));
        assertEquals(List.of(), lookup(a, "SELECT i FROM vals WHERE k = ?", 3));
        assertEquals(List.of(List.of(7)), lookup(b, "SELECT i FROM vals WHERE k = ?", 1));
        assertEquals(List.of(), lookup(b, "SELECT i FROM vals WHERE k = ?", 4));
        assertEquals(List.of(List.of(-2147483648)), lookup(b, "SELECT i FROM vals WHERE k = ?", 3));
        run(a, "COMMIT");
        assertEquals(List.of(List.of(40)), lookup(b, "SELECT i FROM vals WHERE k = ?", 4));
    }

    @Test
    void aTransactionReadsItsSnapshotAndAnOpenResultKeepsItsRow() {
        b.setAutoCommit(false);
        assertEquals(List.of(List.of(7)), lookup(b, "SELECT i FROM vals WHERE k = ?", 1)); // snapshot taken
        run(a, "UPDATE vals SET i = 8 WHERE k = 1");
        assertEquals(List.of(List.of(7)), lookup(b, "SELECT i FROM vals WHERE k = ?", 1), "snapshot isolation");
        Result held = b.execute(b.prepare("SELECT i FROM vals WHERE k = ?"), List.of(1));
        run(b, "UPDATE vals SET l = 5 WHERE k = 2"); // a write of b's transaction after the result was made
        b.commit();
        assertEquals(List.of(List.of(7)), SqlTestSupport.rows(held), "the result holds the row it read");
        assertEquals(List.of(List.of(8)), lookup(b, "SELECT i FROM vals WHERE k = ?", 1));
    }
}
