package dev.duet.jmh;

import dev.duet.columnstore.ZonePredicate;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.engine.Duet;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.planner.exec.PhysicalPlanner;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.route.ColumnScans;
import dev.duet.planner.exec.route.RouteMode;
import dev.duet.planner.exec.route.ScanRouting;
import dev.duet.rowstore.KeyRange;
import dev.duet.rowstore.RowStoreScan;
import dev.duet.rowstore.Transaction;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Runs TPC-H plans with every table scan replaced by batches held in memory, to time the
 * executor (operators and expressions) without the scans: the scans' batches are read from the
 * row store once per (table, columns) and replayed to every run through a {@link ColumnScans}
 * that the query's {@link ScanRouting} sends all scans to. Zone predicates are ignored, as the
 * row store does: every row reaches the plan's filters. Times are the CPU time of the thread
 * running the plan (all operators run on it).
 */
final class OperatorsOverMemory implements ColumnScans, AutoCloseable {
    private final BufferAllocator allocator;
    private final Map<String, List<VectorSchemaRoot>> cache = new HashMap<>();

    private OperatorsOverMemory(BufferAllocator allocator) {
        this.allocator = allocator;
    }

    static void run(Duet db, int runs, int[] queries) {
        // the table sizes Duet's own sessions plan with, so that the join orders are the same
        SqlFrontEnd frontEnd = new SqlFrontEnd(table -> OptionalDouble.of(db.rowStore().estimatedRows(table.id())));
        // CPU time of this thread, which runs the whole plan: on a shared machine wall time
        // mostly measures the other processes
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (OperatorsOverMemory scans = new OperatorsOverMemory(db.allocator().newChildAllocator("scans", 0, Long.MAX_VALUE));
                Transaction tx = db.begin(true)) {
            for (int q : queries) {
                PlanNode plan = PhysicalPlanner.plan(((PlannedQuery) frontEnd.planSingle(TpchDatabases.query(q), tx.catalog())).plan());
                long rows = scans.execute(plan, tx); // reads the scans' batches
                long[] times = new long[runs];
                for (int i = 0; i < runs; i++) {
                    long start = threads.getCurrentThreadCpuTime();
                    long again = scans.execute(plan, tx);
                    times[i] = threads.getCurrentThreadCpuTime() - start;
                    if (again != rows) {
                        throw new IllegalStateException("q" + q + ": " + again + " rows, first run " + rows);
                    }
                }
                long[] sorted = times.clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "q%-2d memory %4d rows  CPU best %8.1f ms  median %8.1f ms  runs %s%n", q, rows,
                        sorted[0] / 1e6, sorted[runs / 2] / 1e6,
                        Arrays.toString(Arrays.stream(times).map(t -> t / 1_000_000).toArray()));
            }
        }
    }

    private long execute(PlanNode plan, Transaction tx) {
        long rows = 0;
        try (QueryContext context = new QueryContext(allocator, "query", 4L << 30)) {
            context.attach(ScanRouting.class, new ScanRouting(RouteMode.COLUMN, this));
            try (Operator op = PlanNode.instantiate(plan, context, tx)) {
                for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                    rows += b.getRowCount();
                }
            }
        }
        return rows;
    }

    @Override
    public long estimatedRows(TableDef table, Transaction transaction) {
        return Long.MAX_VALUE / 2;
    }

    @Override
    public boolean reaches(Transaction transaction, Duration wait) {
        return true;
    }

    @Override
    public Operator scan(QueryContext context, Transaction transaction, TableDef table, int[] columns,
            List<ZonePredicate> zonePredicates) {
        List<VectorSchemaRoot> batches = cache.computeIfAbsent(table.id() + Arrays.toString(columns),
                k -> read(transaction, table, columns));
        List<BatchColumn> out = new ArrayList<>();
        for (int c : columns) {
            out.add(new BatchColumn(table.columns().get(c).name(), table.columns().get(c).type(), !table.columns().get(c).notNull()));
        }
        return new Operator() {
            private int next;

            @Override
            public List<BatchColumn> columns() {
                return out;
            }

            @Override
            public VectorSchemaRoot next() {
                return next < batches.size() ? batches.get(next++) : null;
            }

            @Override
            public void close() {
            }
        };
    }

    private List<VectorSchemaRoot> read(Transaction tx, TableDef table, int[] columns) {
        List<VectorSchemaRoot> out = new ArrayList<>();
        try (QueryContext context = new QueryContext(allocator, "scan", 4L << 30);
                Operator scan = new RowStoreScan(context, tx, table.qualifiedName(), KeyRange.all(), columns)) {
            for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                VectorSchemaRoot copy = Batches.create(allocator, scan.columns());
                List<FieldVector> from = b.getFieldVectors();
                for (int c = 0; c < from.size(); c++) {
                    from.get(c).makeTransferPair(copy.getVector(c)).transfer();
                }
                copy.setRowCount(b.getRowCount());
                out.add(copy);
            }
        }
        return out;
    }

    @Override
    public void close() {
        cache.values().forEach(l -> l.forEach(VectorSchemaRoot::close));
        allocator.close();
    }
}
