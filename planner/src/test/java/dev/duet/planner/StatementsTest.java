package dev.duet.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.planner.catalog.DuetTable;
import dev.duet.planner.ddl.CreateTable;
import dev.duet.planner.ddl.QualifiedName;
import dev.duet.planner.parse.ParsedStatement;
import java.util.List;
import org.apache.calcite.rel.core.TableModify;
import org.apache.calcite.rel.core.TableScan;
import org.junit.jupiter.api.Test;

/** Statements are classified, and queries, DML and DDL come out in the form the engine takes. */
class StatementsTest {
    private static final Catalog CATALOG = TestTables.catalog();
    private static final SqlFrontEnd FRONT_END = new SqlFrontEnd();

    private static PlannedStatement plan(String sql) {
        return FRONT_END.planSingle(sql, CATALOG);
    }

    @Test
    void queriesOfEveryShape() {
        for (String sql : List.of("select 1", "values (1, 'a'), (2, 'b')", "select id from t union select 1",
                "select id from t intersect select id from t", "select id from t except select id from t",
                "with x as (select id from t) select * from x", "select * from t order by id limit 3",
                "table t")) {
            assertEquals(PlannedStatement.Kind.QUERY, plan(sql).kind(), sql);
        }
    }

    @Test
    void queryColumnsAreNamedAsPostgreSqlNamesThem() {
        PlannedQuery q = (PlannedQuery) plan("select id, id, name as n, count(*), sum(x), coalesce(name, 'x'), "
                + "cast(id as bigint), id::text, 1 + 1, case when id > 0 then 1 end, upper(name) from t group by id, name");
        assertEquals(List.of("id", "id", "n", "count", "sum", "coalesce", "id", "id", "?column?", "case", "upper"),
                q.columnNames());
        assertEquals(List.of("column1", "column2"), ((PlannedQuery) plan("values (1, 'a')")).columnNames());
        assertEquals(List.of("row_number", "s"),
                ((PlannedQuery) plan("select row_number() over (order by id), sum(x) over () as s from t")).columnNames());
        assertEquals(List.of("id", "name"), ((PlannedQuery) plan("select t.* from t")).columnNames().subList(0, 2));
    }

    @Test
    void windowFunctionsBecomeWindowOperators() {
        PlannedQuery q = (PlannedQuery) plan("select id, rank() over (partition by name order by d), "
                + "avg(x) over (order by id rows between 2 preceding and current row) from t");
        assertTrue(q.explain().contains("LogicalWindow"), q.explain());
        assertEquals(List.of(DataType.INTEGER, DataType.BIGINT, DataType.DOUBLE), q.columnTypes());
    }

    @Test
    void nullabilityAndTypesOfColumns() {
        PlannedQuery q = (PlannedQuery) plan("select id, name, null, 'abc' from t");
        assertEquals(List.of(false, true, true, false), q.columns().stream().map(OutputColumn::nullable).toList());
        assertEquals(List.of(DataType.INTEGER, DataType.TEXT, DataType.TEXT, DataType.varchar(3)), q.columnTypes());
    }

    @Test
    void parametersGetTheirTypesFromContext() {
        PlannedQuery q = (PlannedQuery) plan("select * from t where name = ? and d > ? and amount < ? limit ?");
        assertEquals(List.of(DataType.TEXT, DataType.DATE, DataType.decimal(10, 2), DataType.INTEGER),
                q.parameterTypes());
        PlannedDml insert = (PlannedDml) plan("insert into t (id, ts) values (?, ?)");
        assertEquals(List.of(DataType.INTEGER, DataType.TIMESTAMP), insert.parameterTypes());
    }

    @Test
    void insertFillsDefaultsAndNulls() {
        PlannedDml dml = (PlannedDml) plan("insert into t (id, name) values (1, 'a'), (2, 'b')");
        assertEquals(PlannedDml.Operation.INSERT, dml.operation());
        assertEquals("t", dml.table().name());
        TableModify modify = dml.modify();
        assertEquals(CATALOG.findTable("public", "t").columnCount(), modify.getInput().getRowType().getFieldCount());
        assertSame(CATALOG.findTable("public", "t"), modify.getTable().unwrap(DuetTable.class).tableDef());
        String plan = dml.explain();
        assertTrue(plan.contains("qty=[7]"), plan);
        assertTrue(plan.contains("price=[1.50:DECIMAL(10, 2)]"), plan);
        assertTrue(plan.contains("d=[null:DATE]"), plan);
    }

    @Test
    void insertSelectUpdateDelete() {
        PlannedDml insert = (PlannedDml) plan("insert into t (id, qty) select id + 100, qty from t where name like 'a%'");
        assertEquals(PlannedDml.Operation.INSERT, insert.operation());
        PlannedDml update = (PlannedDml) plan("update t set name = 'x', amount = amount * 2 where id = 1");
        assertEquals(PlannedDml.Operation.UPDATE, update.operation());
        assertEquals(List.of("name", "amount"), update.modify().getUpdateColumnList());
        PlannedDml delete = (PlannedDml) plan("delete from t where id in (select id from t where x > 1)");
        assertEquals(PlannedDml.Operation.DELETE, delete.operation());
        assertTrue(TpchPlanningTest.correlations(delete.plan()).isEmpty());
        PlannedDml deleteAll = (PlannedDml) plan("delete from other.u");
        assertEquals("u", deleteAll.table().name());
        assertInstanceOf(TableScan.class, deleteAll.modify().getInput());
    }

    @Test
    void createTableAsBabelParsesIt() {
        CreateTable c = (CreateTable) plan("create table if not exists s.x (a int not null, b text, c varchar(10), "
                + "d decimal(10,2), e timestamp, f bytea, g double precision, h float, i boolean, j numeric, "
                + "k date, l bigint, m smallint, n real, o char(3), p int4, q float8, r bool)");
        assertEquals(new QualifiedName("s", "x"), c.name());
        assertTrue(c.ifNotExists());
        assertNull(c.query());
        assertEquals(List.of(ColumnDef.notNull("a", DataType.INTEGER), ColumnDef.of("b", DataType.TEXT),
                ColumnDef.of("c", DataType.varchar(10)), ColumnDef.of("d", DataType.decimal(10, 2)),
                ColumnDef.of("e", DataType.TIMESTAMP), ColumnDef.of("f", DataType.BYTEA),
                ColumnDef.of("g", DataType.DOUBLE), ColumnDef.of("h", DataType.DOUBLE),
                ColumnDef.of("i", DataType.BOOLEAN), ColumnDef.of("j", DataType.decimal(18, 3)),
                ColumnDef.of("k", DataType.DATE), ColumnDef.of("l", DataType.BIGINT),
                ColumnDef.of("m", DataType.SMALLINT), ColumnDef.of("n", DataType.REAL),
                ColumnDef.of("o", DataType.varchar(3)), ColumnDef.of("p", DataType.INTEGER),
                ColumnDef.of("q", DataType.DOUBLE), ColumnDef.of("r", DataType.BOOLEAN)), c.columns());
        TableDef def = c.tableDef();
        assertEquals("s", def.schema());
        assertFalse(def.hasPrimaryKey());
    }

    @Test
    void createTableAsSelect() {
        CreateTable c = (CreateTable) plan("create table x as select id, name, sum(x) as total from t group by id, name");
        assertEquals(QualifiedName.of("x"), c.name());
        assertEquals(List.of(ColumnDef.of("id", DataType.INTEGER), ColumnDef.of("name", DataType.TEXT),
                ColumnDef.of("total", DataType.DOUBLE)), c.columns());
        assertEquals(3, c.query().columns().size());
    }

    @Test
    void createTableErrors() {
        DuetException dup = assertThrows(DuetException.class, () -> plan("create table x (a int, a text)"));
        assertEquals("42701", dup.sqlState());
        assertEquals("0A000", assertThrows(DuetException.class, () -> plan("create table x (a time)")).sqlState());
        DuetException unknown = assertThrows(DuetException.class, () -> plan("create table x (a nosuchtype)"));
        assertEquals("42704", unknown.sqlState());
        assertEquals("type \"nosuchtype\" does not exist at line 1, column 19", unknown.getMessage());
    }

    @Test
    void utilityStatements() {
        assertEquals(UtilityStatement.Type.BEGIN, ((UtilityStatement) plan("begin")).type());
        assertEquals(UtilityStatement.Type.COMMIT, ((UtilityStatement) plan("commit")).type());
        assertEquals(UtilityStatement.Type.ROLLBACK, ((UtilityStatement) plan("rollback")).type());
        assertEquals(UtilityStatement.Type.SET, ((UtilityStatement) plan("set search_path = public")).type());
        assertEquals(UtilityStatement.Type.SHOW, ((UtilityStatement) plan("show search_path")).type());
    }

    @Test
    void explainPlanFor() {
        PlannedExplain e = (PlannedExplain) plan("explain plan for select * from t where id = 1");
        assertEquals(PlannedStatement.Kind.QUERY, e.explained().kind());
        PlannedExplain dml = (PlannedExplain) plan("explain plan for delete from t");
        assertEquals(PlannedStatement.Kind.DML, dml.explained().kind());
    }

    @Test
    void scriptsSplitAtSemicolonsOutsideQuotesAndComments() {
        String script = "select ';' as a; -- a comment; with a semicolon\n"
                + "select \"id\" from t /* ; */ where name = 'it''s;';;\n  select 3 ;";
        List<ParsedStatement> statements = FRONT_END.parse(script);
        assertEquals(3, statements.size());
        assertEquals("select ';' as a", statements.get(0).sql());
        assertEquals("-- a comment; with a semicolon\nselect \"id\" from t /* ; */ where name = 'it''s;'",
                statements.get(1).sql());
        assertEquals("select 3", statements.get(2).sql());
        List<PlannedStatement> planned = FRONT_END.planAll(script, CATALOG);
        assertEquals(3, planned.size());
        assertEquals("select 3", planned.get(2).sql());
        assertTrue(FRONT_END.parse("  ;; -- nothing\n").isEmpty());
    }

    @Test
    void trailingSemicolonAndCase() {
        PlannedQuery q = (PlannedQuery) plan("SELECT ID, \"name\" FROM T WHERE Id = 1;");
        assertEquals(List.of("id", "name"), q.columnNames());
    }

    @Test
    void eachStatementOfAScriptSeesTheCatalogItIsPlannedAgainst() {
        List<ParsedStatement> script = FRONT_END.parse("create table z (a int); insert into z values (1)");
        CreateTable create = (CreateTable) FRONT_END.plan(script.get(0), Catalog.empty());
        Catalog after = Catalog.empty().withNewTable(create.tableDef());
        PlannedDml insert = (PlannedDml) FRONT_END.plan(script.get(1), after);
        assertEquals("z", insert.table().name());
    }

    @Test
    void unsupportedStatements() {
        DuetException e = assertThrows(DuetException.class, () -> plan("merge into t using t s on t.id = s.id "
                + "when matched then update set name = s.name"));
        assertEquals("0A000", e.sqlState());
    }
}
