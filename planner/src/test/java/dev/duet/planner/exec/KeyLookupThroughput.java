package dev.duet.planner.exec;

import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints the time of one execution of a prepared single-row lookup over a 1M-row table: through
 * the primary key, through a unique secondary index, and (for scale) by a full scan with a filter.
 * Each execution has its own query context and operator tree, as a statement of a session does.
 * A measurement, not a test. Run it with
 * {@code mvn -o -pl planner test -Dtest=KeyLookupThroughput -Dduet.throughput=true}.
 */
@EnabledIfSystemProperty(named = "duet.throughput", matches = "true")
class KeyLookupThroughput {
    private static final int ROWS = 1_000_000;

    @Test
    void measure() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false));
                RootAllocator root = new RootAllocator()) {
            try (Transaction tx = store.begin()) {
                TableDef t = tx.createTable(TableDef.builder("acc").column("id", DataType.BIGINT)
                        .column("code", DataType.TEXT).column("balance", DataType.BIGINT).primaryKey("id").build());
                for (long i = 0; i < ROWS; i++) {
                    tx.insert("acc", i, "c" + i, i * 10);
                }
                tx.createIndex(IndexDef.on(t, "acc_code", true, "code"));
                tx.commit();
            }
            SqlFrontEnd frontEnd = new SqlFrontEnd();
            try (Transaction tx = store.begin(true)) {
                PlanNode byKey = plan(frontEnd, tx, "select balance from acc where id = ?");
                PlanNode byIndex = plan(frontEnd, tx, "select balance from acc where code = ?");
                PlanNode byScan = plan(frontEnd, tx, "select balance from acc where balance = 1234570");
                for (int warm = 0; warm < 3; warm++) {
                    time("primary key  ", byKey, root, tx, 200_000, r -> (Object) (long) r.nextInt(ROWS));
                    time("unique index ", byIndex, root, tx, 200_000, r -> "c" + r.nextInt(ROWS));
                    time("full scan    ", byScan, root, tx, 5, r -> null);
                }
            }
        }
    }

    private static PlanNode plan(SqlFrontEnd frontEnd, Transaction tx, String sql) {
        PlanNode p = PhysicalPlanner.plan(((PlannedQuery) frontEnd.planSingle(sql, tx.catalog())).plan());
        System.out.print(p.explain());
        return p;
    }

    private static void time(String label, PlanNode plan, RootAllocator root, Transaction tx, int runs,
            java.util.function.Function<Random, Object> parameter) {
        Random random = new Random(42);
        long rows = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            Object p = parameter.apply(random);
            try (QueryContext context = new QueryContext(root, 64L << 20)) {
                if (p != null) {
                    context.setParameters(p);
                }
                try (Operator op = plan.createOperator(context, tx)) {
                    for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                        rows += b.getRowCount();
                    }
                }
            }
        }
        double micros = (System.nanoTime() - t0) / 1e3 / runs;
        System.out.printf("%s %10.2f us per execution (%d runs, %d rows)%n", label, micros, runs, rows);
    }
}
