package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import dev.duet.planner.PlannedDml;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Values assigned by INSERT and UPDATE reach the DML layer whole: PostgreSQL rejects a string
 * longer than a VARCHAR(n) column with 22001 ("value too long for type character varying(n)")
 * and only an explicit cast cuts it. Runs each statement's input through the physical planner
 * and coerces every assigned value to its column's type as the engine's DML layer does
 * ({@link Values#coerce}). (DuckDB ignores VARCHAR lengths, so PostgreSQL's documented rule is
 * the oracle here.)
 */
class AssignmentTest {
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("w")
                .notNullColumn("id", DataType.INTEGER)
                .column("name", DataType.varchar(3))
                .column("note", DataType.TEXT)
                .primaryKey("id").build(), "CREATE TABLE w (id INTEGER PRIMARY KEY, name VARCHAR(3), note VARCHAR)");
        db.insert("w", List.<Object[]>of(new Object[] {1, "ab", "long text"}, new Object[] {2, null, "xy"}));
    }

    @AfterAll
    static void close() {
        db.close();
    }

    /** The values {@code sql} assigns, coerced to their columns' types: whole rows (INSERT) or the SET values (UPDATE). */
    private static List<List<Object>> assigned(String sql) {
        List<List<Object>> out = new ArrayList<>();
        try (Transaction tx = db.store().begin(true)) {
            PlannedDml dml = (PlannedDml) db.frontEnd().planSingle(sql, tx.catalog());
            TableDef table = dml.table();
            List<String> targets = dml.operation() == PlannedDml.Operation.UPDATE
                    ? dml.modify().getUpdateColumnList()
                    : table.columns().stream().map(ColumnDef::name).toList();
            int first = dml.operation() == PlannedDml.Operation.UPDATE ? table.columnCount() : 0;
            for (Object[] row : db.run(dml.modify().getInput(), tx)) {
                List<Object> values = new ArrayList<>();
                for (int i = 0; i < targets.size(); i++) {
                    ColumnDef c = table.column(table.requireColumn(targets.get(i)));
                    values.add(Values.coerce(c.type(), row[first + i], c.name()));
                }
                out.add(values);
            }
        }
        return out;
    }

    private static void tooLong(String sql) {
        DuetException e = assertThrows(DuetException.class, () -> assigned(sql), sql);
        assertEquals("22001", e.sqlState(), e.getMessage());
    }

    @Test
    void aStringLongerThanTheColumnFailsWith22001() {
        tooLong("insert into w values (3, 'toolong', null)");
        tooLong("insert into w (id, name) values (3, 'abc'), (4, 'abcdef')");
        tooLong("insert into w (id, name) select 3, 'abcd'");
        tooLong("insert into w (id, name) select id + 10, note from w");
        tooLong("insert into w (id, name) values (3, 12345)");
        tooLong("update w set name = 'abcdefgh'");
        tooLong("update w set name = name || 'xy' where id = 1");
        tooLong("update w set name = note");
    }

    @Test
    void valuesThatFitAreAssignedUnchanged() {
        assertEquals(List.of(List.of(3, "abc", "toolong")), assigned("insert into w values (3, 'abc', 'toolong')"));
        assertEquals(List.of(List.of("xyz")), assigned("update w set name = 'xyz' where id = 2"));
        List<List<Object>> rows = assigned("insert into w (id, name) values (5, ''), (6, null), (7, 'abcd'::varchar(3))");
        assertEquals(Arrays.asList(5, "", null), rows.get(0));
        assertEquals(Arrays.asList(6, null, null), rows.get(1));
        assertEquals(Arrays.asList(7, "abc", null), rows.get(2));
        assertEquals(List.of(List.of(8, "123", "4.5")), assigned("insert into w values (8, 123, 4.5)"));
    }

    @Test
    void anExplicitCastTruncates() {
        assertEquals(List.of(List.of(3, "too", "toolong")),
                assigned("insert into w values (3, 'toolong'::varchar(3), 'toolong')"));
        assertEquals(List.of(List.of("abx")), assigned("update w set name = cast(name || 'xyz' as varchar(3)) where id = 1"));
    }
}
