package dev.duet.planner.exec.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of the operators on generated input, printed, never asserted (Duet measures
 * performance in the jmh module). Off by default; run with
 * {@code mvn -pl planner test -Dtest=OperatorThroughput -Dduet.throughput=true} (add
 * {@code -Dduet.throughput.only=agg} to run the cases whose name starts so). DuckDB runs
 * the equivalent query on the same rows in the same JVM (threads=1), for a same-run ratio.
 */
@EnabledIfSystemProperty(named = "duet.throughput", matches = "true")
class OperatorThroughput extends OperatorTestBase {
    private static final long ROWS = 1_000_000;
    private static final int RUNS = Integer.getInteger("duet.throughput.runs", 7);

    private static final List<BatchColumn> COLUMNS = List.of(
            new BatchColumn("k", DataType.INTEGER, false),
            new BatchColumn("s", DataType.TEXT, false),
            new BatchColumn("x", DataType.BIGINT, false),
            new BatchColumn("y", DataType.DOUBLE, false),
            new BatchColumn("r", DataType.BIGINT, false));
    private static final long[] CARDINALITY = {1000, 1000, 1_000_000, 1_000_000, Long.MAX_VALUE / 4};

    private long rowsOut;

    private SyntheticOperator input(QueryContext q) {
        return new SyntheticOperator(q, COLUMNS, CARDINALITY, ROWS);
    }

    /**
     * Median milliseconds of the timed runs after two warm-ups. The input batches are generated
     * before the clock starts; the operator's own output batches are counted.
     */
    private double time(String name, java.util.function.BiFunction<QueryContext, Operator, Operator> plan) {
        String only = System.getProperty("duet.throughput.only");
        if (only != null && !name.startsWith(only)) {
            return Double.NaN;
        }
        double[] ms = new double[RUNS];
        for (int run = -2; run < RUNS; run++) {
            try (QueryContext q = new QueryContext(root, name, 1L << 31)) {
                Operator in = input(q).prebuild();
                long t0 = System.nanoTime();
                long n = 0;
                try (Operator op = plan.apply(q, in)) {
                    for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                        n += b.getRowCount();
                    }
                }
                long t1 = System.nanoTime();
                rowsOut = n;
                if (run >= 0) {
                    ms[run] = (t1 - t0) / 1e6;
                }
            }
        }
        Arrays.sort(ms);
        return ms[RUNS / 2];
    }

    private void report(String name, double ms, String duckSql) throws Exception {
        if (Double.isNaN(ms)) {
            return;
        }
        String duck = "";
        if (duckSql != null) {
            double d = duckDb(duckSql);
            duck = String.format("   DuckDB %.1f ms (ratio %.2f)", d, ms / d);
        }
        System.out.printf("%-48s %8.1f ms  %6.1f M rows/s  (%d rows out)%s%n", name, ms, ROWS / ms / 1000, rowsOut, duck);
    }

    private Connection duck;

    private double duckDb(String sql) throws Exception {
        if (duck == null) {
            duck = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = duck.createStatement()) {
                s.execute("SET threads = 1");
                s.execute("CREATE TABLE t (k INTEGER, s VARCHAR, x BIGINT, y DOUBLE, r BIGINT)");
            }
            try (QueryContext q = new QueryContext(root, "load", 1L << 30); SyntheticOperator in = input(q);
                    var a = ((org.duckdb.DuckDBConnection) duck).createAppender(org.duckdb.DuckDBConnection.DEFAULT_SCHEMA, "t")) {
                for (VectorSchemaRoot b = in.next(); b != null; b = in.next()) {
                    for (int i = 0; i < b.getRowCount(); i++) {
                        a.beginRow();
                        a.append(((org.apache.arrow.vector.IntVector) b.getVector(0)).get(i));
                        a.append(new String(((org.apache.arrow.vector.VarCharVector) b.getVector(1)).get(i),
                                java.nio.charset.StandardCharsets.UTF_8));
                        a.append(((org.apache.arrow.vector.BigIntVector) b.getVector(2)).get(i));
                        a.append(((org.apache.arrow.vector.Float8Vector) b.getVector(3)).get(i));
                        a.append(((org.apache.arrow.vector.BigIntVector) b.getVector(4)).get(i));
                        a.endRow();
                    }
                }
            }
        }
        double[] ms = new double[RUNS];
        for (int run = -2; run < RUNS; run++) {
            long t0 = System.nanoTime();
            try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    rs.getObject(1);
                }
            }
            if (run >= 0) {
                ms[run] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[RUNS / 2];
    }

    @Test
    void throughput() throws Exception {
        System.out.printf("%d rows, batch size %d, %s, %d processors%n", ROWS, context.batchSize(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        report("input only (handing out prebuilt batches)", time("scan", (q, in) -> in), null);

        AggregateSpec intKey = new AggregateSpec(List.of(0), List.of(AggregateCall.countStar("n"),
                AggregateCall.of(AggregateKind.SUM, 2, "sx", DataType.decimal(38, 0)),
                AggregateCall.of(AggregateKind.AVG, 3, "ay", DataType.DOUBLE),
                AggregateCall.of(AggregateKind.MIN, 2, "mx", DataType.BIGINT),
                AggregateCall.of(AggregateKind.MAX, 3, "my", DataType.DOUBLE)));
        double aggInt = time("agg-int", (q, in) -> new HashAggregateOperator(q, in, intKey));
        report("GROUP BY int (1k groups): count,sum,avg,min,max", aggInt,
                "SELECT k, count(*), sum(x), avg(y), min(x), max(y) FROM t GROUP BY k");
        if (!Double.isNaN(aggInt)) {
            assertEquals(1000, rowsOut);
        }
        AggregateSpec strKey = new AggregateSpec(List.of(1), intKey.aggregates());
        report("GROUP BY varchar (1k groups): same aggregates", time("agg-str", (q, in) -> new HashAggregateOperator(q, in, strKey)),
                "SELECT s, count(*), sum(x), avg(y), min(x), max(y) FROM t GROUP BY s");
        AggregateSpec twoKeys = new AggregateSpec(List.of(0, 1), List.of(AggregateCall.countStar("n"),
                AggregateCall.of(AggregateKind.SUM, 3, "sy", DataType.DOUBLE)));
        report("GROUP BY int, varchar (~630k groups): count,sum",
                time("agg-2", (q, in) -> new HashAggregateOperator(q, in, twoKeys)),
                "SELECT count(*) FROM (SELECT k, s, count(*), sum(y) FROM t GROUP BY k, s)");
        AggregateSpec distinct = new AggregateSpec(List.of(0), List.of(
                AggregateCall.distinct(AggregateKind.COUNT, 1, "ds", DataType.BIGINT)));
        report("GROUP BY int: count(DISTINCT varchar)", time("agg-d", (q, in) -> new HashAggregateOperator(q, in, distinct)),
                "SELECT k, count(DISTINCT s) FROM t GROUP BY k");

        SortSpec byBigint = new SortSpec(List.of(SortKey.asc(4)));
        report("ORDER BY bigint (1M distinct)", time("sort-big", (q, in) -> new SortOperator(q, in, byBigint)),
                "SELECT max(n) FROM (SELECT row_number() OVER (ORDER BY r) AS n FROM t)");
        SortSpec byStr = new SortSpec(List.of(SortKey.asc(1), SortKey.desc(2)));
        report("ORDER BY varchar, bigint DESC", time("sort-str", (q, in) -> new SortOperator(q, in, byStr)), null);
        TopNSpec top = new TopNSpec(List.of(SortKey.desc(4)), 100, 0);
        report("ORDER BY bigint DESC LIMIT 100 (top-N)", time("topn", (q, in) -> new TopNOperator(q, in, top)),
                "SELECT * FROM t ORDER BY r DESC LIMIT 100");
        if (duck != null) {
            duck.close();
        }
    }
}
