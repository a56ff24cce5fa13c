package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.assertFails;
import static dev.duet.engine.sql.SqlTestSupport.assertQueryFails;
import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import dev.duet.planner.PositionedException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SQLSTATE of each kind of user error, through a session; after every error the data is
 * unchanged and, in auto-commit mode, the session goes on working.
 */
class SqlErrorsTest {
    private Duet db;
    private Session session;

    @BeforeEach
    void open() {
        db = Duet.inMemory();
        session = db.newSession();
        run(session, "CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(5), s SMALLINT, n INTEGER NOT NULL)");
        run(session, "INSERT INTO t VALUES (1, 'one', 1, 10), (2, 'two', 2, 20), (3, NULL, NULL, 0)");
    }

    @AfterEach
    void close() {
        // nothing any failed statement did is left behind
        assertEquals(List.of(List.of(1, "one", (short) 1, 10), List.of(2, "two", (short) 2, 20),
                java.util.Arrays.asList(3, null, null, 0)), query(session, "SELECT * FROM t"));
        session.close();
        assertEquals(0, db.allocator().getAllocatedMemory(), "Arrow memory left allocated");
        db.close();
    }

    @Test
    void syntaxErrorCarriesItsPosition() {
        DuetException e = assertFails(SqlState.SYNTAX_ERROR, () -> session.execute("SELECT id FROM t WHERE"));
        PositionedException p = assertInstanceOf(PositionedException.class, e);
        assertTrue(p.position() >= 18, () -> "position " + p.position()); // at or after WHERE
        PositionedException second = assertInstanceOf(PositionedException.class,
                assertFails(SqlState.SYNTAX_ERROR, () -> session.execute("SELEC 1")));
        assertEquals(1, second.position());
        assertFails(SqlState.SYNTAX_ERROR, () -> session.prepare("SELECT 1; SELECT 2"));
        // a script with an error anywhere runs none of it
        assertFails(SqlState.SYNTAX_ERROR, () -> session.executeScript("DELETE FROM t; SELEC 1"));
    }

    @Test
    void namesThatDoNotExist() {
        assertFails(SqlState.UNDEFINED_TABLE, () -> session.execute("SELECT * FROM nope"));
        assertFails(SqlState.UNDEFINED_TABLE, () -> session.execute("INSERT INTO nope VALUES (1)"));
        assertFails(SqlState.UNDEFINED_TABLE, () -> session.execute("DROP TABLE nope"));
        assertFails(SqlState.UNDEFINED_COLUMN, () -> session.execute("SELECT nope FROM t"));
        assertFails(SqlState.UNDEFINED_COLUMN, () -> session.execute("UPDATE t SET nope = 1"));
        assertFails(SqlState.DUPLICATE_TABLE, () -> session.execute("CREATE TABLE t (x INT)"));
    }

    @Test
    void typeMismatch() {
        assertFails(SqlState.DATATYPE_MISMATCH, () -> session.execute("INSERT INTO t VALUES (4, 'x', 1, DATE '2024-01-01')"));
        assertFails(SqlState.DATATYPE_MISMATCH, () -> session.execute("SELECT * FROM t WHERE n = DATE '2024-01-01'"));
    }

    @Test
    void dataErrors() {
        assertQueryFails(session, SqlState.DIVISION_BY_ZERO, "SELECT n / (id - 1) FROM t");
        assertFails(SqlState.DIVISION_BY_ZERO, () -> session.execute("UPDATE t SET n = n / (id - 2)"));
        assertQueryFails(session, SqlState.INVALID_TEXT_REPRESENTATION, "SELECT CAST(name AS INTEGER) FROM t");
        assertQueryFails(session, SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "SELECT n * 2000000000 FROM t");
    }

    @Test
    void writesCoerceToTheColumnType() {
        assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> session.execute("INSERT INTO t VALUES (4, 'x', 40000, 1)"));
        assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> session.execute("UPDATE t SET s = n * 10000"));
        // literals, computed values and parameters are checked against the column type: a too-long
        // string is an error, never cut; only an explicit cast cuts (as in PostgreSQL)
        assertFails(SqlState.STRING_DATA_RIGHT_TRUNCATION, () -> session.execute("INSERT INTO t VALUES (7, 'toolong', 1, 1)"));
        assertFails(SqlState.STRING_DATA_RIGHT_TRUNCATION, () -> session.execute("UPDATE t SET name = 'abcdefgh' WHERE id = 2"));
        run(session, "UPDATE t SET name = CAST('abcdefgh' AS VARCHAR(5)) WHERE id = 2");
        assertEquals(List.of(List.of("abcde")), query(session, "SELECT name FROM t WHERE id = 2"));
        run(session, "UPDATE t SET name = 'two' WHERE id = 2");
        assertFails(SqlState.STRING_DATA_RIGHT_TRUNCATION,
                () -> session.execute("UPDATE t SET name = name || 'xyz' WHERE id = 2"));
        assertFails(SqlState.STRING_DATA_RIGHT_TRUNCATION,
                () -> session.execute("INSERT INTO t SELECT id + 10, name || name, s, n FROM t"));
        assertFails(SqlState.STRING_DATA_RIGHT_TRUNCATION,
                () -> session.execute("UPDATE t SET name = CAST(id AS VARCHAR) || 'abcdef'"));
        Prepared insert = session.prepare("INSERT INTO t VALUES (?, ?, ?, ?)");
        assertFails(SqlState.STRING_DATA_RIGHT_TRUNCATION, () -> session.execute(insert, List.of(4, "toolong", 1, 1)));
        assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> session.execute(insert, List.of(4, "x", 40000, 1)));
        assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> session.execute(insert, List.of(4L << 40, "x", 1, 1)));
    }

    @Test
    void constraints() {
        assertFails(SqlState.NOT_NULL_VIOLATION, () -> session.execute("INSERT INTO t (id, name) VALUES (4, 'x')"));
        assertFails(SqlState.NOT_NULL_VIOLATION, () -> session.execute("UPDATE t SET n = NULL WHERE id = 3"));
        assertFails(SqlState.UNIQUE_VIOLATION, () -> session.execute("INSERT INTO t VALUES (4, 'a', 1, 1), (2, 'b', 1, 1)"));
        assertFails(SqlState.UNIQUE_VIOLATION, () -> session.execute("UPDATE t SET id = 1 WHERE id = 3"));
    }

    @Test
    void unsupportedStatements() {
        assertFails(SqlState.FEATURE_NOT_SUPPORTED, () -> session.execute("COPY t TO STDOUT"));
    }
}
