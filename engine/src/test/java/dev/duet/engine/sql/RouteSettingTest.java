package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.engine.Duet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code SET duet.route}: its values, and that every mode gives the same answers. */
class RouteSettingTest {
    private Duet db;
    private Session session;

    @BeforeEach
    void open() {
        db = Duet.inMemory();
        session = db.newSession();
        run(session, "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
        run(session, "INSERT INTO t SELECT x, x % 7 FROM (VALUES (1), (2), (3), (4), (5), (6), (7), (8)) AS s(x)");
    }

    @AfterEach
    void close() {
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        db.close();
    }

    @Test
    void setShowResetAndBadValues() {
        assertEquals(List.of(List.of("auto")), query(session, "SHOW duet.route"));
        run(session, "SET duet.route = 'column'");
        assertEquals(List.of(List.of("column")), query(session, "SHOW duet.route"));
        run(session, "SET duet.route TO 'Row'");
        assertEquals(List.of(List.of("row")), query(session, "SHOW duet.route"));
        DuetException e = assertThrows(DuetException.class, () -> run(session, "SET duet.route = 'fast'"));
        assertEquals("22023", e.sqlState());
        assertEquals(List.of(List.of("row")), query(session, "SHOW duet.route"));
        run(session, "RESET duet.route");
        assertEquals(List.of(List.of("auto")), query(session, "SHOW duet.route"));
    }

    @Test
    void everyModeGivesTheSameRowsForKeyLookupsScansAndWrites() {
        List<String> queries = List.of(
                "SELECT v FROM t WHERE id = 3",
                "SELECT id FROM t WHERE id IN (2, 5, 9) ORDER BY id",
                "SELECT count(*), sum(v) FROM t WHERE id BETWEEN 2 AND 6",
                "SELECT * FROM t ORDER BY id");
        List<List<List<Object>>> expected = queries.stream().map(q -> query(session, q)).toList();
        for (String mode : List.of("row", "column", "auto")) {
            run(session, "SET duet.route = '" + mode + "'");
            for (int i = 0; i < queries.size(); i++) {
                assertEquals(expected.get(i), query(session, queries.get(i)), mode + ": " + queries.get(i));
            }
        }
        run(session, "SET duet.route = 'column'");
        assertEquals("UPDATE 1", run(session, "UPDATE t SET v = 100 WHERE id = 4"));
        assertEquals(List.of(List.of(100)), query(session, "SELECT v FROM t WHERE id = 4"));
    }
}
