package dev.duet.planner.exec.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.planner.exec.PhysicalPlanner;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.rowstore.KeyRange;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.RowStoreScan;
import dev.duet.rowstore.Transaction;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routing rules of {@link ScanRouting}, and table scans and plans following them. */
class ScanRoutingTest {
    private RowStore store;
    private RootAllocator root;
    private TableDef table;

    /** A column store stand-in: says how many rows it holds and counts the scans asked of it. */
    private static final class FakeColumns implements ColumnScans {
        long rows;
        int scans;

        FakeColumns(long rows) {
            this.rows = rows;
        }

        @Override
        public long estimatedRows(TableDef t, Transaction transaction) {
            return rows;
        }

        /** Set false to play a column store that lags behind every snapshot. */
        boolean caughtUp = true;

        @Override
        public boolean reaches(Transaction transaction, java.time.Duration wait) {
            return caughtUp;
        }

        @Override
        public Operator scan(QueryContext context, Transaction transaction, TableDef t, int[] columns,
                List<ZonePredicate> zonePredicates) {
            scans++;
            return new RowStoreScan(context, transaction, t.qualifiedName(), KeyRange.all(), columns);
        }
    }

    @BeforeEach
    void open() {
        store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false));
        root = new RootAllocator();
        try (Transaction tx = store.begin()) {
            table = tx.createTable(TableDef.builder("t").column("id", DataType.BIGINT).column("v", DataType.INTEGER)
                    .primaryKey("id").build());
            for (long i = 0; i < 20; i++) {
                tx.insert("t", i, (int) i);
            }
            tx.commit();
        }
    }

    @AfterEach
    void close() {
        store.close();
        root.close();
    }

    @Test
    void rulesApplyInOrder() {
        FakeColumns big = new FakeColumns(ScanRouting.MIN_COLUMN_ROWS);
        FakeColumns small = new FakeColumns(ScanRouting.MIN_COLUMN_ROWS - 1);
        FakeColumns absent = new FakeColumns(-1);
        try (Transaction tx = store.begin()) {
            assertFalse(new ScanRouting(RouteMode.ROW, big).route(table, tx).column());
            assertTrue(new ScanRouting(RouteMode.AUTO, big).route(table, tx).column());
            assertFalse(new ScanRouting(RouteMode.AUTO, small).route(table, tx).column());
            assertTrue(new ScanRouting(RouteMode.COLUMN, small).route(table, tx).column());
            assertFalse(new ScanRouting(RouteMode.COLUMN, absent).route(table, tx).column());
            assertFalse(new ScanRouting(RouteMode.COLUMN, null).route(table, tx).column());
            assertEquals("route=column (at least 10000 rows, rows≈10000)",
                    new ScanRouting(RouteMode.AUTO, big).route(table, tx).describe());

            big.caughtUp = false;
            Route behind = new ScanRouting(RouteMode.AUTO, big).route(table, tx);
            assertFalse(behind.column());
            assertEquals("the column store is behind the snapshot", behind.reason());
            assertTrue(new ScanRouting(RouteMode.COLUMN, big).route(table, tx).column(), "forced: the scan waits instead");
            big.caughtUp = true;

            tx.insert("t", 100L, 1);
            Route r = new ScanRouting(RouteMode.COLUMN, big).route(table, tx);
            assertFalse(r.column(), "a table the transaction wrote is read where its writes are");
            assertEquals("the transaction has written the table", r.reason());
        }
    }

    @Test
    void modesParseAndBadValuesFailWith22023() {
        assertEquals(RouteMode.COLUMN, RouteMode.parse(" Column "));
        assertEquals("row", RouteMode.ROW.setting());
        DuetException e = assertThrows(DuetException.class, () -> RouteMode.parse("fastest"));
        assertEquals(SqlState.INVALID_PARAMETER_VALUE.code(), e.sqlState());
    }

    @Test
    void tableScansFollowTheAttachedRoutingAtEachExecution() {
        SqlFrontEnd frontEnd = new SqlFrontEnd();
        FakeColumns columns = new FakeColumns(ScanRouting.MIN_COLUMN_ROWS);
        PlanNode plan;
        try (Transaction tx = store.begin(true)) {
            plan = PhysicalPlanner.plan(((PlannedQuery) frontEnd.planSingle("SELECT sum(v) FROM t", tx.catalog())).plan());
        }
        assertEquals(20 * 19 / 2, sumOf(plan, new ScanRouting(RouteMode.AUTO, columns)));
        assertEquals(1, columns.scans);
        columns.rows = 5;
        assertEquals(20 * 19 / 2, sumOf(plan, new ScanRouting(RouteMode.AUTO, columns)));
        assertEquals(1, columns.scans, "a small table is read from the row store");
        assertEquals(20 * 19 / 2, sumOf(plan, null));
        assertEquals(1, columns.scans, "no routing attached: the row store");
    }

    @Test
    void withoutKeyAccessAKeyFilterStaysAFilterOverAFullScan() {
        SqlFrontEnd frontEnd = new SqlFrontEnd();
        try (Transaction tx = store.begin(true)) {
            var rel = ((PlannedQuery) frontEnd.planSingle("SELECT v FROM t WHERE id = 3", tx.catalog())).plan();
            assertTrue(PhysicalPlanner.plan(rel, true).explain().contains("KeyScan"), PhysicalPlanner.plan(rel, true).explain());
            String plain = PhysicalPlanner.plan(rel, false).explain();
            assertFalse(plain.contains("KeyScan"), plain);
            assertTrue(plain.contains("TableScan"), plain);
        }
    }

    private long sumOf(PlanNode plan, ScanRouting routing) {
        try (Transaction tx = store.begin(true); QueryContext context = new QueryContext(root, Long.MAX_VALUE)) {
            if (routing != null) {
                context.attach(ScanRouting.class, routing);
            }
            long sum = 0;
            try (Operator op = plan.createOperator(context, tx)) {
                for (VectorSchemaRoot b; (b = op.next()) != null; ) {
                    for (int i = 0; i < b.getRowCount(); i++) {
                        Object v = b.getVector(0).getObject(i);
                        sum += ((Number) v).longValue();
                    }
                }
            }
            assertEquals(0, context.allocatedBytes());
            return sum;
        }
    }
}
