package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.planner.ddl.CreateView;
import dev.duet.planner.ddl.DropView;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Views: stored in the catalog, expanded from their text at each use, compared with DuckDB. */
class ViewsTest {
    private DifferentialDatabase db;

    @BeforeEach
    void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("t").column("id", DataType.BIGINT).column("a", DataType.INTEGER)
                .column("s", DataType.TEXT).primaryKey("id").build(),
                "CREATE TABLE t (id BIGINT PRIMARY KEY, a INTEGER, s TEXT)");
        List<Object[]> rows = new ArrayList<>();
        for (long i = 1; i <= 200; i++) {
            rows.add(new Object[] {i, i % 9 == 0 ? null : (int) (i % 13), i % 5 == 0 ? null : "s" + i % 17});
        }
        db.insert("t", rows);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static void createView(RowStore store, SqlFrontEnd frontEnd, String sql) {
        try (Transaction tx = store.begin()) {
            CreateView view = (CreateView) frontEnd.planSingle(sql, tx.catalog());
            tx.createView(view.viewDef(), view.orReplace());
            tx.commit();
        }
    }

    /** Runs a CREATE [OR REPLACE] VIEW in both engines. */
    private void createView(String sql) {
        createView(db.store(), db.frontEnd(), sql);
        db.duckUpdate(sql);
    }

    private void dropView(String sql) {
        try (Transaction tx = db.store().begin()) {
            DropView drop = (DropView) db.frontEnd().planSingle(sql, tx.catalog());
            tx.dropView(drop.name().toString());
            tx.commit();
        }
        db.duckUpdate(sql);
    }

    @Test
    void queriesThroughViewsMatchDuckDb() {
        createView("CREATE VIEW big AS SELECT id, a * 2 AS a2, s FROM t WHERE a > 5");
        createView("CREATE VIEW named (k, label) AS SELECT id, upper(s) FROM t WHERE s IS NOT NULL");
        createView("CREATE VIEW nested AS SELECT id, a2 + 1 AS a3 FROM big WHERE s LIKE 's1%'");
        db.check("SELECT * FROM big");
        db.check("SELECT id, a2 FROM big WHERE a2 > 20 AND s IS NULL");
        db.check("SELECT k, label, k * 10 FROM named WHERE label < 'S5'");
        db.check("SELECT * FROM nested");
        db.check("SELECT * FROM nested WHERE a3 = 21");
        db.check("SELECT id FROM big WHERE id = 7");
        db.check("SELECT id FROM big WHERE id IN (8, 9, 10, 11)");
        createView("CREATE OR REPLACE VIEW big AS SELECT id, a AS a2, s FROM t WHERE a <= 5");
        db.check("SELECT * FROM big");
        db.check("SELECT * FROM nested");
        try (Transaction tx = db.store().begin(true)) {
            PlannedQuery q = (PlannedQuery) db.frontEnd().planSingle("SELECT k, label FROM named", tx.catalog());
            assertEquals(List.of("k", "label"), q.columnNames());
            String explain = PhysicalPlanner.plan(((PlannedQuery) db.frontEnd()
                    .planSingle("SELECT a2 FROM big WHERE id = 7", tx.catalog())).plan()).explain();
            assertTrue(explain.contains("KeyScan(table=public.t, key=[id = 7]"), explain);
        }
    }

    @Test
    void droppedViewsAndTablesTheyReadFailClearly() {
        createView("CREATE VIEW v1 AS SELECT id, a FROM t");
        createView("CREATE VIEW v2 AS SELECT id FROM v1 WHERE a = 3");
        db.check("SELECT * FROM v2");
        try (Transaction tx = db.store().begin()) {
            DuetException e = assertThrows(DuetException.class, () -> tx.dropTable("t"));
            assertEquals(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, e.state());
            assertTrue(e.getMessage().contains("view v1 depends on table t"), e.getMessage());
        }
        dropView("DROP VIEW v1");
        DuetException e = db.duetError("SELECT * FROM v2");
        assertEquals(SqlState.UNDEFINED_TABLE, e.state());
        assertTrue(e.getMessage().contains("view \"v2\"") && e.getMessage().contains("v1"), e.getMessage());
        assertEquals(SqlState.UNDEFINED_TABLE, db.duetError("SELECT * FROM v1").state());
        try (Transaction tx = db.store().begin()) {
            assertEquals(SqlState.DUPLICATE_TABLE, assertThrows(DuetException.class,
                    () -> createView(db.store(), db.frontEnd(), "CREATE VIEW t AS SELECT 1 AS x")).state());
        }
        // a view replaced to read itself
        createView(db.store(), db.frontEnd(), "CREATE OR REPLACE VIEW v2 AS SELECT id FROM t");
        createView(db.store(), db.frontEnd(), "CREATE OR REPLACE VIEW v1 AS SELECT id FROM v2");
        createView(db.store(), db.frontEnd(), "CREATE OR REPLACE VIEW v2 AS SELECT id FROM v1");
        assertEquals(SqlState.INVALID_OBJECT_DEFINITION, db.duetError("SELECT * FROM v2").state());
    }

    @Test
    void viewsSurviveReopen(@TempDir Path dir) {
        SqlFrontEnd frontEnd = new SqlFrontEnd();
        RowStoreOptions options = RowStoreOptions.defaults().withFsync(false).withCheckpointOnClose(false);
        try (RowStore store = RowStore.open(dir, options)) {
            try (Transaction tx = store.begin()) {
                tx.createTable(TableDef.builder("p").column("id", DataType.INTEGER).column("x", DataType.TEXT)
                        .primaryKey("id").build());
                tx.insert("p", 1, "one");
                tx.insert("p", 2, "two");
                tx.commit();
            }
            createView(store, frontEnd, "CREATE VIEW pv (n, word) AS SELECT id + 1, x FROM p WHERE id > 1");
        }
        try (RowStore store = RowStore.open(dir, options); Transaction tx = store.begin(true)) {
            PlannedQuery q = (PlannedQuery) frontEnd.planSingle("SELECT word, n FROM pv", tx.catalog());
            assertEquals(List.of("word", "n"), q.columnNames());
            assertEquals("[[two, 3]]", runToString(q, tx));
        }
    }

    private String runToString(PlannedQuery q, Transaction tx) {
        List<List<Object>> out = new ArrayList<>();
        dev.duet.core.exec.QueryContext context = new dev.duet.core.exec.QueryContext(db.allocator(), 1L << 20);
        try {
            try (dev.duet.core.exec.Operator op = PhysicalPlanner.plan(q.plan(), context, tx)) {
                for (var batch = op.next(); batch != null; batch = op.next()) {
                    for (Object[] row : dev.duet.core.exec.Batches.rows(batch)) {
                        out.add(List.of(row));
                    }
                }
            }
        } finally {
            context.close();
        }
        return out.toString();
    }
}
