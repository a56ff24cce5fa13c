package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NestedLoopJoinOperatorTest extends OperatorTestBase {
    private static final List<BatchColumn> LEFT = List.of(TestValues.column("v", DataType.INTEGER), TestValues.column("s", DataType.TEXT));
    private static final List<BatchColumn> RIGHT = List.of(TestValues.column("lo", DataType.INTEGER), TestValues.column("hi", DataType.INTEGER),
            TestValues.column("name", DataType.TEXT));
    /** l.v BETWEEN r.lo AND r.hi */
    private static final RowFilter BETWEEN = new RowFilter("l.v BETWEEN r.lo AND r.hi", r -> {
        if (r[0] == null || r[2] == null || r[3] == null) {
            return null;
        }
        int v = (Integer) r[0];
        return (Integer) r[2] <= v && v <= (Integer) r[3];
    }, 0, 2, 3);

    private static List<Object[]> leftRows() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            rows.add(row(i % 6 == 5 ? null : i * 3, "l" + i));
        }
        return rows;
    }

    private static List<Object[]> rightRows() {
        return List.of(row(0, 10, "low"), row(5, 30, "mid"), row(40, 50, "high"), row(null, 100, "open"), row(60, 61, "none"),
                row(20, 25, "narrow"));
    }

    private void check(QueryContext ctx, NestedLoopJoinSpec spec, List<Object[]> left, int leftBatch, List<Object[]> right,
            int rightBatch, Predicate<Object[]> condition) {
        List<Object[]> expected = ReferenceJoin.join(spec.type(), left, right, LEFT.size(), RIGHT.size(), List.of(), List.of(), condition);
        Operator join = new NestedLoopJoinOperator(ctx, spec, RowSource.of(ctx, LEFT, left, leftBatch), RowSource.of(ctx, RIGHT, right, rightBatch));
        assertSameRows(normalizeAll(expected), drain(join), spec + " batch size " + ctx.batchSize());
    }

    static Stream<Arguments> typesAndBatchSizes() {
        List<Arguments> out = new ArrayList<>();
        for (JoinType t : JoinType.values()) {
            for (int batchSize : new int[] {1, 5, 4096}) {
                out.add(Arguments.of(t, batchSize));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} JOIN, batch size {1}")
    @MethodSource("typesAndBatchSizes")
    void conditionJoinsMatchTheReference(JoinType type, int batchSize) {
        QueryContext ctx = context(batchSize);
        check(ctx, new NestedLoopJoinSpec(type, BETWEEN), leftRows(), 4, rightRows(), 4, BETWEEN.accepts());
        check(ctx, new NestedLoopJoinSpec(type, null), leftRows(), 4, rightRows(), 4, null);
        check(ctx, new NestedLoopJoinSpec(type, BETWEEN), leftRows(), 4, List.of(), 4, BETWEEN.accepts());
        check(ctx, new NestedLoopJoinSpec(type, null), List.of(), 4, rightRows(), 4, null);
        check(ctx, new NestedLoopJoinSpec(type, null), leftRows(), 4, List.of(), 4, null);
    }

    @Test
    void crossJoinPairsEveryRow() {
        QueryContext ctx = context(7);
        List<Object[]> left = List.of(row(1, "a"), row(2, "b"));
        List<Object[]> right = List.of(row(1, 2, "x"), row(3, 4, "y"), row(5, 6, "z"));
        Operator join = new NestedLoopJoinOperator(ctx, NestedLoopJoinSpec.cross(), RowSource.of(ctx, LEFT, left, 1),
                RowSource.of(ctx, RIGHT, right, 2));
        List<List<Object>> rows = drain(join);
        assertEquals(6, rows.size());
        assertSameRows(List.of(list(1, "a", 1, 2, "x"), list(1, "a", 3, 4, "y"), list(1, "a", 5, 6, "z"),
                list(2, "b", 1, 2, "x"), list(2, "b", 3, 4, "y"), list(2, "b", 5, 6, "z")), rows, "cross join");
    }

    @Test
    void largerRandomCase() {
        QueryContext ctx = context(1000);
        Random rnd = new Random(11);
        List<Object[]> left = TestValues.rows(LEFT, rnd, 700, 200, 20);
        List<Object[]> right = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int lo = rnd.nextInt(400_000) - 20_000;
            right.add(row(lo, lo + rnd.nextInt(50_000), "r" + i));
        }
        for (JoinType type : JoinType.values()) {
            check(ctx, new NestedLoopJoinSpec(type, BETWEEN), left, 128, right, 100, BETWEEN.accepts());
        }
    }

    @Test
    void cancelledAndMemoryLimit() {
        QueryContext ctx = context(4);
        NestedLoopJoinOperator join = new NestedLoopJoinOperator(ctx, NestedLoopJoinSpec.cross(),
                RowSource.of(ctx, LEFT, leftRows(), 3), RowSource.of(ctx, RIGHT, rightRows(), 3));
        join.next();
        ctx.cancel();
        assertFails(SqlState.QUERY_CANCELED, join::next);
        join.close();
        assertThrows(IllegalStateException.class, join::next);

        QueryContext small = context(4096, 1L << 20);
        Random rnd = new Random(3);
        try (NestedLoopJoinOperator big = new NestedLoopJoinOperator(small, NestedLoopJoinSpec.cross(),
                RowSource.of(small, LEFT, leftRows(), 3), RowSource.of(small, LEFT, TestValues.rows(LEFT, rnd, 100_000, 1000, 0), 4096))) {
            assertFails(SqlState.OUT_OF_MEMORY, big::next);
        }
        assertEquals(0, small.allocatedBytes());
    }
}
