package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.assertFails;
import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.rows;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CREATE/DROP VIEW and CREATE/DROP INDEX through a session: results through views against DuckDB,
 * command tags, IF [NOT] EXISTS, DDL that a rollback takes back, unique indexes (23505), key and
 * index lookups in EXPLAIN, and indexes that stay equal to the rows after failing statements.
 */
class ViewsAndIndexesTest {
    private Duet db;
    private Session session;
    private DuckDbOracle oracle;

    @BeforeEach
    void open() {
        db = Duet.inMemory();
        session = db.newSession();
        oracle = new DuckDbOracle(session);
        oracle.run("CREATE TABLE t (id BIGINT PRIMARY KEY, a INTEGER, b VARCHAR, c DOUBLE)");
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= 60; i++) {
            values.append(i == 1 ? "" : ", ").append('(').append(i).append(", ")
                    .append(i % 10 == 0 ? "NULL" : String.valueOf(i % 7)).append(", ")
                    .append(i % 9 == 0 ? "NULL" : "'b" + i % 4 + "'").append(", ")
                    .append(i % 8 == 0 ? "NULL" : i * 0.5).append(')');
        }
        oracle.run("INSERT INTO t VALUES " + values, "t");
    }

    @AfterEach
    void close() {
        oracle.close();
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        db.close();
    }

    @Test
    void queriesThroughViewsAgainstDuckDb() {
        oracle.run("CREATE VIEW small AS SELECT id, a, b FROM t WHERE a < 4", "small");
        oracle.run("CREATE VIEW per_b AS SELECT b, count(*) AS n, sum(a) AS total, avg(c) AS mean FROM t GROUP BY b",
                "per_b");
        oracle.run("CREATE VIEW nested AS SELECT s.id, s.b, p.n FROM small s JOIN per_b p ON s.b = p.b", "nested");
        oracle.check("SELECT b, count(*), max(id) FROM small WHERE a IS NOT NULL GROUP BY b");
        oracle.check("SELECT * FROM nested WHERE n > 10");
        oracle.check("SELECT s.id, t.c FROM small s LEFT JOIN t ON t.id = s.id + 1");
        oracle.check("SELECT * FROM small WHERE id = 3");
        // views read the rows as they are now
        oracle.run("INSERT INTO t VALUES (100, 1, NULL, NULL), (101, 2, 'b9', 1.5)", "t", "small", "per_b", "nested");
        oracle.run("UPDATE t SET a = 0 WHERE b = 'b1'", "t", "small", "nested");
        oracle.run("DELETE FROM t WHERE a = 2", "t", "small", "per_b", "nested");
        oracle.run("CREATE OR REPLACE VIEW small AS SELECT id, a, b FROM t WHERE a >= 4", "small", "nested");
        oracle.run("CREATE TABLE copy AS SELECT * FROM nested", "copy");
        // errors in the same places
        assertNotNull(oracle.run("CREATE VIEW small AS SELECT 1 AS x"));
        assertNotNull(oracle.run("DROP VIEW nope"));
        assertNotNull(oracle.run("INSERT INTO small VALUES (1, 1, 'x')"));
        oracle.run("DROP VIEW IF EXISTS nope");
        oracle.run("DROP VIEW nested");
        assertNotNull(oracle.run("SELECT * FROM nested"));
        oracle.check("SELECT * FROM small");
    }

    @Test
    void commandTagsAndIfExists() {
        assertEquals("CREATE VIEW", run(session, "CREATE VIEW v AS SELECT id FROM t"));
        assertEquals("CREATE VIEW", run(session, "CREATE OR REPLACE VIEW v AS SELECT id FROM t WHERE id > 3"));
        assertFails(SqlState.DUPLICATE_TABLE, () -> run(session, "CREATE VIEW v AS SELECT id FROM t"));
        assertEquals("DROP VIEW", run(session, "DROP VIEW v"));
        assertEquals("DROP VIEW", run(session, "DROP VIEW IF EXISTS v"));
        assertFails(SqlState.UNDEFINED_TABLE, () -> run(session, "DROP VIEW v"));

        assertEquals("CREATE INDEX", run(session, "CREATE INDEX t_a ON t (a)"));
        assertEquals("CREATE INDEX", run(session, "CREATE INDEX IF NOT EXISTS t_a ON t (b)"));
        assertEquals(List.of(1), List.of(db.catalog().findIndex("public", "t_a").columns().length));
        assertFails(SqlState.DUPLICATE_TABLE, () -> run(session, "CREATE INDEX t_a ON t (b)"));
        assertFails(SqlState.UNDEFINED_COLUMN, () -> run(session, "CREATE INDEX t_x ON t (nope)"));
        assertFails(SqlState.UNDEFINED_TABLE, () -> run(session, "CREATE INDEX t_x ON nope (a)"));
        assertEquals("CREATE INDEX", run(session, "CREATE UNIQUE INDEX t_ab ON t (id, a)"));
        assertNotNull(db.catalog().findIndex("public", "t_ab"));
        assertEquals("DROP INDEX", run(session, "DROP INDEX t_a"));
        assertEquals("DROP INDEX", run(session, "DROP INDEX IF EXISTS t_a"));
        assertFails(SqlState.UNDEFINED_OBJECT, () -> run(session, "DROP INDEX t_a"));
        assertNull(db.catalog().findIndex("public", "t_a"));
    }

    @Test
    void ddlRollsBackWithItsTransaction() {
        run(session, "CREATE VIEW kept AS SELECT id, b FROM t");
        run(session, "CREATE INDEX t_b ON t (b)");
        run(session, "BEGIN");
        run(session, "CREATE VIEW v AS SELECT id FROM t WHERE a = 1");
        run(session, "CREATE UNIQUE INDEX t_id2 ON t (id, a)");
        run(session, "DROP VIEW kept");
        run(session, "DROP INDEX t_b");
        assertEquals(query(session, "SELECT id FROM t WHERE a = 1"), query(session, "SELECT * FROM v"));
        assertNull(session.catalog().findView("public", "kept"));
        assertEquals("ROLLBACK", run(session, "ROLLBACK"));
        assertFails(SqlState.UNDEFINED_TABLE, () -> rows(session.execute("SELECT * FROM v")));
        assertNull(db.catalog().findIndex("public", "t_id2"));
        assertNotNull(db.catalog().findIndex("public", "t_b"));
        assertEquals(60, query(session, "SELECT * FROM kept").size());

        // a failing statement aborts the transaction; its DDL goes with the rollback
        run(session, "BEGIN");
        run(session, "CREATE INDEX t_c ON t (c)");
        assertFails(SqlState.UNIQUE_VIOLATION, () -> run(session, "CREATE UNIQUE INDEX t_a ON t (a)"));
        assertEquals("ROLLBACK", run(session, "COMMIT"));
        assertNull(db.catalog().findIndex("public", "t_c"));
        assertNull(db.catalog().findIndex("public", "t_a"));

        run(session, "BEGIN");
        run(session, "CREATE VIEW v AS SELECT id FROM t");
        run(session, "CREATE INDEX t_c ON t (c)");
        assertEquals("COMMIT", run(session, "COMMIT"));
        assertNotNull(db.catalog().findView("public", "v"));
        assertNotNull(db.catalog().findIndex("public", "t_c"));
    }

    @Test
    void uniqueIndexesThroughSql() {
        oracle.run("CREATE TABLE u (id INTEGER PRIMARY KEY, code VARCHAR, n INTEGER)");
        oracle.run("INSERT INTO u VALUES (1, 'a', 1), (2, 'b', NULL), (3, NULL, 3)", "u");
        oracle.run("CREATE UNIQUE INDEX u_code ON u (code)");
        assertEquals(SqlState.UNIQUE_VIOLATION, oracle.run("INSERT INTO u VALUES (4, 'a', 4)", "u").state());
        assertEquals(SqlState.UNIQUE_VIOLATION,
                oracle.run("INSERT INTO u VALUES (5, 'e', 5), (6, 'e', 6)", "u").state());
        oracle.run("INSERT INTO u VALUES (7, NULL, 7), (8, NULL, 8)", "u"); // NULLs are distinct
        oracle.run("DELETE FROM u WHERE code = 'a'", "u");
        oracle.run("INSERT INTO u VALUES (9, 'a', 9)", "u");
        oracle.run("CREATE UNIQUE INDEX u_code_n ON u (code, n)", "u");
        assertEquals(SqlState.UNIQUE_VIOLATION, oracle.run("CREATE UNIQUE INDEX u_n2 ON t (a)").state());
        // in a transaction: the violation aborts it, and nothing of it stays
        run(session, "BEGIN");
        run(session, "INSERT INTO u VALUES (10, 'z', 10)");
        assertFails(SqlState.UNIQUE_VIOLATION, () -> run(session, "INSERT INTO u VALUES (11, 'y', 11), (12, 'z', 12)"));
        assertEquals("ROLLBACK", run(session, "COMMIT"));
        assertEquals(List.of(), query(session, "SELECT id FROM u WHERE code IN ('y', 'z')"));
        assertEquals("INSERT 0 2", run(session, "INSERT INTO u VALUES (11, 'y', 11), (12, 'z', 12)"));
    }

    @Test
    void explainShowsKeyAndIndexLookups() {
        run(session, "CREATE INDEX t_b ON t (b)");
        String byKey = explain("EXPLAIN SELECT a FROM t WHERE id = 7");
        assertTrue(byKey.contains("KeyScan(table=public.t"), byKey);
        String byIndex = explain("EXPLAIN SELECT id FROM t WHERE b = 'b2'");
        assertTrue(byIndex.contains("IndexScan(table=public.t, index=t_b"), byIndex);
        String scan = explain("EXPLAIN SELECT id FROM t WHERE a = 2");
        assertTrue(!scan.contains("KeyScan") && !scan.contains("IndexScan"), scan);
        // the same lookups with parameters, and their answers
        Prepared p = session.prepare("SELECT a FROM t WHERE id = ?");
        assertEquals(query(session, "SELECT a FROM t WHERE id + 0 = 7"), rows(session.execute(p, List.of(7L))));
        Prepared q = session.prepare("SELECT id FROM t WHERE b = ?");
        assertEquals(query(session, "SELECT id FROM t WHERE b || '' = 'b2' ORDER BY id"),
                rows(session.execute(q, List.of("b2"))));
    }

    private String explain(String sql) {
        StringBuilder text = new StringBuilder();
        for (List<Object> row : query(session, sql)) {
            text.append(row.get(0)).append('\n');
        }
        return text.toString();
    }

    /**
     * Statements failing midway through an indexed table (in auto-commit and in explicit
     * transactions) leave every index equal to the rows: each value's lookup through the index
     * ({@code WHERE col = ?}) returns what a full scan ({@code col || ''} / {@code col + 0}, which
     * no key planner uses) does.
     */
    @Test
    void failedStatementsLeaveIndexesEqualToTheRows() {
        run(session, "CREATE INDEX t_a ON t (a)");
        run(session, "CREATE UNIQUE INDEX t_b_c ON t (b, c)");
        // auto-commit: multi-row statements that fail after writing index entries
        assertFails(SqlState.UNIQUE_VIOLATION,
                () -> run(session, "INSERT INTO t VALUES (200, 1, 'x', 1.0), (201, 2, 'y', 2.0), (202, 3, 'x', 1.0)"));
        assertFails(SqlState.UNIQUE_VIOLATION, () -> run(session, "UPDATE t SET b = 'same', c = 1.0 WHERE a = 3"));
        assertFails(SqlState.UNIQUE_VIOLATION, () -> run(session, "UPDATE t SET id = 1, a = 6 WHERE id > 50"));
        assertIndexesMatchScan();
        // explicit transactions: earlier statements' entries, then a failure, then the end
        run(session, "BEGIN");
        run(session, "INSERT INTO t VALUES (300, 5, 'n', 1.0)");
        run(session, "UPDATE t SET a = 6 WHERE a = 5");
        assertFails(SqlState.UNIQUE_VIOLATION,
                () -> run(session, "INSERT INTO t VALUES (301, 1, 'q', 1.0), (302, 1, 'q', 1.0)"));
        assertEquals("ROLLBACK", run(session, "COMMIT"));
        assertIndexesMatchScan();
        run(session, "BEGIN");
        run(session, "DELETE FROM t WHERE a = 1");
        run(session, "INSERT INTO t VALUES (400, 1, 'q', 1.0)");
        assertFails(SqlState.NOT_NULL_VIOLATION, () -> run(session, "UPDATE t SET id = NULL WHERE a = 4"));
        assertEquals("ROLLBACK", run(session, "ROLLBACK"));
        run(session, "BEGIN");
        run(session, "UPDATE t SET a = a + 1 WHERE a < 3");
        run(session, "INSERT INTO t VALUES (500, 0, 'r', 2.0)");
        assertEquals("COMMIT", run(session, "COMMIT"));
        assertIndexesMatchScan();
        assertEquals(List.of(List.of(500L)), query(session, "SELECT id FROM t WHERE b = 'r' AND c = 2.0"));
    }

    private void assertIndexesMatchScan() {
        Prepared byA = session.prepare("SELECT id FROM t WHERE a = ?");
        Prepared scanA = session.prepare("SELECT id FROM t WHERE a + 0 = ?");
        Prepared byB = session.prepare("SELECT id FROM t WHERE b = ? AND c = ?");
        Prepared scanB = session.prepare("SELECT id FROM t WHERE b || '' = ? AND c + 0 = ?");
        assertTrue(explainOf("SELECT id FROM t WHERE a = 3").contains("IndexScan"));
        List<List<Object>> all = query(session, "SELECT DISTINCT a, b, c FROM t");
        for (List<Object> row : all) {
            if (row.get(0) != null) {
                List<Object> a = List.of(row.get(0));
                assertEquals(sorted(rows(session.execute(scanA, a))), sorted(rows(session.execute(byA, a))), "a = " + a);
            }
            if (row.get(1) != null && row.get(2) != null) {
                List<Object> bc = List.of(row.get(1), row.get(2));
                assertEquals(sorted(rows(session.execute(scanB, bc))), sorted(rows(session.execute(byB, bc))), "b, c = " + bc);
            }
        }
        assertEquals(query(session, "SELECT count(*) FROM t"), query(session, "SELECT count(*) FROM t WHERE id > -1"));
    }

    private String explainOf(String sql) {
        return explain("EXPLAIN " + sql);
    }

    private static List<List<Object>> sorted(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>(rows);
        out.sort((x, y) -> Long.compare((Long) x.get(0), (Long) y.get(0)));
        return out;
    }
}
