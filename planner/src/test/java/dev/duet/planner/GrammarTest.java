package dev.duet.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.types.DataType;
import dev.duet.planner.ddl.CreateTable;
import dev.duet.planner.parse.DuetSqlNodes;
import dev.duet.planner.parse.ParsedStatement;
import dev.duet.planner.parse.SqlExplainStatement;
import java.util.List;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.junit.jupiter.api.Test;

/** Duet's grammar (src/main/codegen): what it adds to Calcite's, and that it keeps the rest. */
class GrammarTest {
    private static final SqlFrontEnd FRONT_END = new SqlFrontEnd();

    private static String interval(String text) {
        SqlLiteral l = DuetSqlNodes.intervalLiteral(1, text, SqlParserPos.ZERO);
        SqlIntervalLiteral.IntervalValue v = l.getValueAs(SqlIntervalLiteral.IntervalValue.class);
        return (v.getSign() < 0 ? "-" : "") + v.getIntervalLiteral() + " " + v.getIntervalQualifier();
    }

    @Test
    void postgresIntervalTexts() {
        assertEquals("3 MONTH(9)", interval("3 months"));
        assertEquals("14 MONTH(9)", interval("1 year 2 mons"));
        assertEquals("2 YEAR(9)", interval("2 years"));
        assertEquals("10 YEAR(9)", interval("1 decade"));
        assertEquals("-14 DAY(9)", interval("2 weeks ago"));
        assertEquals("-1 DAY(9)", interval(" -1 day "));
        assertEquals("26 HOUR(9)", interval("1 day 2 hours"));
        assertEquals("1.5 SECOND(9, 6)", interval("00:00:01.5"));
        assertEquals("5 SECOND(9, 6)", interval("5"));
        assertEquals("150 MINUTE(9)", interval("02:30"));
        assertEquals("0.000001 SECOND(9, 6)", interval("1 microsecond"));
        assertEquals("0 MONTH(9)", interval("0 months"));
        for (String bad : List.of("", "3 fortnights", "1 month 1 day", "abc", "1.5 months", "0.0000001 seconds")) {
            assertThrows(CalciteContextException.class, () -> DuetSqlNodes.intervalLiteral(1, bad, SqlParserPos.ZERO), bad);
        }
    }

    @Test
    void keywordsStayUsableAsNames() {
        Catalog c = Catalog.empty();
        CreateTable t = (CreateTable) FRONT_END.planSingle(
                "create table k (value int, year int, date_part text, primary int, unique int, \"index\" int, "
                        + "key int default 1 not null, name text null)", c);
        assertEquals(List.of("value", "year", "date_part", "primary", "unique", "index", "key", "name"),
                t.columns().stream().map(ColumnDef::name).toList());
        assertEquals(ColumnDef.notNull("key", DataType.INTEGER).withDefault(1), t.columns().get(6));
    }

    @Test
    void explainTreeKeepsTheStatement() {
        ParsedStatement p = FRONT_END.parse("explain analyze select 1").get(0);
        SqlExplainStatement e = assertInstanceOf(SqlExplainStatement.class, p.node());
        assertTrue(e.analyze());
        assertEquals("EXPLAIN ANALYZE SELECT 1", e.toString().replace('\n', ' '));
    }

    @Test
    void explainOptionList() {
        for (String options : List.of("(analyze)", "(ANALYZE TRUE)", "(analyze on)", "(analyze 1)", "(analyze off, analyze yes)")) {
            SqlExplainStatement e = assertInstanceOf(SqlExplainStatement.class,
                    FRONT_END.parse("explain " + options + " select 1").get(0).node());
            assertTrue(e.analyze(), options);
        }
        for (String options : List.of("(analyze false)", "(ANALYZE off)", "(analyze 0)", "(analyze no)")) {
            SqlExplainStatement e = assertInstanceOf(SqlExplainStatement.class,
                    FRONT_END.parse("explain " + options + " select 1").get(0).node());
            assertFalse(e.analyze(), options);
        }
        SqlExplainStatement parenthesized = assertInstanceOf(SqlExplainStatement.class,
                FRONT_END.parse("explain (select 1)").get(0).node());
        assertFalse(parenthesized.analyze());
    }

    @Test
    void calciteSpellingsStillParse() {
        for (String sql : List.of("select * from t a left join t b using (id) where a.id in (1, 2)",
                "select id, rank() over w from t window w as (order by id)",
                "select name from t group by name having count(*) > 1 qualify row_number() over (order by name) = 1",
                "select floor(ts to hour), ceil(d to month) from t",
                "select * from t tablesample bernoulli(10)",
                "select cast(x as integer), x::integer, try_cast(name as integer) from t",
                "select name from t where name ~ 'a.*' or name !~ 'b'",
                "select * from t fetch first 3 rows only")) {
            assertEquals(1, FRONT_END.parse(sql).size(), sql);
        }
    }
}
