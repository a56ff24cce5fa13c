package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedDml;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.rowstore.Transaction;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Primary-key and secondary-index access paths: the plan reads through the key (EXPLAIN shows a
 * KeyScan or IndexScan) and the results equal DuckDB's, which scans; prepared plans take their
 * key values from parameters at each execution.
 */
class KeyAccessTest {
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(TableDef.builder("k").column("id", DataType.BIGINT).column("a", DataType.INTEGER)
                .column("b", DataType.TEXT).column("d", DataType.DATE).primaryKey("id").build(),
                "CREATE TABLE k (id BIGINT PRIMARY KEY, a INTEGER, b TEXT, d DATE)");
        List<Object[]> rows = new ArrayList<>();
        for (long i = 1; i <= 1000; i++) {
            rows.add(new Object[] {i, i % 7 == 0 ? null : (int) (i % 50), "b" + i, LocalDate.of(2024, 1, 1).plusDays(i)});
        }
        db.insert("k", rows);
        db.createTable(TableDef.builder("ck").column("u", DataType.INTEGER).column("x", DataType.INTEGER)
                .column("y", DataType.varchar(3)).column("z", DataType.BIGINT).column("v", DataType.INTEGER)
                .primaryKey("x", "y", "z").build(),
                "CREATE TABLE ck (u INTEGER, x INTEGER, y VARCHAR(3), z BIGINT, v INTEGER, PRIMARY KEY (x, y, z))");
        rows = new ArrayList<>();
        int u = 0;
        for (int x = 1; x <= 5; x++) {
            for (String y : List.of("a", "b", "c")) {
                for (long z = 1; z <= 10; z++) {
                    rows.add(new Object[] {u++, x, y, z, u % 4 == 0 ? null : u % 11});
                }
            }
        }
        db.insert("ck", rows);
        try (Transaction tx = db.store().begin()) {
            tx.createIndex(IndexDef.on(tx.table("k"), "k_a", false, "a"));
            tx.createIndex(IndexDef.on(tx.table("k"), "k_b", true, "b"));
            tx.createIndex(IndexDef.on(tx.table("ck"), "ck_v", false, "v", "z"));
            tx.commit();
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static String explain(String sql) {
        try (Transaction tx = db.store().begin(true)) {
            PlanNode plan = PhysicalPlanner.plan(((PlannedQuery) db.frontEnd().planSingle(sql, tx.catalog())).plan());
            return plan.explain();
        }
    }

    /** Checks against DuckDB and that the plan has {@code expected} in its EXPLAIN text. */
    private static void check(String sql, String expected) {
        db.check(sql);
        String explain = explain(sql);
        assertTrue(explain.contains(expected), () -> sql + " should use " + expected + ":\n" + explain);
    }

    @Test
    void primaryKeyPredicatesReadOnlyTheirKeys() {
        check("select * from k where id = 5", "KeyScan(table=public.k, key=[id = 5]");
        assertTrue(!explain("select * from k where id = 5").contains("Filter"), explain("select * from k where id = 5"));
        check("select id, b from k where id = 5 and a > 100", "KeyScan(table=public.k, key=[id = 5]");
        check("select id, a from k where 7 = id", "key=[id = 7]");
        check("select * from k where id in (1, 3, 3, 999, 5000, -2)", "key=[id IN (");
        check("select * from k where id = 1 or id = 900", "key=[id IN (");
        check("select id from k where id > 10 and id <= 20", "key=[id > 10 AND id <= 20]");
        check("select id from k where id between 995 and 2000", "key=[id >= 995 AND id <= 2000]");
        check("select id from k where id < 4", "key=[id < 4]");
        check("select id from k where id >= 998", "key=[id >= 998]");
        check("select id from k where id > 5 and id < 3", "Values()");
        check("select id from k where id = 2.5", "key=[id IN ()]");
        check("select id from k where id = 99999999999999", "key=[id = 99999999999999]");
        check("select id from k where id > 2.5 and id < 6", "KeyScan");
        // composite keys: prefixes, IN lists, a range on the column after the prefix
        check("select u, x, y, z from ck where x = 3", "key=[x = 3]");
        check("select u, v from ck where x = 3 and y = 'b'", "key=[x = 3 AND y = 'b']");
        check("select u from ck where x in (1, 4) and y = 'c' and z = 7", "key=[x IN (1, 4) AND y = 'c' AND z = 7]");
        check("select u, y from ck where x = 2 and y > 'a'", "key=[x = 2 AND y > 'a']");
        check("select u from ck where x = 2 and y = 'b' and z >= 8 and v is not null", "key=[x = 2 AND y = 'b' AND z >= 8]");
        check("select u from ck where x = 5 and y = 'toolong'", "key=[x = 5 AND y = 'toolong']");
        check("select u from ck where x = 5 and z = 3", "key=[x = 5]");
        check("select u, y from ck where x = 4 and y in ('a', 'cc', 'c')", "key=[x = 4 AND y IN (");
        check("select id, b from k where b in ('b1', 'b10', 'b100')", "index=k_b");
        // not a key prefix: a full scan
        check("select u from ck where y = 'a' and z = 3", "TableScan");
        check("select id from k where id * 2 = 10", "TableScan");
        // aggregates and projections above a key scan
        check("select id * 2, upper(b) from k where id in (10, 20) and b like 'b%'", "KeyScan");
    }

    @Test
    void secondaryIndexesServeEqualityAndInLists() {
        check("select id, a from k where a = 3", "IndexScan(table=public.k, index=k_a, key=[a = 3]");
        check("select id, a from k where a in (3, 4, 70)", "index=k_a, key=[a IN (3, 4, 70)]");
        check("select id, a, b from k where b = 'b17'", "index=k_b, key=[b = 'b17']");
        check("select id from k where a = 3 and b = 'b3'", "IndexScan");
        check("select u, v, z from ck where v = 5", "index=ck_v, key=[v = 5]");
        check("select u, v, z from ck where v = 5 and z in (1, 2, 3)", "index=ck_v, key=[v = 5 AND z IN (1, 2, 3)]");
        // ranges and IS NULL do not use an index
        check("select id from k where a > 45", "TableScan");
        check("select id from k where a is null", "TableScan");
        // the primary key wins over an index
        check("select id from k where id = 3 and a = 3", "KeyScan");
    }

    /** Runs a planned query with parameters in {@code tx}; asserts the query's memory ends at zero. */
    private static List<List<Object>> run(PlanNode plan, Transaction tx, Object... params) {
        List<List<Object>> out = new ArrayList<>();
        QueryContext context = new QueryContext(db.allocator(), 64L << 20);
        context.setParameters(params);
        try {
            try (Operator op = plan.createOperator(context, tx)) {
                for (VectorSchemaRoot batch = op.next(); batch != null; batch = op.next()) {
                    for (Object[] row : Batches.rows(batch)) {
                        out.add(Arrays.asList(row));
                    }
                }
            }
        } finally {
            context.close();
        }
        return out;
    }

    private static PlanNode plan(String sql) {
        try (Transaction tx = db.store().begin(true)) {
            return PhysicalPlanner.plan(((PlannedQuery) db.frontEnd().planSingle(sql, tx.catalog())).plan());
        }
    }

    private static List<List<Object>> duck(String sql) {
        List<List<Object>> out = new ArrayList<>();
        for (Object[] row : db.duck(sql)) {
            List<Object> r = new ArrayList<>();
            for (Object v : row) {
                r.add(v instanceof Number n && !(v instanceof Long) ? (Object) n.longValue() : v);
            }
            out.add(r);
        }
        return out;
    }

    @Test
    void preparedPlansTakeKeysFromParameters() {
        PlanNode point = plan("select id, b from k where id = ?");
        assertTrue(point.explain().contains("KeyScan(table=public.k, key=[id = ?0]"), point.explain());
        PlanNode in = plan("select id from k where id = ? or id = ?");
        assertTrue(in.explain().contains("key=[id IN (?0, ?1)]"), in.explain());
        PlanNode range = plan("select id from k where id > ? and id <= ?");
        assertTrue(range.explain().contains("key=[id > ?0 AND id <= ?1]"), range.explain());
        PlanNode byIndex = plan("select id from k where a = ?");
        assertTrue(byIndex.explain().contains("IndexScan(table=public.k, index=k_a, key=[a = ?0]"), byIndex.explain());
        try (Transaction tx = db.store().begin(true)) {
            for (long id : new long[] {1, 500, 1000, 1001, -5}) {
                assertEquals(duck("select id, b from k where id = " + id).toString(), run(point, tx, id).toString());
            }
            assertEquals(List.of(), run(point, tx, (Object) null));
            assertEquals(duck("select id from k where id in (7, 3) order by id"), run(in, tx, 7L, 3L));
            assertEquals(List.of(List.of(3L)), run(in, tx, 3L, null));
            assertEquals(duck("select id from k where id > 990 and id <= 995 order by id"), run(range, tx, 990L, 995L));
            assertEquals(List.of(), run(range, tx, null, 995L));
            assertEquals(duck("select id from k where a = 12 order by id"), run(byIndex, tx, 12));
        }
    }

    @Test
    void scansSeeTheTransactionsOwnWritesThroughKeysAndIndexes() {
        PlanNode point = plan("select id, a, b from k where id = ?");
        PlanNode byIndex = plan("select id, a from k where a = ?");
        PlanNode byUnique = plan("select id from k where b = ?");
        try (Transaction tx = db.store().begin()) {
            tx.insert("k", 5000L, 13, "new", null);
            tx.update("k", new Object[] {13L}, Map.of("a", 14, "b", "moved"));
            tx.delete("k", 63L);
            assertEquals(List.of(List.of(5000L, 13, "new")), run(point, tx, 5000L));
            assertEquals(List.of(List.of(13L, 14, "moved")), run(point, tx, 13L));
            assertEquals(List.of(), run(point, tx, 63L));
            List<List<Object>> thirteen = run(byIndex, tx, 13);
            assertEquals(List.of(List.of(113L, 13), List.of(163L, 13), List.of(213L, 13)), thirteen.subList(0, 3));
            assertTrue(thirteen.contains(List.of(5000L, 13)) && !thirteen.contains(List.of(13L, 13))
                    && !thirteen.contains(List.of(63L, 13)), thirteen::toString);
            assertTrue(run(byIndex, tx, 14).contains(List.of(13L, 14)));
            assertEquals(List.of(List.of(13L)), run(byUnique, tx, "moved"));
            assertEquals(List.of(), run(byUnique, tx, "b13"));
            // another transaction's snapshot does not see these writes through the index
            try (Transaction other = db.store().begin(true)) {
                assertEquals(List.of(List.of(13L)), run(byUnique, other, "b13"));
                assertEquals(List.of(), run(byUnique, other, "moved"));
            }
            tx.rollback();
        }
    }

    @Test
    void updateAndDeleteInputsReadThroughTheKey() {
        try (Transaction tx = db.store().begin(true)) {
            for (String[] c : new String[][] {
                    {"UPDATE k SET a = a + 1 WHERE id = ?", "KeyScan(table=public.k, key=[id = ?0]"},
                    {"DELETE FROM k WHERE id = ?", "KeyScan(table=public.k, key=[id = ?0]"},
                    {"DELETE FROM k WHERE id IN (1, 2) AND a > 0", "KeyScan(table=public.k, key=[id IN (1, 2)]"},
                    {"UPDATE ck SET v = 0 WHERE x = 1 AND y = 'a' AND z = ?", "key=[x = 1 AND y = 'a' AND z = ?0]"},
                    {"UPDATE k SET b = 'x' WHERE a = ?", "IndexScan(table=public.k, index=k_a, key=[a = ?0]"}}) {
                PlannedDml dml = (PlannedDml) db.frontEnd().planSingle(c[0], tx.catalog());
                String explain = PhysicalPlanner.plan(dml.modify().getInput()).explain();
                assertTrue(explain.contains(c[1]), () -> c[0] + ":\n" + explain);
            }
        }
    }
}
