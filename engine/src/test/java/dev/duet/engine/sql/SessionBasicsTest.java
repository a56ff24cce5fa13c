package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.rows;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Statements through a {@link Session}: results, command tags, update counts, plan reuse. */
class SessionBasicsTest {
    private Duet db;
    private Session session;

    @BeforeEach
    void open() {
        db = Duet.inMemory();
        session = db.newSession();
    }

    @AfterEach
    void close() {
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        db.close();
    }

    @Test
    void createInsertSelectUpdateDelete() {
        assertEquals("CREATE TABLE", run(session, "CREATE TABLE t (id BIGINT PRIMARY KEY, name VARCHAR(10), n INT)"));
        try (Result r = session.execute("INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20), (3, NULL, NULL)")) {
            assertFalse(r.returnsRows());
            assertEquals(3, r.updateCount());
            assertEquals("INSERT 0 3", r.commandTag());
            assertEquals(null, r.nextBatch());
        }
        try (Result r = session.execute("SELECT id, name FROM t WHERE n IS NOT NULL")) {
            assertTrue(r.returnsRows());
            assertEquals(-1, r.updateCount());
            assertEquals(List.of("id", "name"), r.columns().stream().map(c -> c.name()).toList());
            assertEquals(DataType.varchar(10), r.columns().get(1).type());
            assertEquals(List.of(List.of(1L, "a"), List.of(2L, "b")), rows(r));
            assertEquals("SELECT 2", r.commandTag());
        }
        assertEquals("UPDATE 2", run(session, "UPDATE t SET n = n + 1 WHERE n IS NOT NULL"));
        assertEquals("DELETE 1", run(session, "DELETE FROM t WHERE id = 1"));
        assertEquals(List.of(List.of(2L, "b", 21), java.util.Arrays.asList(3L, null, null)),
                query(session, "SELECT * FROM t"));
        assertEquals("DROP TABLE", run(session, "DROP TABLE t"));
        assertEquals("DROP TABLE", run(session, "DROP TABLE IF EXISTS t"));
        assertEquals("CREATE TABLE", run(session, "CREATE TABLE IF NOT EXISTS u (x INT)"));
        assertEquals("CREATE TABLE", run(session, "CREATE TABLE IF NOT EXISTS u (y INT)"));
        assertEquals(List.of("x"), db.catalog().table("public", "u").columns().stream().map(c -> c.name()).toList());
    }

    @Test
    void preparedStatementsAreReusedUntilTheCatalogChanges() {
        run(session, "CREATE TABLE t (id INT)");
        Prepared p = session.prepare("SELECT id FROM t");
        assertSame(p, session.prepare("SELECT id FROM t"));
        assertEquals(List.of(), p.parameterTypes());
        assertEquals(1, p.columns().size());
        run(session, "INSERT INTO t VALUES (1), (2)");
        long planned = db.sessions().plannedStatements();
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(List.of(1), List.of(2)), rows(session.execute(p, List.of())));
            assertEquals(List.of(List.of(1), List.of(2)), query(session, "SELECT id FROM t"));
        }
        try (Session other = db.newSession()) {
            assertSame(p, other.prepare("SELECT id FROM t")); // shared by the database's sessions
        }
        assertEquals(planned, db.sessions().plannedStatements(), "executions must not plan again");
        run(session, "CREATE TABLE other (x INT)");
        Prepared again = session.prepare("SELECT id FROM t");
        assertNotSame(p, again);
        // the old statement still runs: it is re-planned against the new catalog
        assertEquals(List.of(List.of(1), List.of(2)), rows(session.execute(p, List.of())));
    }

    @Test
    void parameterTypesAndCount() {
        run(session, "CREATE TABLE t (id BIGINT, s VARCHAR(5))");
        Prepared p = session.prepare("INSERT INTO t VALUES (?, ?)");
        assertEquals(List.of(DataType.BIGINT, DataType.varchar(5)), p.parameterTypes());
        assertEquals(List.of(), p.columns());
        SqlTestSupport.assertFails(dev.duet.core.SqlState.WRONG_PARAMETER_COUNT,
                () -> session.execute(p, List.of(1L)));
        // a string for a non-text parameter is parsed as a literal; a bad one is 22P02
        SqlTestSupport.assertFails(dev.duet.core.SqlState.INVALID_TEXT_REPRESENTATION,
                () -> session.execute(p, List.of("x1", "a")));
        SqlTestSupport.assertFails(dev.duet.core.SqlState.STRING_DATA_RIGHT_TRUNCATION,
                () -> session.execute(p, List.of(1L, "abcdef")));
    }

    @Test
    void explainShowsThePhysicalPlan() {
        run(session, "CREATE TABLE t (id INT, v INT)");
        List<List<Object>> plan = query(session, "EXPLAIN SELECT id FROM t WHERE v > 1");
        assertTrue(plan.size() >= 2, plan::toString);
        assertTrue(plan.get(plan.size() - 1).get(0).toString().contains("TableScan"), plan::toString);
        List<List<Object>> dml = query(session, "EXPLAIN DELETE FROM t WHERE v > 1");
        assertEquals("Delete(table=public.t)", dml.get(0).get(0));
        try (Result r = session.execute("EXPLAIN SELECT 1")) {
            assertEquals("QUERY PLAN", r.columns().get(0).name());
        }
        List<List<Object>> analyzed = query(session, "EXPLAIN ANALYZE SELECT id FROM t");
        assertTrue(analyzed.get(0).get(0).toString().contains("(actual rows="), analyzed::toString);
    }

    @Test
    void scriptsRunStatementsInOrder() {
        List<Result> results = session.executeScript(
                "CREATE TABLE s (a INT); INSERT INTO s VALUES (1), (2); SELECT a FROM s; UPDATE s SET a = a * 10; SELECT a FROM s");
        assertEquals(5, results.size());
        assertEquals("INSERT 0 2", results.get(1).commandTag());
        assertEquals(List.of(List.of(1), List.of(2)), rows(results.get(2)));
        assertEquals(List.of(List.of(10), List.of(20)), rows(results.get(4)));
        results.forEach(Result::close);
    }

    @Test
    void closingTheDatabaseClosesSessionsAndTheirResults() {
        Duet other = Duet.inMemory();
        Session s = other.newSession();
        run(s, "CREATE TABLE t (id INT)");
        run(s, "INSERT INTO t VALUES (1), (2)");
        Result streaming = s.execute("SELECT id FROM t");
        Result shown = s.execute("SHOW statement_timeout");
        Result read = s.execute("SELECT id FROM t");
        rows(read);
        s.execute("BEGIN").close();
        s.execute("DELETE FROM t").close();
        other.close(); // would fail on memory still allocated
        assertEquals(0, other.allocator().getAllocatedMemory());
        streaming.close();
        shown.close();
        SqlTestSupport.assertFails(dev.duet.core.SqlState.CONNECTION_DOES_NOT_EXIST, () -> s.execute("SELECT 1"));
    }

    @Test
    void settings() {
        assertEquals(List.of(List.of("0")), query(session, "SHOW statement_timeout"));
        run(session, "SET statement_timeout = 5000");
        assertEquals(List.of(List.of("5s")), query(session, "SHOW statement_timeout"));
        assertEquals(java.time.Duration.ofSeconds(5), session.statementTimeout());
        run(session, "SET statement_timeout TO '250ms'");
        assertEquals(List.of(List.of("250ms")), query(session, "SHOW statement_timeout"));
        run(session, "RESET statement_timeout");
        assertEquals(List.of(List.of("0")), query(session, "SHOW statement_timeout"));
        run(session, "SET duet.memory_limit = '64MB'");
        assertEquals(List.of(List.of("64MB")), query(session, "SHOW duet.memory_limit"));
        assertEquals("SET", run(session, "SET client_encoding = 'UTF8'"));
        run(session, "SET TIME ZONE 'UTC'");
        assertEquals(List.of(List.of("UTC")), query(session, "SHOW timezone"));
        run(session, "SET application_name = 'psql'");
        assertEquals(List.of(List.of("psql")), query(session, "SHOW application_name"));
        run(session, "RESET ALL");
        assertEquals(List.of(List.of("")), query(session, "SHOW application_name"));
        SqlTestSupport.assertFails(dev.duet.core.SqlState.UNDEFINED_OBJECT, () -> session.execute("SET no_such_thing = 1"));
        SqlTestSupport.assertFails(dev.duet.core.SqlState.UNDEFINED_OBJECT, () -> session.execute("SHOW no_such_thing"));
        SqlTestSupport.assertFails(dev.duet.core.SqlState.INVALID_PARAMETER_VALUE,
                () -> session.execute("SET client_encoding = 'LATIN1'"));
        SqlTestSupport.assertFails(dev.duet.core.SqlState.INVALID_PARAMETER_VALUE,
                () -> session.execute("SET statement_timeout = 'soon'"));
        assertTrue(query(session, "SHOW ALL").size() > 5);
    }
}
