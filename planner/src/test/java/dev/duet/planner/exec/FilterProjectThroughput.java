package dev.duet.planner.exec;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.plan.ProjectNode;
import dev.duet.planner.exec.plan.TableScanNode;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints rows/s of a filter + project over a 1M-row row-store table: the whole query (row-store
 * scan decoding included), and the filter and projections alone over the same batches held in
 * memory. A measurement, not a test: nothing is asserted about speed. Run it with
 * {@code mvn -o -pl planner test -Dtest=FilterProjectThroughput -Dduet.bench=true}.
 */
@EnabledIfSystemProperty(named = "duet.bench", matches = "true")
class FilterProjectThroughput {
    private static final int ROWS = 1_000_000;
    private static final int RUNS = 10;
    private static final String QUERY = "select id, i * 2 + 1, d * 1.5, n * 2 + 1, dt + interval '1' month "
            + "from m where i % 10 < 5 and d > 0.2 and name <> 'x'";
    private static final String STRING_QUERY = "select id, upper(name), name || '!', substring(name, 2, 3) "
            + "from m where name like 'a%' or i > 900";

    @Test
    void measure() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false));
                RootAllocator root = new RootAllocator()) {
            load(store);
            SqlFrontEnd frontEnd = new SqlFrontEnd();
            try (Transaction tx = store.begin(true)) {
                for (String sql : List.of(QUERY, STRING_QUERY)) {
                    PlanNode plan = PhysicalPlanner.plan(((PlannedQuery) frontEnd.planSingle(sql, tx.catalog())).plan());
                    System.out.println(plan.explain());
                    run("whole query (scan + filter + project)", () -> plan, root, tx);
                    // the same operators over the scan's batches kept in memory
                    List<VectorSchemaRoot> batches = scanBatches((TableScanNode) plan.inputs().get(0), root, tx);
                    try {
                        ProjectNode p = (ProjectNode) plan;
                        PlanNode overMemory = new ProjectNode(new InMemoryNode(batches, plan.inputs().get(0).columns()),
                                p.projections(), p.columns().stream().map(BatchColumn::name).toList(), p.filter());
                        run("filter + project alone (batches in memory)", () -> overMemory, root, tx);
                    } finally {
                        batches.forEach(VectorSchemaRoot::close);
                    }
                }
            }
        }
    }

    private interface PlanSupplier {
        PlanNode get();
    }

    private static void run(String label, PlanSupplier plan, RootAllocator root, Transaction tx) {
        long best = Long.MAX_VALUE;
        long rowsOut = 0;
        for (int r = 0; r < RUNS; r++) {
            long t0 = System.nanoTime();
            rowsOut = 0;
            try (QueryContext context = new QueryContext(root, 1L << 30);
                    Operator op = plan.get().createOperator(context, tx)) {
                for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                    rowsOut += b.getRowCount();
                }
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("%-45s %,d rows in, %,d out: best %.1f ms = %,.0f input rows/s%n", label, ROWS, rowsOut,
                best / 1e6, ROWS / (best / 1e9));
    }

    private static List<VectorSchemaRoot> scanBatches(TableScanNode scan, RootAllocator root, Transaction tx) {
        List<VectorSchemaRoot> out = new ArrayList<>();
        try (QueryContext context = new QueryContext(root, 1L << 30); Operator op = scan.createOperator(context, tx)) {
            for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                VectorSchemaRoot copy = Batches.create(root, scan.columns());
                for (int c = 0; c < b.getFieldVectors().size(); c++) {
                    b.getVector(c).makeTransferPair(copy.getVector(c)).transfer();
                }
                copy.setRowCount(b.getRowCount());
                out.add(copy);
            }
        }
        return out;
    }

    /** Replays batches held in memory (not owned by the operator). */
    private record InMemoryNode(List<VectorSchemaRoot> batches, List<BatchColumn> columns) implements PlanNode {
        @Override
        public List<PlanNode> inputs() {
            return List.of();
        }

        @Override
        public String describe() {
            return "InMemory";
        }

        @Override
        public Operator createOperator(QueryContext context, Transaction transaction) {
            return new Operator() {
                private int next;

                @Override
                public List<BatchColumn> columns() {
                    return columns;
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
    }

    private static void load(RowStore store) {
        String[] names = {"alpha", "beta", "gamma", "delta", "x", "amber", "zeta", "aardvark"};
        Random random = new Random(1);
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("m")
                    .notNullColumn("id", DataType.BIGINT)
                    .column("i", DataType.INTEGER)
                    .column("d", DataType.DOUBLE)
                    .column("n", DataType.decimal(12, 2))
                    .column("name", DataType.TEXT)
                    .column("dt", DataType.DATE)
                    .primaryKey("id")
                    .build());
            tx.commit();
        }
        for (int from = 0; from < ROWS; from += 100_000) {
            try (Transaction tx = store.begin()) {
                for (int id = from; id < from + 100_000; id++) {
                    tx.insert("m", (long) id, random.nextInt(1000), random.nextDouble(),
                            BigDecimal.valueOf(random.nextInt(10_000_000), 2), names[random.nextInt(names.length)],
                            LocalDate.ofEpochDay(random.nextInt(20_000)));
                }
                tx.commit();
            }
        }
    }
}
