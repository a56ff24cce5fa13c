package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The joins against DuckDB: the same rows loaded into DuckDB tables {@code l} and {@code r}, the
 * equivalent SQL run there, row multisets compared exactly. Residual conditions are written twice:
 * as SQL for DuckDB and as a plain-Java {@link RowFilter} for the operator.
 */
class JoinDuckDbDifferentialTest extends OperatorTestBase {
    private static DuckDbOracle duck;

    @BeforeAll
    static void openDuckDb() throws SQLException {
        duck = new DuckDbOracle();
    }

    @AfterAll
    static void closeDuckDb() throws SQLException {
        duck.close();
    }

    /** The SQL DuckDB runs for {@code type} with ON condition {@code on}. */
    private static String sql(JoinType type, String on) {
        return switch (type) {
            case INNER -> "SELECT l.*, r.* FROM l JOIN r ON " + on;
            case LEFT -> "SELECT l.*, r.* FROM l LEFT JOIN r ON " + on;
            case RIGHT -> "SELECT l.*, r.* FROM l RIGHT JOIN r ON " + on;
            case FULL -> "SELECT l.*, r.* FROM l FULL JOIN r ON " + on;
            case SEMI -> "SELECT l.* FROM l WHERE EXISTS (SELECT 1 FROM r WHERE " + on + ")";
            case ANTI -> "SELECT l.* FROM l WHERE NOT EXISTS (SELECT 1 FROM r WHERE " + on + ")";
            case RIGHT_SEMI -> "SELECT r.* FROM r WHERE EXISTS (SELECT 1 FROM l WHERE " + on + ")";
            case RIGHT_ANTI -> "SELECT r.* FROM r WHERE NOT EXISTS (SELECT 1 FROM l WHERE " + on + ")";
        };
    }

    private static List<DataType> outputTypes(JoinType type, List<BatchColumn> left, List<BatchColumn> right) {
        List<DataType> out = new ArrayList<>(type.outputsLeft() ? DuckDbOracle.types(left) : List.of());
        if (type.outputsRight()) {
            out.addAll(DuckDbOracle.types(right));
        }
        return out;
    }

    /** Loads the rows, runs the hash join and DuckDB, compares. */
    private int compareHashJoin(QueryContext ctx, HashJoinSpec spec, String on, List<BatchColumn> leftColumns, List<Object[]> left,
            List<BatchColumn> rightColumns, List<Object[]> right, int batchRows) throws SQLException {
        duck.load("l", leftColumns, left);
        duck.load("r", rightColumns, right);
        List<List<Object>> expected = duck.query(sql(spec.type(), on), outputTypes(spec.type(), leftColumns, rightColumns));
        Operator join = new HashJoinOperator(ctx, spec, RowSource.of(ctx, leftColumns, left, batchRows),
                RowSource.of(ctx, rightColumns, right, batchRows));
        assertSameRows(expected, drain(join), spec + " vs DuckDB: " + sql(spec.type(), on));
        return expected.size();
    }

    static Stream<Arguments> keyTypesAndJoinTypes() {
        List<Arguments> out = new ArrayList<>();
        for (DataType t : TestValues.allTypes()) {
            for (JoinType j : JoinType.values()) {
                out.add(Arguments.of(t, j));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} key, {1} JOIN")
    @MethodSource("keyTypesAndJoinTypes")
    void everyKeyTypeAndJoinType(DataType keyType, JoinType type) throws SQLException {
        QueryContext ctx = context(100);
        Random rnd = new Random(keyType.toString().hashCode() + 17L * type.ordinal());
        List<BatchColumn> left = List.of(TestValues.column("lk", keyType), TestValues.column("a", DataType.INTEGER));
        List<BatchColumn> right = List.of(TestValues.column("b", DataType.INTEGER), TestValues.column("rk", keyType));
        List<Object[]> l = TestValues.rows(left, rnd, 500, 30, 10);
        List<Object[]> r = TestValues.rows(right, rnd, 300, 30, 10);
        HashJoinSpec spec = new HashJoinSpec(type, List.of(new JoinKey(0, 1)));
        compareHashJoin(ctx, spec, "l.lk = r.rk", left, l, right, r, 64);
        RowFilter aLessB = new RowFilter("l.a < r.b", x -> x[1] == null || x[2] == null ? null : (Integer) x[1] < (Integer) x[2], 1, 2);
        compareHashJoin(ctx, spec.withResidual(aLessB), "l.lk = r.rk AND l.a < r.b", left, l, right, r, 64);
    }

    static Stream<Arguments> compositeKeys() {
        return Stream.of(
                Arguments.of(List.of(DataType.INTEGER, DataType.TEXT, DataType.DATE)),
                Arguments.of(List.of(DataType.INTEGER, DataType.SMALLINT, DataType.BOOLEAN)),
                Arguments.of(List.of(DataType.BIGINT, DataType.BIGINT)),
                Arguments.of(List.of(DataType.decimal(38, 6), DataType.BYTEA, DataType.TIMESTAMP)));
    }

    @ParameterizedTest(name = "keys {0}")
    @MethodSource("compositeKeys")
    void compositeKeysOfMixedTypes(List<DataType> keyTypes) throws SQLException {
        QueryContext ctx = context(128);
        Random rnd = new Random(keyTypes.toString().hashCode());
        List<BatchColumn> left = new ArrayList<>();
        List<BatchColumn> right = new ArrayList<>();
        List<JoinKey> keys = new ArrayList<>();
        StringBuilder on = new StringBuilder();
        for (int i = 0; i < keyTypes.size(); i++) {
            left.add(TestValues.column("l" + i, keyTypes.get(i)));
            right.add(TestValues.column("r" + i, keyTypes.get(i)));
            keys.add(new JoinKey(i, i));
            on.append(i == 0 ? "" : " AND ").append("l.l").append(i).append(" = r.r").append(i);
        }
        left.add(TestValues.column("a", DataType.INTEGER));
        right.add(TestValues.column("b", DataType.INTEGER));
        List<Object[]> l = TestValues.rows(left, rnd, 800, 3, 15);
        List<Object[]> r = TestValues.rows(right, rnd, 500, 3, 15);
        int a = keyTypes.size();
        int b = 2 * keyTypes.size() + 1;
        RowFilter residual = new RowFilter("l.a + r.b > 50", x -> x[a] == null || x[b] == null ? null : (Integer) x[a] + (Integer) x[b] > 50, a, b);
        for (JoinType type : JoinType.values()) {
            compareHashJoin(ctx, new HashJoinSpec(type, keys), on.toString(), left, l, right, r, 100);
            compareHashJoin(ctx, new HashJoinSpec(type, keys).withResidual(residual), on + " AND l.a + r.b > 50", left, l, right, r, 100);
        }
    }

    /** Inputs of the larger tests: a BIGINT key, an INTEGER and a TEXT on each side. */
    private static final List<BatchColumn> BIGINT_KEY_LEFT = List.of(TestValues.column("lk", DataType.BIGINT),
            TestValues.column("a", DataType.INTEGER), TestValues.column("s", DataType.TEXT));
    private static final List<BatchColumn> BIGINT_KEY_RIGHT = List.of(TestValues.column("rk", DataType.BIGINT),
            TestValues.column("b", DataType.INTEGER), TestValues.column("t", DataType.TEXT));

    /** 100,000 probe rows against 10,000 build rows, BIGINT keys with NULLs and duplicates, every join type. */
    @Test
    void randomizedLargeJoin() throws SQLException {
        QueryContext ctx = context(4096);
        Random rnd = new Random(20240601);
        List<BatchColumn> left = BIGINT_KEY_LEFT;
        List<BatchColumn> right = BIGINT_KEY_RIGHT;
        List<Object[]> l = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            l.add(row(rnd.nextInt(50) == 0 ? null : (long) rnd.nextInt(15_000), rnd.nextInt(1000), rnd.nextInt(10) == 0 ? null : "s" + rnd.nextInt(500)));
        }
        List<Object[]> r = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            r.add(row(rnd.nextInt(50) == 0 ? null : (long) rnd.nextInt(15_000), rnd.nextInt(1000), "t" + i));
        }
        RowFilter aLessB = new RowFilter("l.a < r.b", x -> x[1] == null || x[4] == null ? null : (Integer) x[1] < (Integer) x[4], 1, 4);
        for (JoinType type : JoinType.values()) {
            HashJoinSpec spec = new HashJoinSpec(type, List.of(new JoinKey(0, 0))).withBuildRowsEstimate(10_000);
            int rows = compareHashJoin(ctx, spec, "l.lk = r.rk", left, l, right, r, 4096);
            // RIGHT_SEMI and RIGHT_ANTI output right rows (10,000, most of which match)
            assertTrue(rows > (type.outputsLeft() ? 10_000 : 100), type + " gives " + rows + " rows");
            compareHashJoin(ctx, spec.withResidual(aLessB), "l.lk = r.rk AND l.a < r.b", left, l, right, r, 4096);
        }
    }

    /** Key distributions that give each layout of {@link JoinHashTable}: dense or sparse, unique or repeated. */
    enum Layout { DENSE_REPEATED, DENSE_UNIQUE, SPARSE_REPEATED, SPARSE_UNIQUE, TEXT, TWO_INTEGERS }

    /**
     * 40,000 build rows (past the threshold of a table built in parts) against 60,000 probe rows,
     * in each key layout, every join type, with and without a residual, and a shared build side
     * built on four threads; NULL keys on both sides, probe keys outside the build side's range,
     * and output batches that cut a row's matches in two.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Layout.class)
    void largeJoinsInEveryTableLayout(Layout layout) throws SQLException {
        QueryContext ctx = context(1000);
        Random rnd = new Random(layout.ordinal() * 7919L + 1);
        boolean text = layout == Layout.TEXT;
        boolean two = layout == Layout.TWO_INTEGERS;
        DataType keyType = text ? DataType.TEXT : two ? DataType.INTEGER : DataType.BIGINT;
        List<BatchColumn> left = new ArrayList<>(List.of(TestValues.column("lk", keyType), TestValues.column("a", DataType.INTEGER)));
        List<BatchColumn> right = new ArrayList<>(List.of(TestValues.column("rk", keyType), TestValues.column("b", DataType.INTEGER),
                TestValues.column("t", DataType.TEXT)));
        if (two) {
            left.add(TestValues.column("lk2", DataType.INTEGER));
            right.add(TestValues.column("rk2", DataType.INTEGER));
        }
        int buildRows = 40_000;
        long[] pool = new long[buildRows];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = switch (layout) {
                case DENSE_REPEATED -> -500 + rnd.nextInt(20_000);
                case DENSE_UNIQUE -> 1_000 + 2L * i;
                default -> rnd.nextLong() >> rnd.nextInt(40);
            };
        }
        boolean unique = layout == Layout.DENSE_UNIQUE || layout == Layout.SPARSE_UNIQUE;
        List<Object[]> r = new ArrayList<>();
        for (int i = 0; i < buildRows; i++) {
            long k = unique ? pool[i] : pool[rnd.nextInt(pool.length / 3)];
            boolean isNull = !unique && rnd.nextInt(40) == 0;
            r.add(keyRow(layout, isNull ? null : k, rnd.nextInt(1000), "t" + i));
        }
        List<Object[]> l = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            long k = rnd.nextInt(3) == 0 ? rnd.nextLong() >> rnd.nextInt(50) : pool[rnd.nextInt(pool.length)];
            l.add(keyRow(layout, rnd.nextInt(40) == 0 ? null : k, rnd.nextInt(1000), null));
        }
        List<JoinKey> keys = new ArrayList<>(List.of(new JoinKey(0, 0)));
        String on = "l.lk = r.rk";
        if (two) {
            keys.add(new JoinKey(2, 3));
            on += " AND l.lk2 = r.rk2";
        }
        RowFilter aLessB = new RowFilter("l.a < r.b", x -> x[1] == null || x[left.size() + 1] == null ? null
                : (Integer) x[1] < (Integer) x[left.size() + 1], 1, left.size() + 1);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            for (JoinType type : JoinType.values()) {
                HashJoinSpec spec = new HashJoinSpec(type, keys).withBuildRowsEstimate(buildRows);
                compareHashJoin(ctx, spec, on, left, l, right, r, 1000);
                compareHashJoin(ctx, spec.withResidual(aLessB), on + " AND l.a < r.b", left, l, right, r, 1000);
                // the same table built in four parts on four threads, probed by two copies of the
                // join as a parallel pipeline's copies probe it, then (RIGHT, FULL, RIGHT_SEMI,
                // RIGHT_ANTI) the build rows by the copies' merged matches
                compareSharedBuild(ctx, spec, on, left, l, right, r, threads);
                compareSharedBuild(ctx, spec.withResidual(aLessB), on + " AND l.a < r.b", left, l, right, r, threads);
            }
        } finally {
            threads.shutdown();
        }
    }

    /**
     * {@code spec} run as a parallel pipeline runs it: one build side made in parts on four
     * threads, two copies of the join probing halves of the left rows, and for joins that output
     * build rows by their matches, the tail after them; compared with DuckDB.
     */
    private void compareSharedBuild(QueryContext ctx, HashJoinSpec spec, String on, List<BatchColumn> left, List<Object[]> l,
            List<BatchColumn> right, List<Object[]> r, ExecutorService threads) throws SQLException {
        List<List<Object>> expected = duck.query(sql(spec.type(), on), outputTypes(spec.type(), left, right));
        int half = l.size() / 2;
        try (SharedHashBuild shared = HashJoinOperator.buildShared(ctx, spec, left, RowSource.of(ctx, right, r, 1000), threads, 4)) {
            List<List<Object>> rows = new ArrayList<>(drain(new HashJoinOperator(ctx, spec,
                    RowSource.of(ctx, left, l.subList(0, half), 1000), shared)));
            rows.addAll(drain(new HashJoinOperator(ctx, spec, RowSource.of(ctx, left, l.subList(half, l.size()), 1000), shared)));
            if (spec.type().tracksRightMatches()) {
                rows.addAll(drain(HashJoinOperator.buildTail(ctx, spec, left, shared)));
            }
            assertSameRows(expected, rows, spec + " built in parts, probed by two copies vs DuckDB: " + sql(spec.type(), on));
        }
    }

    /** A row of {@link #largeJoinsInEveryTableLayout}: the key as the layout stores it, an int, and (build side) a text. */
    private static Object[] keyRow(Layout layout, Long key, int value, String text) {
        return switch (layout) {
            case TEXT -> text == null ? row(key == null ? null : "k" + key, value) : row(key == null ? null : "k" + key, value, text);
            case TWO_INTEGERS -> {
                Integer hi = key == null ? null : (int) (key >> 32);
                Integer lo = key == null ? null : (int) (long) key;
                yield text == null ? row(lo, value, hi) : row(lo, value, text, hi);
            }
            default -> text == null ? row(key, value) : row(key, value, text);
        };
    }

    /**
     * A join asked for some of its output columns ({@link HashJoinSpec#outputs}: here not the
     * keys) gives exactly those columns of the full join, with a residual that reads a column
     * left out of the output, on the join's own build side and on a shared one.
     */
    @Test
    void onlyTheOutputColumnsAsked() throws SQLException {
        QueryContext ctx = context(300);
        Random rnd = new Random(77);
        List<BatchColumn> left = BIGINT_KEY_LEFT;
        List<BatchColumn> right = BIGINT_KEY_RIGHT;
        List<Object[]> l = TestValues.rows(left, rnd, 3000, 400, 12);
        List<Object[]> r = TestValues.rows(right, rnd, 1500, 400, 12);
        duck.load("l", left, l);
        duck.load("r", right, r);
        RowFilter aLessB = new RowFilter("l.a < r.b", x -> x[1] == null || x[4] == null ? null : (Integer) x[1] < (Integer) x[4], 1, 4);
        for (JoinType type : List.of(JoinType.INNER, JoinType.LEFT, JoinType.RIGHT, JoinType.FULL)) {
            String join = switch (type) {
                case LEFT -> "LEFT JOIN";
                case RIGHT -> "RIGHT JOIN";
                case FULL -> "FULL JOIN";
                default -> "JOIN";
            };
            List<DataType> types = List.of(DataType.TEXT, DataType.INTEGER, DataType.TEXT);
            HashJoinSpec spec = new HashJoinSpec(type, List.of(new JoinKey(0, 0))).withOutputs(new int[] {2, 4, 5});
            List<List<Object>> expected = duck.query("SELECT l.s, r.b, r.t FROM l " + join + " r ON l.lk = r.rk", types);
            assertSameRows(expected, drain(new HashJoinOperator(ctx, spec, RowSource.of(ctx, left, l, 300),
                    RowSource.of(ctx, right, r, 300))), type + " with outputs [2, 4, 5]");
            // The residual reads l.a, which is not output.
            HashJoinSpec filtered = spec.withResidual(aLessB);
            expected = duck.query("SELECT l.s, r.b, r.t FROM l " + join + " r ON l.lk = r.rk AND l.a < r.b", types);
            assertSameRows(expected, drain(new HashJoinOperator(ctx, filtered, RowSource.of(ctx, left, l, 300),
                    RowSource.of(ctx, right, r, 300))), type + " with a residual and outputs [2, 4, 5]");
            try (SharedHashBuild shared = HashJoinOperator.buildShared(ctx, filtered, left, RowSource.of(ctx, right, r, 300), null, 1)) {
                List<List<Object>> rows = new ArrayList<>(drain(new HashJoinOperator(ctx, filtered, RowSource.of(ctx, left, l, 300), shared)));
                if (type.tracksRightMatches()) {
                    rows.addAll(drain(HashJoinOperator.buildTail(ctx, filtered, left, shared)));
                }
                assertSameRows(expected, rows, type + " probing a shared build side with outputs [2, 4, 5]");
            }
        }
    }

    @Test
    void nestedLoopJoinsWithARangeCondition() throws SQLException {
        QueryContext ctx = context(256);
        Random rnd = new Random(99);
        List<BatchColumn> left = List.of(TestValues.column("v", DataType.INTEGER), TestValues.column("s", DataType.TEXT));
        List<BatchColumn> right = List.of(TestValues.column("lo", DataType.INTEGER), TestValues.column("hi", DataType.INTEGER));
        List<Object[]> l = TestValues.rows(left, rnd, 600, 60, 12);
        List<Object[]> r = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            int lo = rnd.nextInt(500_000) - 50_000;
            r.add(row(rnd.nextInt(20) == 0 ? null : lo, lo + rnd.nextInt(40_000)));
        }
        duck.load("l", left, l);
        duck.load("r", right, r);
        RowFilter between = new RowFilter("l.v BETWEEN r.lo AND r.hi", x -> x[0] == null || x[2] == null || x[3] == null ? null
                : (Integer) x[2] <= (Integer) x[0] && (Integer) x[0] <= (Integer) x[3], 0, 2, 3);
        for (JoinType type : JoinType.values()) {
            String on = "l.v BETWEEN r.lo AND r.hi";
            List<List<Object>> expected = duck.query(sql(type, on), outputTypes(type, left, right));
            Operator join = new NestedLoopJoinOperator(ctx, new NestedLoopJoinSpec(type, between),
                    RowSource.of(ctx, left, l, 100), RowSource.of(ctx, right, r, 64));
            assertSameRows(expected, drain(join), type + " nested-loop join vs DuckDB");
        }
        List<List<Object>> cross = duck.query("SELECT l.*, r.* FROM l CROSS JOIN r", outputTypes(JoinType.INNER, left, right));
        assertSameRows(cross, drain(new NestedLoopJoinOperator(ctx, NestedLoopJoinSpec.cross(), RowSource.of(ctx, left, l, 100),
                RowSource.of(ctx, right, r, 64))), "cross join vs DuckDB");
    }
}
