package dev.duet.datasets.tpch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.exec.QueryProfile;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.SqlFrontEnd;
import dev.duet.planner.TpchQueries;
import dev.duet.planner.catalog.CatalogSchema;
import dev.duet.planner.exec.OracleValues;
import dev.duet.planner.exec.PhysicalPlanner;
import dev.duet.planner.exec.parallel.GatherNode;
import dev.duet.planner.exec.parallel.Parallelism;
import dev.duet.planner.exec.parallel.Parallelizer;
import dev.duet.planner.exec.plan.PlanNode;
import dev.duet.planner.exec.route.RouteMode;
import dev.duet.planner.exec.route.ScanRouting;
import dev.duet.rowstore.Transaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The 22 TPC-H queries at SF 0.01, end to end: SQL text → {@link SqlFrontEnd} (join order from
 * the tables' row counts) → {@link PhysicalPlanner} → operators over a {@link Duet} transaction,
 * against the same queries in DuckDB over the same data. Same rows, in the same order where the
 * query orders (all but the one-row queries do); numbers equal, doubles within 1e-9 relative.
 * Each query runs twice, its scans routed to the row store and to the column store (whose small
 * seal threshold here puts most rows in sealed Parquet segments and the rest in open ones), so
 * both stores give DuckDB's answer; and a third time on the column store in parallel (the plan
 * made parallel for 2 threads, in-memory segments cut into morsels of 500 rows, sealed ones one
 * morsel per row group), where every scan pipeline runs as two copies on two threads. Every query
 * runs under its own allocator (the parallel workers' allocators under it), which must end at zero
 * bytes.
 */
class TpchQueriesDuckDbDifferentialTest {
    private static final double SF = 0.01;
    private static final Pattern ORDER_BY = Pattern.compile("(?is)\\border\\s+by\\b(?!.*\\))");

    private static Duet duet;
    private static Connection duck;
    private static RootAllocator allocator;
    private static SqlFrontEnd frontEnd;
    private static ExecutorService workers;

    @BeforeAll
    static void load() throws Exception {
        // small segments and row groups: most rows sealed into Parquet files, some still open
        duet = Duet.inMemory(DuetConfig.defaults().withColumnStore(ColumnStoreOptions.defaults().withSealRows(8_192).withRowGroupRows(1_024).withScanWait(Duration.ofSeconds(30))));
        TpchLoader.load(duet, SF);
        duck = DriverManager.getConnection("jdbc:duckdb:");
        DuckDbTpch.load(duck, SF);
        try (Statement s = duck.createStatement()) {
            // PostgreSQL's order, which Duet follows: NULL is larger than every value
            s.execute("SET default_null_order = 'nulls_last_on_asc_first_on_desc'");
        }
        allocator = new RootAllocator();
        workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "tpch-test-worker");
            t.setDaemon(true);
            return t;
        });
        Map<String, Long> counts = new HashMap<>();
        try (Transaction tx = duet.begin(true)) {
            for (String table : TpchSchema.TABLE_NAMES) {
                counts.put(table, tx.count(table));
            }
        }
        CatalogSchema.RowCounts rowCounts = (TableDef t) -> counts.containsKey(t.name())
                ? OptionalDouble.of(counts.get(t.name())) : OptionalDouble.empty();
        frontEnd = new SqlFrontEnd(rowCounts);
    }

    /** The threads the first gather of {@code plan} reported running (EXPLAIN ANALYZE's detail). */
    private static long gatherThreads(PlanNode plan, QueryProfile profile) {
        if (plan instanceof GatherNode) {
            return profile.of(plan).details().getOrDefault("threads", 0L);
        }
        for (PlanNode input : plan.inputs()) {
            long t = gatherThreads(input, profile);
            if (t > 0) {
                return t;
            }
        }
        return 0;
    }

    @AfterAll
    static void close() throws Exception {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (duck != null) {
            duck.close();
        }
        if (duet != null) {
            duet.close();
        }
        if (allocator != null) {
            allocator.close();
        }
    }

    static Stream<Arguments> queries() {
        return IntStream.rangeClosed(1, 22).boxed()
                .flatMap(n -> Stream.of(Arguments.of(n, RouteMode.ROW, 1), Arguments.of(n, RouteMode.COLUMN, 1),
                        Arguments.of(n, RouteMode.COLUMN, 2)));
    }

    @ParameterizedTest(name = "q{0} {1} threads={2}")
    @MethodSource("queries")
    void sameResultAsDuckDb(int n, RouteMode route, int threads) throws Exception {
        String sql = TpchQueries.query(n);
        long start = System.nanoTime();
        List<Object[]> expected = duck(sql);
        long duckNanos = System.nanoTime() - start;
        List<Object[]> actual = new ArrayList<>();
        String explain;
        start = System.nanoTime();
        try (Transaction tx = duet.begin(true)) {
            PlannedQuery q = (PlannedQuery) frontEnd.planSingle(sql, tx.catalog());
            PlanNode plan = Parallelizer.parallelize(PhysicalPlanner.plan(q.plan(), route != RouteMode.COLUMN), threads);
            explain = plan.explain();
            if (threads > 1) {
                assertTrue(explain.contains("Gather(threads=" + threads), explain);
            }
            QueryContext context = new QueryContext(allocator, 512L << 20);
            ScanRouting routing = new ScanRouting(route, duet.columnScans());
            context.attach(ScanRouting.class, routing);
            QueryProfile profile = new QueryProfile();
            if (threads > 1) {
                context.attach(Parallelism.class, new Parallelism(workers, 500));
                context.setProfile(profile);
            }
            for (String table : TpchSchema.TABLE_NAMES) {
                // the column route must really read the column store, not fall back to the row store
                assertEquals(route == RouteMode.COLUMN, routing.route(tx.table(table), tx).column(), table);
            }
            try {
                try (Operator op = plan.createOperator(context, tx)) {
                    for (VectorSchemaRoot batch = op.next(); batch != null; batch = op.next()) {
                        actual.addAll(Batches.rows(batch));
                    }
                }
            } finally {
                context.close(); // fails if any Arrow memory is left
            }
            if (threads > 1 && (n == 1 || n == 6)) {
                // the aggregation queries really ran on two threads, end to end
                assertEquals(threads, gatherThreads(plan, profile), explain);
            }
        }
        // reported, never asserted: a rough view of where the executor stands
        System.out.printf("TPC-H SF %s q%d (%s, %d threads): %d rows, Duet %d ms (planning included), DuckDB %d ms%n", SF, n, route, threads,
                actual.size(), (System.nanoTime() - start) / 1_000_000, duckNanos / 1_000_000);
        assertFalse(expected.isEmpty(), "q" + n + " returns no rows in DuckDB: the comparison would be empty");
        boolean ordered = ORDER_BY.matcher(sql).find();
        compare("q" + n, ordered ? expected : sorted(expected), ordered ? actual : sorted(actual), explain);
    }

    private static void compare(String name, List<Object[]> expected, List<Object[]> actual, String explain) {
        if (expected.size() != actual.size()) {
            fail(name + ": DuckDB returned " + expected.size() + " rows, Duet " + actual.size() + "\n" + explain);
        }
        for (int r = 0; r < expected.size(); r++) {
            Object[] e = expected.get(r);
            Object[] a = actual.get(r);
            assertEquals(e.length, a.length, name + ": column count");
            for (int c = 0; c < e.length; c++) {
                if (!OracleValues.same(e[c], a[c])) {
                    fail(name + " row " + r + " column " + (c + 1) + ": DuckDB " + e[c] + ", Duet " + a[c]
                            + "\nDuckDB row " + Arrays.toString(e) + "\nDuet row   " + Arrays.toString(a) + "\n" + explain);
                }
            }
        }
    }

    private static List<Object[]> duck(String sql) throws Exception {
        List<Object[]> out = new ArrayList<>();
        try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int c = 0; c < n; c++) {
                    row[c] = md.getColumnTypeName(c + 1).equals("DATE")
                            ? rs.getObject(c + 1, LocalDate.class) : rs.getObject(c + 1);
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Rows in a canonical order, for queries without ORDER BY (one-row queries in TPC-H). */
    private static List<Object[]> sorted(List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing(Arrays::toString));
        return out;
    }
}
