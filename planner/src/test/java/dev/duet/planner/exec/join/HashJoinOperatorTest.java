package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class HashJoinOperatorTest extends OperatorTestBase {
    private static final List<BatchColumn> LEFT = List.of(
            TestValues.column("lk", DataType.BIGINT), TestValues.column("a", DataType.INTEGER), TestValues.column("s", DataType.TEXT));
    private static final List<BatchColumn> RIGHT = List.of(
            TestValues.column("rk", DataType.BIGINT), TestValues.column("b", DataType.INTEGER), TestValues.column("t", DataType.TEXT));

    /** Runs the join over the rows (in batches of the given sizes) and compares with the reference join. */
    private void check(QueryContext ctx, HashJoinSpec spec, List<BatchColumn> leftColumns, List<Object[]> left, int leftBatch,
            List<BatchColumn> rightColumns, List<Object[]> right, int rightBatch, Predicate<Object[]> condition) {
        List<DataType> keyTypes = new ArrayList<>();
        for (JoinKey k : spec.keys()) {
            keyTypes.add(leftColumns.get(k.left()).type());
        }
        List<Object[]> expected = ReferenceJoin.join(spec.type(), left, right, leftColumns.size(), rightColumns.size(),
                spec.keys(), keyTypes, condition);
        Operator join = new HashJoinOperator(ctx, spec, RowSource.of(ctx, leftColumns, left, leftBatch),
                RowSource.of(ctx, rightColumns, right, rightBatch));
        assertSameRows(normalizeAll(expected), drain(join), spec + " batch size " + ctx.batchSize());
    }

    private static List<Object[]> leftRows() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Long key = i % 9 == 0 ? null : (long) (i % 13);
            rows.add(row(key, i, i % 4 == 0 ? null : "l" + i));
        }
        return rows;
    }

    private static List<Object[]> rightRows() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Long key = i % 7 == 0 ? null : (long) (i % 17);
            rows.add(row(key, i * 2, "r" + i));
        }
        return rows;
    }

    @Test
    void innerJoinOnBigintWithDuplicatesAndNullKeys() {
        QueryContext ctx = context(4096);
        List<Object[]> left = List.of(row(1L, 10, "a"), row(2L, 20, "b"), row(null, 30, "c"), row(2L, 40, "d"), row(5L, 50, "e"));
        List<Object[]> right = List.of(row(2L, 200, "x"), row(null, 300, "y"), row(1L, 100, "z"), row(2L, 201, "w"), row(7L, 700, "v"));
        Operator join = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(0, 0))),
                RowSource.of(ctx, LEFT, left, 2), RowSource.of(ctx, RIGHT, right, 2));
        assertSameRows(List.of(
                list(1L, 10, "a", 1L, 100, "z"),
                list(2L, 20, "b", 2L, 200, "x"), list(2L, 20, "b", 2L, 201, "w"),
                list(2L, 40, "d", 2L, 200, "x"), list(2L, 40, "d", 2L, 201, "w")), drain(join), "inner join");
    }

    @Test
    void outerJoinsNullExtendTheUnmatchedSideAndNullKeysNeverMatch() {
        QueryContext ctx = context(4096);
        List<Object[]> left = List.of(row(1L, 10, "a"), row(null, 30, "c"), row(5L, 50, "e"));
        List<Object[]> right = List.of(row(null, 300, "y"), row(1L, 100, "z"), row(7L, 700, "v"));
        HashJoinSpec full = new HashJoinSpec(JoinType.FULL, List.of(new JoinKey(0, 0)));
        assertSameRows(List.of(
                list(1L, 10, "a", 1L, 100, "z"),
                list(null, 30, "c", null, null, null),
                list(5L, 50, "e", null, null, null),
                list(null, null, null, null, 300, "y"),
                list(null, null, null, 7L, 700, "v")),
                drain(new HashJoinOperator(ctx, full, RowSource.of(ctx, LEFT, left, 1), RowSource.of(ctx, RIGHT, right, 1))),
                "full join");
        HashJoinSpec anti = new HashJoinSpec(JoinType.ANTI, List.of(new JoinKey(0, 0)));
        assertSameRows(List.of(list(null, 30, "c"), list(5L, 50, "e")),
                drain(new HashJoinOperator(ctx, anti, RowSource.of(ctx, LEFT, left, 1), RowSource.of(ctx, RIGHT, right, 1))),
                "anti join keeps the NULL-key row (NOT EXISTS)");
    }

    @Test
    void residualDecidesMatchingBeforeNullExtension() {
        // SELECT * FROM l LEFT JOIN r ON l.k = r.k AND r.b > 5
        QueryContext ctx = context(4096);
        List<Object[]> left = List.of(row(1L, 10, "a"), row(2L, 20, "b"), row(3L, 30, "c"));
        List<Object[]> right = List.of(row(1L, 3, "x"), row(2L, 4, "y"), row(2L, 9, "z"), row(3L, null, "n"));
        RowFilter bOver5 = new RowFilter("r.b > 5", r -> r[4] == null ? null : (Integer) r[4] > 5, 4);
        HashJoinSpec spec = new HashJoinSpec(JoinType.LEFT, List.of(new JoinKey(0, 0))).withResidual(bOver5);
        assertSameRows(List.of(
                list(1L, 10, "a", null, null, null),
                list(2L, 20, "b", 2L, 9, "z"),
                list(3L, 30, "c", null, null, null)),
                drain(new HashJoinOperator(ctx, spec, RowSource.of(ctx, LEFT, left, 2), RowSource.of(ctx, RIGHT, right, 3))),
                "left join with residual");
        HashJoinSpec semi = new HashJoinSpec(JoinType.SEMI, List.of(new JoinKey(0, 0))).withResidual(bOver5);
        assertSameRows(List.of(list(2L, 20, "b")),
                drain(new HashJoinOperator(ctx, semi, RowSource.of(ctx, LEFT, left, 2), RowSource.of(ctx, RIGHT, right, 3))),
                "semi join with residual");
        HashJoinSpec right2 = new HashJoinSpec(JoinType.RIGHT, List.of(new JoinKey(0, 0))).withResidual(bOver5);
        assertSameRows(List.of(
                list(null, null, null, 1L, 3, "x"),
                list(null, null, null, 2L, 4, "y"),
                list(2L, 20, "b", 2L, 9, "z"),
                list(null, null, null, 3L, null, "n")),
                drain(new HashJoinOperator(ctx, right2, RowSource.of(ctx, LEFT, left, 2), RowSource.of(ctx, RIGHT, right, 3))),
                "right join with residual");
    }

    static Stream<Arguments> typesAndBatchSizes() {
        List<Arguments> out = new ArrayList<>();
        for (JoinType t : JoinType.values()) {
            for (int batchSize : new int[] {1, 3, 16, 4096}) {
                out.add(Arguments.of(t, batchSize));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} JOIN, batch size {1}")
    @MethodSource("typesAndBatchSizes")
    void everyJoinTypeMatchesTheReference(JoinType type, int batchSize) {
        QueryContext ctx = context(batchSize);
        HashJoinSpec spec = new HashJoinSpec(type, List.of(new JoinKey(0, 0)));
        check(ctx, spec, LEFT, leftRows(), 7, RIGHT, rightRows(), 4, null);
        // A residual comparing both sides, and one that reads only the right side.
        RowFilter aLessB = new RowFilter("l.a < r.b", r -> r[1] == null || r[4] == null ? null : (Integer) r[1] < (Integer) r[4]);
        check(ctx, spec.withResidual(aLessB), LEFT, leftRows(), 7, RIGHT, rightRows(), 4, aLessB.accepts());
        RowFilter tOdd = new RowFilter("r.b % 4 = 2", r -> r[4] == null ? null : (Integer) r[4] % 4 == 2, 4);
        check(ctx, spec.withResidual(tOdd), LEFT, leftRows(), 5, RIGHT, rightRows(), 30, tOdd.accepts());
    }

    @ParameterizedTest(name = "{0} JOIN")
    @EnumSource(JoinType.class)
    void emptySides(JoinType type) {
        QueryContext ctx = context(8);
        HashJoinSpec spec = new HashJoinSpec(type, List.of(new JoinKey(0, 0)));
        check(ctx, spec, LEFT, leftRows(), 7, RIGHT, List.of(), 4, null);
        check(ctx, spec, LEFT, List.of(), 7, RIGHT, rightRows(), 4, null);
        check(ctx, spec, LEFT, List.of(), 7, RIGHT, List.of(), 4, null);
        // Only NULL keys on the build side: a table with rows but no entries.
        List<Object[]> nullKeys = List.of(row(null, 1, "x"), row(null, 2, "y"));
        check(ctx, spec, LEFT, leftRows(), 7, RIGHT, nullKeys, 1, null);
    }

    static Stream<Arguments> keyTypes() {
        List<Arguments> out = new ArrayList<>();
        for (DataType t : TestValues.allTypes()) {
            for (JoinType j : JoinType.values()) {
                out.add(Arguments.of(t, j));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} key, {1} JOIN")
    @MethodSource("keyTypes")
    void everyKeyTypeMatchesTheReference(DataType keyType, JoinType type) {
        QueryContext ctx = context(64);
        Random rnd = new Random(keyType.hashCode() * 31L + type.ordinal());
        List<BatchColumn> left = List.of(TestValues.column("lk", keyType), TestValues.column("a", DataType.INTEGER));
        List<BatchColumn> right = List.of(TestValues.column("b", DataType.INTEGER), TestValues.column("rk", keyType));
        List<Object[]> l = TestValues.rows(left, rnd, 300, 40, 8);
        List<Object[]> r = TestValues.rows(right, rnd, 200, 40, 8);
        HashJoinSpec spec = new HashJoinSpec(type, List.of(new JoinKey(0, 1)));
        check(ctx, spec, left, l, 50, right, r, 33, null);
        RowFilter aLessB = new RowFilter("l.a < r.b", x -> x[1] == null || x[2] == null ? null : (Integer) x[1] < (Integer) x[2], 1, 2);
        check(ctx, spec.withResidual(aLessB), left, l, 50, right, r, 33, aLessB.accepts());
    }

    static Stream<Arguments> compositeKeys() {
        return Stream.of(
                // packed into one long: 32 + 16 + 1 bits
                Arguments.of(List.of(DataType.INTEGER, DataType.SMALLINT, DataType.BOOLEAN)),
                Arguments.of(List.of(DataType.INTEGER, DataType.DATE)),
                Arguments.of(List.of(DataType.REAL, DataType.INTEGER)),
                // hashed and compared column by column
                Arguments.of(List.of(DataType.BIGINT, DataType.BIGINT)),
                Arguments.of(List.of(DataType.INTEGER, DataType.TEXT, DataType.DATE)),
                Arguments.of(List.of(DataType.decimal(38, 6), DataType.BYTEA)),
                Arguments.of(List.of(DataType.TIMESTAMP, DataType.DOUBLE, DataType.decimal(12, 2), DataType.BOOLEAN)));
    }

    @ParameterizedTest(name = "keys {0}")
    @MethodSource("compositeKeys")
    void compositeKeysOfMixedTypes(List<DataType> keyTypes) {
        QueryContext ctx = context(32);
        Random rnd = new Random(keyTypes.hashCode());
        List<BatchColumn> left = new ArrayList<>();
        List<BatchColumn> right = new ArrayList<>();
        List<JoinKey> keys = new ArrayList<>();
        right.add(TestValues.column("b", DataType.INTEGER));
        for (int i = 0; i < keyTypes.size(); i++) {
            left.add(TestValues.column("l" + i, keyTypes.get(i)));
            right.add(TestValues.column("r" + i, keyTypes.get(i)));
            keys.add(new JoinKey(i, keyTypes.size() - i)); // the right side lists its keys in reverse
        }
        Collections.reverse(right.subList(1, right.size()));
        // Few distinct values per column, so that whole composite keys repeat.
        List<Object[]> l = TestValues.rows(left, rnd, 400, 3, 12);
        List<Object[]> r = TestValues.rows(right, rnd, 300, 3, 12);
        for (JoinType type : JoinType.values()) {
            check(ctx, new HashJoinSpec(type, keys), left, l, 64, right, r, 50, null);
        }
    }

    @Test
    void floatKeysCompareAsSqlDoes() {
        // -0.0 = 0.0 and NaN = NaN (PostgreSQL and DuckDB); NULL never matches.
        QueryContext ctx = context(4096);
        List<BatchColumn> cols = List.of(TestValues.column("d", DataType.DOUBLE), TestValues.column("f", DataType.REAL));
        List<Object[]> left = List.of(row(-0.0, -0.0f), row(Double.NaN, Float.NaN), row(1.5, 1.5f), row(null, null));
        List<Object[]> right = List.of(row(0.0, 0.0f), row(Double.longBitsToDouble(0x7ff8000000000001L), Float.intBitsToFloat(0x7fc00001)),
                row(null, null));
        for (int k = 0; k < 2; k++) {
            List<Object[]> joined = new ArrayList<>();
            Operator join = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(k, k))),
                    RowSource.of(ctx, cols, left, 4), RowSource.of(ctx, cols, right, 4));
            List<List<Object>> rows = drain(join);
            assertEquals(2, rows.size(), "column " + k + ": " + rows);
            joined.clear();
        }
        // Packed pair of REAL and INTEGER, and hashed DOUBLE with a string.
        List<BatchColumn> two = List.of(TestValues.column("f", DataType.REAL), TestValues.column("s", DataType.TEXT));
        Operator join = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.SEMI, List.of(new JoinKey(0, 0), new JoinKey(1, 1))),
                RowSource.of(ctx, two, List.of(row(-0.0f, "x"), row(Float.NaN, "y")), 4),
                RowSource.of(ctx, two, List.of(row(0.0f, "x"), row(Float.NaN, "y")), 4));
        assertEquals(2, drain(join).size());
    }

    @Test
    void manyMatchesPerProbeRowSpanOutputBatches() {
        QueryContext ctx = context(64);
        List<Object[]> right = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            right.add(row(i % 2 == 0 ? 7L : 8L, i, "r" + i));
        }
        List<Object[]> left = List.of(row(7L, 1, "a"), row(9L, 2, "b"), row(8L, 3, "c"), row(7L, 4, "d"));
        for (JoinType type : JoinType.values()) {
            check(ctx, new HashJoinSpec(type, List.of(new JoinKey(0, 0))), LEFT, left, 3, RIGHT, right, 100, null);
            RowFilter bOdd = new RowFilter("r.b % 3 = 0", r -> (Integer) r[4] % 3 == 0, 4);
            check(ctx, new HashJoinSpec(type, List.of(new JoinKey(0, 0))).withResidual(bOdd), LEFT, left, 3, RIGHT, right, 100,
                    bOdd.accepts());
        }
    }

    @Test
    void outputColumnsAreLeftThenRightAndOuterSidesBecomeNullable() {
        QueryContext ctx = context(16);
        List<BatchColumn> notNull = List.of(new BatchColumn("k", DataType.BIGINT, false));
        try (Operator left = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.LEFT, List.of(new JoinKey(0, 0))),
                RowSource.of(ctx, notNull, List.of(), 1), RowSource.of(ctx, RIGHT, List.of(), 1))) {
            assertEquals(List.of(new BatchColumn("k", DataType.BIGINT, false), RIGHT.get(0), RIGHT.get(1), RIGHT.get(2)), left.columns());
        }
        try (Operator right = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.RIGHT, List.of(new JoinKey(0, 0))),
                RowSource.of(ctx, notNull, List.of(), 1), RowSource.of(ctx, notNull, List.of(), 1))) {
            assertEquals(List.of(new BatchColumn("k", DataType.BIGINT, true), new BatchColumn("k", DataType.BIGINT, false)),
                    right.columns());
        }
        try (Operator semi = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.SEMI, List.of(new JoinKey(0, 0))),
                RowSource.of(ctx, notNull, List.of(), 1), RowSource.of(ctx, RIGHT, List.of(), 1))) {
            assertEquals(notNull, semi.columns());
        }
    }

    @Test
    void keysOfDifferentTypesOrOutOfRangeAreRefused() {
        QueryContext ctx = context(16);
        RowSource l = RowSource.of(ctx, LEFT, List.of(), 1);
        RowSource r = RowSource.of(ctx, RIGHT, List.of(), 1);
        assertThrows(IllegalArgumentException.class,
                () -> new HashJoinOperator(ctx, new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(0, 1))), l, r));
        assertThrows(IllegalArgumentException.class,
                () -> new HashJoinOperator(ctx, new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(3, 0))), l, r));
        assertThrows(IllegalArgumentException.class, () -> new HashJoinSpec(JoinType.INNER, List.of()));
        l.close();
        r.close();
    }

    @Test
    void closeIsIdempotentClosesInputsAndForbidsFurtherUse() {
        QueryContext ctx = context(4);
        RowSource l = RowSource.of(ctx, LEFT, leftRows(), 7);
        RowSource r = RowSource.of(ctx, RIGHT, rightRows(), 7);
        HashJoinOperator join = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.FULL, List.of(new JoinKey(0, 0))), l, r);
        assertTrue(join.next().getRowCount() > 0); // mid-stream: build side and a probe batch held
        join.close();
        join.close();
        assertTrue(l.closeCount >= 1 && r.closeCount >= 1, "inputs closed");
        assertThrows(IllegalStateException.class, join::next);
    }

    @Test
    void innerJoinWithEmptyBuildSideDoesNotReadTheProbeSide() {
        QueryContext ctx = context(4);
        RowSource l = RowSource.of(ctx, LEFT, List.<Object[]>of(row(1L, 1, "a")), 1);
        RowSource r = RowSource.of(ctx, RIGHT, List.of(), 1);
        HashJoinOperator join = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(0, 0))), l, r);
        assertNull(join.next());
        assertEquals(0, l.batchesRead, "probe side not read");
        assertEquals(1, l.closeCount, "probe side closed at the end");
        join.close();
    }

    @Test
    void cancelledQueryStopsWith57014() {
        QueryContext ctx = context(4);
        HashJoinOperator join = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(0, 0))),
                RowSource.of(ctx, LEFT, leftRows(), 3), RowSource.of(ctx, RIGHT, rightRows(), 3));
        assertTrue(join.next().getRowCount() > 0);
        ctx.cancel();
        assertFails(SqlState.QUERY_CANCELED, join::next);
        join.close();
    }

    @Test
    void buildSidePastTheMemoryLimitIs53200AndLeaksNothing() {
        QueryContext ctx = context(4096, 2L << 20);
        Random rnd = new Random(7);
        List<Object[]> right = TestValues.rows(RIGHT, rnd, 100_000, 1_000_000, 0);
        List<Object[]> left = TestValues.rows(LEFT, rnd, 1000, 1_000_000, 0);
        try (HashJoinOperator join = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(0, 0))),
                RowSource.of(ctx, LEFT, left, 1000), RowSource.of(ctx, RIGHT, right, 4096))) {
            assertFails(SqlState.OUT_OF_MEMORY, join::next);
        }
        assertEquals(0, ctx.allocatedBytes(), "nothing held after close");
    }

    @Test
    void hashTablePastTheMemoryLimitIs53200() {
        // The build rows fit (about 1 MiB); the heap arrays of the table (about 2.3 MiB, accounted
        // through a reservation) do not.
        Random rnd = new Random(8);
        List<BatchColumn> key = List.of(new BatchColumn("k", DataType.BIGINT, false));
        List<Object[]> right = TestValues.rows(key, rnd, 100_000, 1_000_000, 0);
        QueryContext ctx = context(4096, 3L << 20);
        try (HashJoinOperator join = new HashJoinOperator(ctx, new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(0, 0))),
                RowSource.of(ctx, key, right.subList(0, 10), 10), RowSource.of(ctx, key, right, 100_000))) {
            DuetExceptionAssert.messageContains(assertFails(SqlState.OUT_OF_MEMORY, join::next), "heap arrays");
        }
        assertEquals(0, ctx.allocatedBytes());
    }
}
