package dev.duet.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.Catalog;
import org.junit.jupiter.api.Test;

/** Errors carry PostgreSQL's SQLSTATE, say what was wrong, and where. */
class ErrorsTest {
    private static final Catalog CATALOG = TestTables.catalog();
    private static final SqlFrontEnd FRONT_END = new SqlFrontEnd();

    private static DuetException error(String sql) {
        return assertThrows(DuetException.class, () -> FRONT_END.planAll(sql, CATALOG), sql);
    }

    private static PositionedException positioned(String sql, String state, String message, int position) {
        DuetException e = error(sql);
        assertEquals(state, e.sqlState(), e.getMessage());
        PositionedException p = assertInstanceOf(PositionedException.class, e, e.getMessage());
        assertTrue(p.baseMessage().startsWith(message), () -> "expected " + message + " but was " + p.baseMessage());
        assertEquals(position, p.position(), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at line " + p.line() + ", column " + p.column()), e.getMessage());
        return p;
    }

    @Test
    void syntaxErrorNamesTheTokenAndItsPosition() {
        PositionedException e = positioned("select * frm t", "42601", "syntax error at or near \"t\"", 14);
        assertEquals(1, e.line());
        assertEquals(14, e.column());
        positioned("SELECT 1 2", "42601", "syntax error at or near \"2\"", 10);
        positioned("select a,, b from t", "42601", "syntax error at or near \",\"", 9);
    }

    @Test
    void syntaxErrorListsAShortExpectedTokenList() {
        DuetException e = error("select * from");
        assertEquals("syntax error at end of input (expected one of (, LATERAL, TABLE, UNNEST, identifier) "
                + "at line 1, column 14", e.getMessage());
    }

    @Test
    void syntaxErrorAtEndOfInput() {
        positioned("select * from t where id = 1 and", "42601", "syntax error at end of input", 33);
        PositionedException e = positioned("select *\nfrom", "42601", "syntax error at end of input", 14);
        assertEquals(2, e.line());
        assertEquals(5, e.column());
    }

    @Test
    void syntaxErrorPositionIsInTheWholeScript() {
        PositionedException e = positioned("select 1;\n  selec 2;", "42601",
                "syntax error at or near \"selec\": non-query expression encountered in illegal context", 13);
        assertEquals(2, e.line());
        assertEquals(3, e.column());
    }

    @Test
    void positionsCountTabsAsOneColumnAndCharactersNotBytes() {
        positioned("select\t\tx frm t", "42601", "syntax error at or near \"t\"", 15);
        positioned("select 'é€' frm t", "42601", "syntax error at or near \"t\"", 17);
        // a character outside the BMP is one position (PostgreSQL counts characters), two UTF-16 units
        positioned("select '\uD83D\uDE00' frm t", "42601", "syntax error at or near \"t\"", 16);
    }

    @Test
    void lexicalErrors() {
        DuetException e = error("select 'abc");
        assertEquals("42601", e.sqlState());
        assertInstanceOf(PositionedException.class, e);
        assertEquals(8, ((PositionedException) e).position());
        assertEquals("42601", error("select \"abc from t").sqlState());
    }

    @Test
    void unknownTable() {
        positioned("select * from nosuch", "42P01", "relation \"nosuch\" does not exist", 15);
        positioned("select * from t join nosuch on true", "42P01", "relation \"nosuch\" does not exist", 22);
        positioned("select * from nosuchschema.t", "42P01", "relation \"nosuchschema.t\" does not exist", 15);
        positioned("insert into nosuch values (1)", "42P01", "relation \"nosuch\" does not exist", 13);
        positioned("select nosuch.id from t", "42P01", "missing FROM-clause entry for table \"nosuch\"", 8);
        // names are case-sensitive once folded: "T" is not t
        positioned("select * from \"T\"", "42P01", "relation \"T\" does not exist", 15);
    }

    @Test
    void unknownColumn() {
        positioned("select nosuch from t", "42703", "column \"nosuch\" does not exist", 8);
        positioned("select id from t where t.nosuch = 1", "42703", "column t.nosuch does not exist", 26);
        positioned("insert into t (id, nosuch) values (1, 2)", "42703", "column \"nosuch\" does not exist", 20);
        positioned("update t set nosuch = 1", "42703", "column \"nosuch\" does not exist", 14);
        positioned("select \"Name\" from t", "42703", "column \"Name\" does not exist", 8);
    }

    @Test
    void typeMismatch() {
        positioned("select * from t where name = 1", "42804", "operator does not exist: varchar = integer", 23);
        positioned("select id + name from t", "42804", "operator does not exist: integer + varchar", 8);
        positioned("select 1 + true", "42804", "operator does not exist: integer + boolean", 8);
        positioned("select abs(name) from t", "42883", "function abs(varchar) does not exist", 8);
        positioned("update t set qty = date '2024-01-01'", "42804",
                "column \"qty\" is of type integer but expression is of type date", 20);
        positioned("update t set name = 'x', flag = d where id = 1", "42804",
                "column \"flag\" is of type boolean but expression is of type date", 33);
        // string literals still coerce, as PostgreSQL's unknown-typed literals do
        FRONT_END.planAll("update t set qty = '5', d = '2024-01-01' where id = 1", CATALOG);
        FRONT_END.planAll("select * from t where id = '1' and d > '2020-01-01' and ts < '2020-01-01 10:00:00'", CATALOG);
    }

    @Test
    void literalThatCannotBeCast() {
        DuetException e = error("select 'a' + 1");
        assertEquals("22P02", e.sqlState());
        assertEquals("invalid input syntax for type integer: \"a\"", e.getMessage());
        assertEquals("22P02", error("insert into t (id) values ('abc')").sqlState());
        assertEquals("22P02", error("select cast('2020-13-45' as date)").sqlState());
        assertEquals("22003", error("select '99999999999'::integer").sqlState());
    }

    @Test
    void unknownFunction() {
        positioned("select nosuchfn(1)", "42883", "function nosuchfn(numeric) does not exist", 8);
    }

    @Test
    void missingNotNullColumn() {
        positioned("insert into t (name) values ('a')", "23502",
                "null value in column \"id\" violates not-null constraint", 13);
    }

    @Test
    void unsupportedTypes() {
        assertEquals("0A000", error("select time '10:00:00'").sqlState());
        assertEquals("0A000", error("select interval '1' day").sqlState());
        assertEquals("0A000", error("select cast(1 as tinyint)").sqlState());
        assertEquals("0A000", error("select array[1, 2]").sqlState());
    }

    @Test
    void groupingAndAmbiguity() {
        positioned("select id, count(*) from t", "42803",
                "expression id must appear in the GROUP BY clause or be used in an aggregate function", 8);
        positioned("select id from t, t t2", "42702", "column reference \"id\" is ambiguous", 8);
    }

    @Test
    void dateTruncUnit() {
        positioned("select date_trunc('fortnight', d) from t", "22023", "unit \"fortnight\" not recognized", 19);
        positioned("select date_trunc(name, d) from t", "0A000",
                "date_trunc unit must be a string literal such as 'month'", 19);
    }

    @Test
    void negativeLimitOrOffset() {
        positioned("select id from t limit -1", "2201W", "LIMIT must not be negative", 24);
        positioned("select id from t order by id limit 5 offset -2", "2201X", "OFFSET must not be negative", 45);
        positioned("select * from (select id from t offset -1) s", "2201X", "OFFSET must not be negative", 40);
        // a sign is now part of the grammar: these still parse and plan
        FRONT_END.planAll("select id from t limit -0; select id from t limit +3 offset +1; select id from t limit 1, 2; "
                + "select id from t limit all offset 0", CATALOG);
    }

    @Test
    void planSingleWantsOneStatement() {
        DuetException e = assertThrows(DuetException.class, () -> FRONT_END.planSingle("select 1; select 2", CATALOG));
        assertEquals("42601", e.sqlState());
        assertEquals("42601", assertThrows(DuetException.class, () -> FRONT_END.planSingle(" ; ", CATALOG)).sqlState());
    }

    @Test
    void exceptionConvertsToSqlException() {
        java.sql.SQLException s = error("select * from nosuch").toSQLException();
        assertEquals("42P01", s.getSQLState());
    }
}
