package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.ProjectNode;
import dev.duet.planner.exec.plan.TableScanNode;
import dev.duet.rowstore.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The physical planner and the filter / project / values operators, over the expression test table. */
class PhysicalPlannerTest {
    private static DifferentialDatabase db;

    @BeforeAll
    static void load() {
        db = new DifferentialDatabase();
        db.createTable(ExpressionTestData.table(), ExpressionTestData.DUCK_DDL);
        db.insert("t", ExpressionTestData.rows());
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static PlannedQuery planned(String sql, Transaction tx) {
        return (PlannedQuery) db.frontEnd().planSingle(sql, tx.catalog());
    }

    private static PlanNode physical(String sql) {
        try (Transaction tx = db.store().begin(true)) {
            return PhysicalPlanner.plan(planned(sql, tx).plan());
        }
    }

    @Test
    void scansReadOnlyTheColumnsUsed() {
        PlanNode plan = physical("select upper(name) from t where i > 0 and flag");
        assertInstanceOf(ProjectNode.class, plan);
        TableScanNode scan = (TableScanNode) plan.inputs().get(0);
        assertArrayEquals(new int[] {2, 8, 12}, scan.columnIndexes()); // i, name, flag
        String explain = plan.explain();
        assertTrue(explain.startsWith("Project(") && explain.contains("filter=AND(>($0, 0), $2)")
                && explain.contains("  TableScan(table=public.t, columns=[i, name, flag], zone=[i GT 0])"), explain);
        assertEquals(1, plan.columns().size());
        assertEquals(DataType.TEXT, plan.columns().get(0).type());
        // a filter alone keeps every column, in order
        PlanNode filter = physical("select * from t where i > 0");
        assertEquals(14, filter.columns().size());
        assertTrue(filter.explain().startsWith("Filter(condition=>($2, 0))"), filter.explain());
    }

    /** Joins, aggregates, sorts and set operations ask their inputs only for the columns they use. */
    @Test
    void columnPruningReachesTheScansThroughEveryNode() {
        PlanNode plan = physical("select t1.name, count(*) from t t1 join t t2 on t1.i = t2.s and t1.d > t2.r "
                + "where t2.flag group by t1.name order by 2 desc limit 5");
        List<String> scans = new ArrayList<>();
        collectScans(plan, scans);
        scans.sort(null);
        assertEquals(List.of("[i, d, name]", "[s, r, flag]"), scans, plan.explain());
        List<String> unionScans = new ArrayList<>();
        collectScans(physical("select x from (select id, name as x from t union all select i, v from t) u"), unionScans);
        assertEquals(List.of("[name]", "[v]"), unionScans);
    }

    private static void collectScans(PlanNode node, List<String> out) {
        if (node instanceof TableScanNode scan) {
            out.add(scan.columns().stream().map(c -> c.name()).toList().toString());
        }
        for (PlanNode input : node.inputs()) {
            collectScans(input, out);
        }
    }

    @Test
    void values() {
        db.check("select * from (values (1, 'a', 2.5), (2, null, -1), (3, 'ccc', 0)) as v(a, b, c)");
        db.check("select a + 1, b || '!' from (values (1, 'a'), (2, 'b'), (3, null)) as v(a, b) where a <> 2");
        PlanNode plan = physical("select * from (values (1, 'x'), (2, 'y')) as v(a, b)");
        assertEquals("Values((1, 'x'), (2, 'y'))", plan.describe());
    }

    @Test
    void smallBatches() {
        db.setBatchSize(7);
        try {
            db.check("select id, name, n * 2 from t where i > 0");
            db.check("select * from t where name like '%a%' or d > 100");
            db.check("select id, case when i > 0 then upper(name) when i < 0 then lower(v) end, coalesce(name, v) from t");
            db.check("select id, i, i, i + 1, i, name, name from t where flag");
            db.check("select id from t where s in (1, 2, 3) and flag is not null");
        } finally {
            db.setBatchSize(Operator.DEFAULT_BATCH_SIZE);
        }
    }

    /** Consumers may take a batch's buffers (the Operator contract); the next batch must still be right. */
    @Test
    void consumersMayTransferTheBuffers() {
        String sql = "select id, i, i, name, i * 2, upper(name), dt from t where id % 3 <> 0";
        List<Object[]> expected = db.duet(sql);
        List<Object[]> actual = new ArrayList<>();
        try (Transaction tx = db.store().begin(true)) {
            PlannedQuery q = planned(sql, tx);
            QueryContext context = new QueryContext(db.allocator(), 64L << 20);
            context.setBatchSize(16);
            try (Operator op = PhysicalPlanner.plan(q.plan(), context, tx)) {
                for (VectorSchemaRoot batch = op.next(); batch != null; batch = op.next()) {
                    List<FieldVector> taken = new ArrayList<>();
                    for (FieldVector v : batch.getFieldVectors()) {
                        TransferPair pair = v.getTransferPair(context.allocator());
                        pair.transfer();
                        taken.add((FieldVector) pair.getTo());
                    }
                    try (VectorSchemaRoot mine = new VectorSchemaRoot(taken)) {
                        mine.setRowCount(batch.getRowCount());
                        actual.addAll(Batches.rows(mine));
                    }
                }
            } finally {
                context.close();
            }
        }
        assertEquals(expected.size(), actual.size());
        for (int r = 0; r < expected.size(); r++) {
            assertEquals(Arrays.asList(expected.get(r)), Arrays.asList(actual.get(r)));
        }
    }

    @Test
    void batchesPassThroughWhenNothingIsDropped() {
        try (Transaction tx = db.store().begin(true)) {
            QueryContext context = new QueryContext(db.allocator(), 64L << 20);
            try (Operator op = PhysicalPlanner.plan(planned("select * from t where id > 0", tx).plan(), context, tx)) {
                VectorSchemaRoot first = op.next();
                assertEquals(300, first.getRowCount());
                assertNull(op.next());
                assertNull(op.next());
            } finally {
                context.close();
            }
            context = new QueryContext(db.allocator(), 64L << 20);
            try (Operator op = PhysicalPlanner.plan(planned("select i, name from t", tx).plan(), context, tx)) {
                VectorSchemaRoot batch = op.next();
                // plain column references are the scan's own vectors (named as the table's columns)
                assertEquals("i", batch.getVector(0).getName());
                assertEquals("name", batch.getVector(1).getName());
                assertEquals(300, batch.getRowCount());
            } finally {
                context.close();
            }
        }
    }

    @Test
    void cancelledQueriesStop() {
        try (Transaction tx = db.store().begin(true)) {
            QueryContext context = new QueryContext(db.allocator(), 64L << 20);
            try (Operator op = PhysicalPlanner.plan(planned("select id + 1 from t where i > 0", tx).plan(), context, tx)) {
                context.cancel();
                DuetException e = assertThrows(DuetException.class, op::next);
                assertEquals("57014", e.sqlState());
            } finally {
                context.close();
            }
        }
    }

    @Test
    void runningOutOfQueryMemoryIs53200AndLeaksNothing() {
        try (Transaction tx = db.store().begin(true)) {
            PlannedQuery q = planned("select id, name || v || name || v, upper(name), n * n from t where i <> 0", tx);
            for (long limit : new long[] {20_000, 60_000, 120_000}) {
                QueryContext context = new QueryContext(db.allocator(), limit);
                try (Operator op = PhysicalPlanner.plan(q.plan(), context, tx)) {
                    DuetException e = assertThrows(DuetException.class, () -> {
                        while (op.next() != null) {
                            // drain
                        }
                    });
                    assertEquals("53200", e.sqlState(), e.getMessage());
                } finally {
                    context.close(); // no leak after the failure
                }
            }
        }
    }

    @Test
    void aPlanForAChangedTableIsRejected() {
        PlannedQuery q;
        try (Transaction tx = db.store().begin(true)) {
            q = planned("select * from t", tx);
        }
        try (Transaction tx = db.store().begin()) {
            tx.dropTable("t");
            tx.createTable(TableDef.builder("t").notNullColumn("id", DataType.INTEGER).primaryKey("id").build());
            QueryContext context = new QueryContext(db.allocator(), 64L << 20);
            try {
                DuetException e = assertThrows(DuetException.class, () -> PhysicalPlanner.plan(q.plan(), context, tx));
                assertEquals("0A000", e.sqlState());
            } finally {
                context.close();
            }
            tx.rollback();
        }
    }

    @Test
    void unsupportedNodesAreNamed() {
        try (Transaction tx = db.store().begin(true)) {
            for (String sql : List.of("select i, count(*) from t group by rollup(i)",
                    "select id, row_number() over (order by id) from t")) {
                DuetException e = assertThrows(DuetException.class, () -> PhysicalPlanner.plan(planned(sql, tx).plan()), sql);
                assertEquals("0A000", e.sqlState());
                assertTrue(e.getMessage().contains("ROLLUP") || e.getMessage().startsWith("LogicalWindow"), e.getMessage());
            }
        }
    }
}
