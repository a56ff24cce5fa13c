package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.assertFails;
import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.rows;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EXPLAIN ANALYZE: the statement runs, and the rows each plan node reports are the rows that
 * really passed through it (checked against the same queries run plainly), DML changes happen
 * (and roll back with their transaction), errors keep their SQLSTATE, memory returns to zero.
 */
class ExplainAnalyzeTest {
    /** More rows than one batch, so that a LIMIT can stop the scan early. */
    private static final int BIG_ROWS = 20_000;
    private static final Pattern ACTUAL = Pattern.compile(
            "\\(actual rows=(\\d+)(?: batches=(\\d+))?(?: loops=\\d+)? time=(\\d+\\.\\d{3}) ms self=(\\d+\\.\\d{3}) ms\\)$");

    private Duet db;
    private Session session;

    @BeforeEach
    void open() {
        db = Duet.inMemory(DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC));
        session = db.newSession();
        run(session, "SET duet.threads = 1"); // the serial plans' shapes; ParallelQueryTest covers gathers
        run(session, "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT, s VARCHAR(10))");
        run(session, "CREATE TABLE u (id BIGINT PRIMARY KEY, t_id BIGINT, w INT)");
        run(session, "CREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR)");
        db.run(tx -> {
            for (long i = 0; i < 1000; i++) {
                tx.insert("t", i, (int) (i % 10), i % 7 == 0 ? null : "s" + i);
            }
            for (long i = 0; i < 300; i++) {
                tx.insert("u", i, i * 5 % 1300, (int) (i % 4));
            }
            for (int i = 0; i < BIG_ROWS; i++) {
                tx.insert("big", i, "x".repeat(100));
            }
        });
    }

    @AfterEach
    void close() {
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        assertEquals(0, db.rowStore().openSnapshots(), "a transaction was left open");
        db.close();
    }

    /** The lines of EXPLAIN ANALYZE's text. */
    private List<String> analyze(String sql) {
        List<String> lines = new ArrayList<>();
        for (List<Object> row : query(session, sql)) {
            lines.add((String) row.get(0));
        }
        return lines;
    }

    /** The first plan line naming {@code operator} (by the start of its description). */
    private static String line(List<String> plan, String operator) {
        for (String l : plan) {
            String text = l.strip();
            if (text.startsWith("-> ")) {
                text = text.substring(3);
            }
            if (text.startsWith(operator + "(")) {
                return l;
            }
        }
        throw new AssertionError("no " + operator + " in\n" + String.join("\n", plan));
    }

    private static long actualRows(String line) {
        Matcher m = ACTUAL.matcher(line);
        assertTrue(m.find(), () -> "no actual counts in: " + line);
        return Long.parseLong(m.group(1));
    }

    /** The rows the first line of a DML's EXPLAIN ANALYZE says the statement changed. */
    private static long dmlRows(String line) {
        Matcher m = Pattern.compile("\\(actual rows=(\\d+) ").matcher(line);
        assertTrue(m.find(), () -> "no actual rows in: " + line);
        return Long.parseLong(m.group(1));
    }

    private long count(String sql) {
        return query(session, sql).size();
    }

    /** Every node line has parseable counts, and the footer has its three parseable lines. */
    private static void assertWellFormed(List<String> plan) {
        int n = plan.size();
        assertTrue(n >= 4, () -> String.join("\n", plan));
        for (String l : plan.subList(0, n - 3)) {
            String text = l.strip();
            if (text.startsWith("-> ") || l.equals(text)) {
                assertTrue(ACTUAL.matcher(l).find() || l.endsWith("(never executed)"), () -> "bad line: " + l);
            }
        }
        assertTrue(plan.get(n - 3).matches("Planning Time: \\d+\\.\\d{3} ms"), plan.get(n - 3));
        assertTrue(plan.get(n - 2).matches("Execution Time: \\d+\\.\\d{3} ms"), plan.get(n - 2));
        assertTrue(plan.get(n - 1).matches("Peak Memory: \\d+ bytes"), plan.get(n - 1));
    }

    private static long peakMemory(List<String> plan) {
        String last = plan.get(plan.size() - 1);
        return Long.parseLong(last.substring("Peak Memory: ".length(), last.length() - " bytes".length()));
    }

    @Test
    void filterReportsTheRowsItKeepsAndTheScanEveryRow() {
        String sql = "SELECT id FROM t WHERE v < 3";
        List<String> plan = analyze("EXPLAIN ANALYZE " + sql);
        assertWellFormed(plan);
        assertEquals(count(sql), actualRows(plan.get(0)), () -> String.join("\n", plan));
        assertEquals(count("SELECT id FROM t"), actualRows(line(plan, "TableScan")));
        assertTrue(line(plan, "TableScan").startsWith("  -> "), () -> String.join("\n", plan));
        assertTrue(peakMemory(plan) > 0, () -> String.join("\n", plan));
        assertTrue(actualRows(plan.get(0)) < actualRows(line(plan, "TableScan")), () -> String.join("\n", plan));
        String removed = "rows removed by filter: " + (count("SELECT id FROM t") - count(sql));
        assertTrue(plan.stream().anyMatch(l -> l.strip().equals(removed)), () -> removed + " not in\n" + String.join("\n", plan));
    }

    @Test
    void joinAndAggregateCounts() {
        String join = "SELECT t.id, u.w FROM t JOIN u ON u.t_id = t.id";
        List<String> plan = analyze("EXPLAIN ANALYZE " + join);
        assertWellFormed(plan);
        long joined = count(join);
        assertEquals(joined, actualRows(line(plan, "HashJoin")), () -> String.join("\n", plan));
        List<Long> scans = new ArrayList<>();
        for (String l : plan) {
            if (l.contains("TableScan(")) {
                scans.add(actualRows(l));
            }
        }
        assertEquals(List.of(count("SELECT id FROM t"), count("SELECT id FROM u")),
                scans.stream().sorted((a, b) -> Long.compare(b, a)).toList(), () -> String.join("\n", plan));

        String aggregate = "SELECT v, count(*) FROM t GROUP BY v";
        List<String> agg = analyze("EXPLAIN ANALYZE " + aggregate);
        assertWellFormed(agg);
        assertEquals(count(aggregate), actualRows(line(agg, "HashAggregate")), () -> String.join("\n", agg));
        assertEquals(count("SELECT id FROM t"), actualRows(line(agg, "TableScan")));
    }

    @Test
    void setOperationsAndNonEquiJoins() {
        String union = "SELECT id FROM t WHERE v = 1 UNION ALL SELECT id FROM u WHERE w = 2";
        List<String> plan = analyze("EXPLAIN ANALYZE " + union);
        assertWellFormed(plan);
        assertEquals(count(union), actualRows(plan.get(0)), () -> String.join("\n", plan));
        String nested = "SELECT t.id, u.id FROM t JOIN u ON t.id < u.t_id AND u.w = 3 WHERE t.v = 9";
        List<String> joined = analyze("EXPLAIN ANALYZE " + nested);
        assertWellFormed(joined);
        assertEquals(count(nested), actualRows(line(joined, "NestedLoopJoin")), () -> String.join("\n", joined));
    }

    @Test
    void limitStopsTheScanEarly() {
        List<String> plan = analyze("EXPLAIN ANALYZE SELECT id FROM big LIMIT 5");
        assertWellFormed(plan);
        assertEquals(5, actualRows(plan.get(0)), () -> String.join("\n", plan));
        long scanned = actualRows(line(plan, "TableScan"));
        assertTrue(scanned >= 5 && scanned < count("SELECT id FROM big"), () -> String.join("\n", plan));
    }

    @Test
    void spellings() {
        for (String explain : List.of("EXPLAIN ANALYZE", "EXPLAIN (ANALYZE)", "EXPLAIN (ANALYZE true)",
                "EXPLAIN (ANALYZE on)", "explain (analyze 1)")) {
            List<String> plan = analyze(explain + " SELECT id FROM t WHERE v = 1");
            assertWellFormed(plan);
            assertEquals(count("SELECT id FROM t WHERE v = 1"), actualRows(plan.get(0)), explain);
        }
        for (String explain : List.of("EXPLAIN (ANALYZE false)", "EXPLAIN (ANALYZE off)")) {
            List<String> plan = analyze(explain + " SELECT id FROM t WHERE v = 1");
            assertTrue(plan.stream().noneMatch(l -> l.contains("actual")), () -> String.join("\n", plan));
            assertTrue(plan.get(plan.size() - 1).contains("TableScan"), () -> String.join("\n", plan));
        }
        String message = assertFails(SqlState.SYNTAX_ERROR,
                () -> session.execute("EXPLAIN (VERBOSE) SELECT id FROM t")).getMessage();
        assertTrue(message.contains("VERBOSE"), message);
        assertFails(SqlState.SYNTAX_ERROR, () -> session.execute("EXPLAIN (ANALYZE maybe) SELECT id FROM t"));
    }

    @Test
    void updateIsMadeAndReported() {
        long before = count("SELECT id FROM t WHERE v = 100");
        long selected = count("SELECT id FROM t WHERE v = 4");
        List<String> plan = analyze("EXPLAIN ANALYZE UPDATE t SET v = 100 WHERE v = 4");
        assertWellFormed(plan);
        assertTrue(plan.get(0).matches("Update\\(table=public\\.t, columns=\\[v]\\) \\(actual rows=\\d+ time=\\d+\\.\\d{3} ms self=\\d+\\.\\d{3} ms\\)"),
                plan.get(0));
        assertEquals(selected, dmlRows(plan.get(0)));
        assertEquals(before + selected, count("SELECT id FROM t WHERE v = 100"));
        assertEquals(0, count("SELECT id FROM t WHERE v = 4"));
        assertEquals(count("SELECT id FROM t"), actualRows(line(plan, "TableScan")), () -> String.join("\n", plan));
    }

    @Test
    void dmlInATransactionRollsBackWithIt() {
        run(session, "BEGIN");
        List<String> plan = analyze("EXPLAIN ANALYZE DELETE FROM u WHERE w = 1");
        assertTrue(plan.get(0).startsWith("Delete(table=public.u)"), plan.get(0));
        assertEquals(0, count("SELECT id FROM u WHERE w = 1"));
        long deleted = dmlRows(plan.get(0));
        List<String> insert = analyze("EXPLAIN ANALYZE INSERT INTO u VALUES (1000, 1, 9)");
        assertTrue(insert.get(0).startsWith("Insert(table=public.u)"), insert.get(0));
        assertEquals(1, actualRows(line(insert, "Values")), () -> String.join("\n", insert));
        assertEquals(1, count("SELECT id FROM u WHERE id = 1000"));
        assertEquals(1, dmlRows(insert.get(0)));
        run(session, "ROLLBACK");
        assertEquals(deleted, count("SELECT id FROM u WHERE w = 1"));
        assertTrue(deleted > 0);
        assertEquals(0, count("SELECT id FROM u WHERE id = 1000"));
    }

    @Test
    void readOnlySessionRefusesDml() {
        session.setReadOnly(true);
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> session.execute("EXPLAIN ANALYZE DELETE FROM u"));
        session.setReadOnly(false);
        assertEquals(300, count("SELECT id FROM u"));
    }

    @Test
    void errorsKeepTheirSqlState() {
        assertFails(SqlState.DIVISION_BY_ZERO, () -> session.execute("EXPLAIN ANALYZE SELECT id / (v - v) FROM t"));
        assertFails(SqlState.UNIQUE_VIOLATION, () -> session.execute("EXPLAIN ANALYZE INSERT INTO u VALUES (1, 1, 1)"));
        run(session, "BEGIN");
        assertFails(SqlState.DIVISION_BY_ZERO, () -> session.execute("EXPLAIN ANALYZE UPDATE u SET w = 1 / (w - w)"));
        assertTrue(session.transactionFailed());
        run(session, "ROLLBACK");
        run(session, "SET duet.memory_limit = '256kB'");
        assertFails(SqlState.OUT_OF_MEMORY, () -> session.execute("EXPLAIN ANALYZE SELECT pad, id FROM big ORDER BY pad, id"));
        run(session, "RESET duet.memory_limit");
    }

    @Test
    void timeoutAndCancel() throws Exception {
        String cross = "EXPLAIN ANALYZE SELECT count(*) FROM big a, big b WHERE a.pad < b.pad";
        run(session, "SET statement_timeout = '200ms'");
        assertFails(SqlState.QUERY_CANCELED, () -> session.execute(cross));
        run(session, "RESET statement_timeout");
        AtomicBoolean done = new AtomicBoolean();
        Thread canceller = new Thread(() -> {
            while (!done.get()) { // a cancel reaches only a running statement: repeat until it failed
                session.cancel();
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        canceller.start();
        try {
            assertFails(SqlState.QUERY_CANCELED, () -> session.execute(cross));
        } finally {
            done.set(true);
            canceller.join();
        }
    }

    @Test
    void jdbcQueryTimeout() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            java.sql.SQLException e = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                    () -> st.executeQuery("EXPLAIN ANALYZE SELECT count(*) FROM big a, big b WHERE a.pad < b.pad").close());
            assertEquals(SqlState.QUERY_CANCELED.code(), e.getSQLState());
            st.setQueryTimeout(0);
            try (ResultSet rs = st.executeQuery("EXPLAIN ANALYZE SELECT id FROM t")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void parametersOfAPreparedExplainAnalyze() {
        Prepared p = session.prepare("EXPLAIN ANALYZE SELECT id FROM t WHERE v = ?");
        assertEquals(1, p.parameterTypes().size());
        List<List<Object>> rows = rows(session.execute(p, List.of(2)));
        assertEquals(count("SELECT id FROM t WHERE v = 2"), actualRows((String) rows.get(0).get(0)));
    }

    @Test
    void throughJdbc() throws Exception {
        try (Connection c = db.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN ANALYZE SELECT id FROM t WHERE v < 5 ORDER BY id DESC")) {
            assertEquals(1, rs.getMetaData().getColumnCount());
            assertEquals("QUERY PLAN", rs.getMetaData().getColumnLabel(1));
            List<String> plan = new ArrayList<>();
            while (rs.next()) {
                plan.add(rs.getString(1));
            }
            assertWellFormed(plan);
            try (ResultSet count = c.createStatement().executeQuery("SELECT count(*) FROM t WHERE v < 5")) {
                assertTrue(count.next());
                assertEquals(count.getLong(1), actualRows(plan.get(0)));
            }
            assertNotNull(line(plan, "TableScan"));
            assertFalse(plan.stream().anyMatch(l -> l.contains("never executed")), () -> String.join("\n", plan));
        }
    }
}
