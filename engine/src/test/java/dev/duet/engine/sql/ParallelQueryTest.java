package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.assertQueryFails;
import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.core.SqlState;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parallel query execution ({@code duet.threads}) through SQL against DuckDB: a table spread over
 * many sealed row groups and an open segment, read with {@code duet.threads = 2} and morsels of a
 * hundred rows, so every pipeline runs as two copies taking dozens of morsels each. Aggregates
 * (two-phase, with NULLs, FILTER, empty inputs, groups spread over every morsel), aggregates that
 * stay serial above the gather (DISTINCT, variances), plain pipelines, joins and top-N give
 * DuckDB's rows, and the same as {@code duet.threads = 1}. A failing expression in a worker fails
 * the query with its SQLSTATE; LIMIT and an abandoned result stop the workers; every statement's
 * memory is freed (the database's allocator ends at zero).
 */
class ParallelQueryTest {
    private static final int ROWS = 6_000;

    private static Duet db;
    private static Session session;
    private static DuckDbOracle oracle;

    @BeforeAll
    static void load() {
        db = Duet.inMemory(DuetConfig.defaults().withThreads(2).withColumnStore(ColumnStoreOptions.defaults()
                .withSealRows(1_000).withRowGroupRows(128).withScanWait(Duration.ofSeconds(30))));
        session = db.newSession();
        oracle = new DuckDbOracle(session);
        oracle.run("CREATE TABLE m (id BIGINT PRIMARY KEY, g INTEGER, x INTEGER, d DECIMAL(12,2), f DOUBLE PRECISION, "
                + "s VARCHAR(20), b BOOLEAN)");
        oracle.run("CREATE TABLE e (id BIGINT PRIMARY KEY, x INTEGER)");
        for (int from = 0; from < ROWS; from += 500) {
            StringBuilder sql = new StringBuilder("INSERT INTO m VALUES ");
            for (int id = from; id < from + 500; id++) {
                sql.append(id == from ? "" : ", ").append('(').append(id).append(", ")
                        .append(id % 97 == 0 ? "NULL" : Integer.toString(id % 37)).append(", ")
                        .append(id % 11 == 0 ? "NULL" : Integer.toString((id * 7919) % 1000 - 300)).append(", ")
                        .append(id % 13 == 0 ? "NULL" : (id % 5000) + "." + (id % 100)).append(", ")
                        .append(id % 17 == 0 ? "NULL" : Double.toString(id / 7.0)).append(", ")
                        .append(id % 19 == 0 ? "NULL" : "'s" + (id * 31) % 577 + "'").append(", ")
                        .append(id % 23 == 0 ? "NULL" : id % 3 == 0 ? "TRUE" : "FALSE").append(')');
            }
            oracle.run(sql.toString());
        }
        run(session, "SET duet.route = 'column'");
        run(session, "SET duet.morsel_rows = 100");
    }

    @AfterAll
    static void close() {
        try {
            if (oracle != null) {
                oracle.close();
            }
            if (session != null) {
                session.close();
            }
        } finally {
            db.close();
        }
    }

    private static void sameAsDuckDbOnOneAndTwoThreads(String sql) {
        run(session, "SET duet.threads = 2");
        oracle.check(sql);
        List<List<Object>> parallel = sortedRows(sql);
        run(session, "SET duet.threads = 1");
        List<List<Object>> serial = sortedRows(sql);
        run(session, "SET duet.threads = 2");
        assertEquals(serial.size(), parallel.size(), sql);
        assertEquals(0, db.allocator().getAllocatedMemory(), "memory left after " + sql);
    }

    private static List<List<Object>> sortedRows(String sql) {
        return query(session, sql).stream().sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
    }

    private static String explain(String sql) {
        return query(session, "EXPLAIN " + sql).stream().map(r -> (String) r.get(0)).collect(Collectors.joining("\n"));
    }

    @Test
    void groupedAggregatesRunInTwoPhases() {
        String sql = "SELECT g, count(*), count(x), sum(x), avg(x), min(x), max(x), sum(d), avg(d), min(d), max(d), "
                + "sum(f), avg(f), min(s), max(s), bool_and(b), bool_or(b) FROM m GROUP BY g";
        run(session, "SET duet.threads = 2");
        String plan = explain(sql);
        assertTrue(plan.contains("Gather(threads=2"), plan);
        assertTrue(plan.contains("AggregateFinish("), plan);
        sameAsDuckDbOnOneAndTwoThreads(sql);
    }

    @Test
    void globalAggregatesWithFiltersAndNulls() {
        sameAsDuckDbOnOneAndTwoThreads("SELECT count(*), count(x), sum(x), avg(x), min(d), max(d), avg(d), avg(f), "
                + "min(s), max(s) FROM m");
        sameAsDuckDbOnOneAndTwoThreads("SELECT g, count(*) FILTER (WHERE x > 10), sum(x) FILTER (WHERE b), "
                + "avg(d) FILTER (WHERE f > 100) FROM m WHERE id % 3 <> 1 GROUP BY g");
        sameAsDuckDbOnOneAndTwoThreads("SELECT count(*), sum(x), avg(x), min(s) FROM m WHERE x IS NULL");
    }

    @Test
    void emptyInputs() {
        sameAsDuckDbOnOneAndTwoThreads("SELECT count(*), count(x), sum(x), avg(x), max(s) FROM m WHERE id < 0");
        sameAsDuckDbOnOneAndTwoThreads("SELECT g, count(*), avg(f) FROM m WHERE id < 0 GROUP BY g");
        sameAsDuckDbOnOneAndTwoThreads("SELECT count(*), sum(x), avg(x) FROM e");
    }

    @Test
    void aggregatesThatCannotSplitStayAboveTheGather() {
        String distinct = "SELECT g, count(DISTINCT x), sum(x) FROM m GROUP BY g";
        run(session, "SET duet.threads = 2");
        String plan = explain(distinct);
        assertTrue(plan.contains("Gather(threads=2"), plan);
        assertFalse(plan.contains("AggregateFinish("), plan);
        sameAsDuckDbOnOneAndTwoThreads(distinct);
        sameAsDuckDbOnOneAndTwoThreads("SELECT g, stddev_samp(f), var_pop(x) FROM m GROUP BY g");
    }

    @Test
    void pipelinesJoinsAndTopN() {
        sameAsDuckDbOnOneAndTwoThreads("SELECT id, x * 2 + 1, s FROM m WHERE x > 100 AND s LIKE 's1%'");
        sameAsDuckDbOnOneAndTwoThreads("SELECT a.g, count(*), sum(b.x) FROM m a JOIN m b ON a.id = b.id + 1 "
                + "WHERE a.x < b.x GROUP BY a.g");
        String top = "SELECT id, x FROM m WHERE x IS NOT NULL ORDER BY x DESC, id LIMIT 7";
        run(session, "SET duet.threads = 2");
        List<List<Object>> parallel = query(session, top);
        run(session, "SET duet.threads = 1");
        assertEquals(query(session, top), parallel, "same rows in the same order");
        run(session, "SET duet.threads = 2");
        oracle.check(top);
    }

    /**
     * Joins that output build rows after their probe side (RIGHT_SEMI, RIGHT_ANTI, RIGHT, FULL)
     * probe in parallel: every copy marks the build rows it matched, and the build rows come out
     * once by the merged marks; with residuals, NULL keys and build rows nothing matches.
     */
    @Test
    void joinsThatOutputBuildRowsRunTheirProbeInParallel() {
        String small = "(SELECT id, g, x FROM m WHERE id % 50 = 3)";
        String semi = "SELECT a.id, a.x FROM " + small + " a WHERE EXISTS (SELECT 1 FROM m b WHERE b.g = a.g AND b.x > a.x)";
        String anti = "SELECT a.id FROM " + small + " a WHERE NOT EXISTS (SELECT 1 FROM m b WHERE b.g = a.g AND b.x > a.x + 600)";
        String full = "SELECT a.id, b.id FROM " + small + " a FULL JOIN m b ON a.x = b.x AND b.id > a.id";
        String right = "SELECT a.id, b.id, b.s FROM m b RIGHT JOIN " + small + " a ON a.g = b.g AND b.x > a.x + 500";
        run(session, "SET duet.threads = 2");
        String plans = explain(semi) + "\n" + explain(anti) + "\n" + explain(full) + "\n" + explain(right);
        java.util.regex.Matcher gathered = java.util.regex.Pattern
                .compile("Gather\\(threads=2[^\\n]*\\n\\s*HashJoin\\((RIGHT_SEMI|RIGHT_ANTI|RIGHT|FULL),").matcher(plans);
        java.util.Set<String> types = new java.util.TreeSet<>();
        while (gathered.find()) {
            types.add(gathered.group(1));
        }
        assertEquals(java.util.Set.of("FULL", "RIGHT", "RIGHT_ANTI", "RIGHT_SEMI"), types, plans);
        for (String sql : List.of(semi, anti, full, right)) {
            sameAsDuckDbOnOneAndTwoThreads(sql);
        }
    }

    @Test
    void explainAnalyzeShowsTheThreadsThatRan() {
        run(session, "SET duet.threads = 2");
        String text = query(session, "EXPLAIN ANALYZE SELECT g, sum(x) FROM m GROUP BY g").stream()
                .map(r -> (String) r.get(0)).collect(Collectors.joining("\n"));
        assertTrue(text.contains("Gather(threads=2"), text);
        assertTrue(text.contains("threads=2"), text);
        assertEquals(0, db.allocator().getAllocatedMemory());
    }

    @Test
    void aWorkersErrorFailsTheQueryWithItsState() {
        run(session, "SET duet.threads = 2");
        assertQueryFails(session, SqlState.DIVISION_BY_ZERO, "SELECT g, sum(100 / (x - x)) FROM m GROUP BY g");
        assertQueryFails(session, SqlState.DIVISION_BY_ZERO, "SELECT id, 100 / (x - x) FROM m");
        assertEquals(0, db.allocator().getAllocatedMemory(), "memory left after a failed parallel query");
        assertEquals(List.of(List.of((long) ROWS)), query(session, "SELECT count(*) FROM m"), "the session goes on");
    }

    @Test
    void theQuerysMemoryLimitCoversItsWorkers() {
        run(session, "SET duet.threads = 2");
        run(session, "SET duet.memory_limit = '64kB'");
        try {
            assertQueryFails(session, SqlState.OUT_OF_MEMORY, "SELECT g, min(s), max(f), sum(d) FROM m GROUP BY g");
        } finally {
            run(session, "RESET duet.memory_limit");
        }
        assertEquals(0, db.allocator().getAllocatedMemory(), "memory left after a parallel query ran out of memory");
    }

    @Test
    void limitAndAnAbandonedResultStopTheWorkers() {
        run(session, "SET duet.threads = 2");
        assertEquals(5, query(session, "SELECT id, s FROM m LIMIT 5").size());
        assertEquals(0, db.allocator().getAllocatedMemory());
        try (Result r = session.execute("SELECT id, f FROM m WHERE f > 1")) {
            VectorSchemaRoot first = r.nextBatch();
            assertNotNull(first);
        }
        assertEquals(0, db.allocator().getAllocatedMemory(), "memory left after closing a result early");
    }

    @Test
    void aStatementTimeoutStopsAParallelQuery() {
        run(session, "SET duet.threads = 2");
        run(session, "SET statement_timeout = 50");
        try {
            assertQueryFails(session, SqlState.QUERY_CANCELED,
                    "SELECT count(*) FROM m a JOIN m b ON a.x < b.x JOIN m c ON b.x < c.x");
        } finally {
            run(session, "SET statement_timeout = 0");
        }
        assertEquals(0, db.allocator().getAllocatedMemory());
    }

    @Test
    void theSettingReadsBackAndOneThreadMeansTheSerialPlan() {
        run(session, "SET duet.threads = 3");
        assertEquals(List.of(List.of("3")), query(session, "SHOW duet.threads"));
        run(session, "SET duet.threads = 1");
        assertFalse(explain("SELECT g, sum(x) FROM m GROUP BY g").contains("Gather"));
        SqlTestSupport.assertFails(SqlState.INVALID_PARAMETER_VALUE, () -> run(session, "SET duet.threads = 0"));
        run(session, "RESET duet.threads");
        assertEquals(List.of(List.of("2")), query(session, "SHOW duet.threads"), "the database's default");
    }
}
