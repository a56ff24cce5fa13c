package dev.duet.planner.exec.ops;

import static dev.duet.planner.exec.ops.OperatorAssertions.assertSameOrder;
import static dev.duet.planner.exec.ops.OperatorAssertions.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.ops.RandomRows.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopNOperatorTest extends OperatorTestBase {
    private List<Object[]> topN(List<BatchColumn> columns, List<Object[]> rows, List<SortKey> keys, long limit, long offset,
            int... batchSizes) {
        try (TopNOperator op = new TopNOperator(context, new ListOperator(context, columns, rows, batchSizes),
                new TopNSpec(keys, limit, offset))) {
            return drain(op);
        }
    }

    private static List<Object[]> expected(List<Object[]> rows, List<SortKey> keys, List<BatchColumn> columns, long limit, long offset) {
        List<Object[]> sorted = SortReference.sorted(rows, keys, columns);
        int from = (int) Math.min(offset, sorted.size());
        int to = (int) Math.min(sorted.size(), from + Math.min(limit, Integer.MAX_VALUE));
        return sorted.subList(from, to);
    }

    @Test
    void matchesAStableSortThenLimitForEveryTypeLimitAndOffset() {
        // a small batch size makes the kept rows compact often (held rows > 2 x kept + 2 batches)
        context.setBatchSize(50);
        Random rnd = new Random(3);
        for (DataType type : SortOperatorTest.ALL_TYPES) {
            List<Spec> specs = List.of(new Spec("k", type, type.kind() == DataType.Kind.BOOLEAN ? 2 : 200, 0.1),
                    new Spec("id", DataType.INTEGER, 1 << 20, 0.0), new Spec("s", DataType.TEXT, 40, 0.3));
            List<BatchColumn> columns = RandomRows.columns(specs);
            List<Object[]> input = RandomRows.rows(specs, 2000, rnd.nextLong());
            for (long[] lo : new long[][] {{1, 0}, {10, 0}, {10, 5}, {100, 1900}, {5000, 0}, {3, 1999}, {7, 2500}, {2000, 0}}) {
                boolean desc = rnd.nextBoolean();
                List<SortKey> keys = List.of(new SortKey(0, desc, rnd.nextBoolean()), new SortKey(2, !desc, rnd.nextBoolean()));
                assertSameOrder(expected(input, keys, columns, lo[0], lo[1]), topN(columns, input, keys, lo[0], lo[1], 64, 1, 300));
            }
        }
    }

    @Test
    void tiesKeepTheEarlierRows() {
        List<BatchColumn> columns = cols(col("k", DataType.INTEGER), col("n", DataType.INTEGER));
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            input.add(row(i % 3, i));
        }
        assertSameOrder(rows(row(0, 0), row(0, 3), row(0, 6), row(0, 9), row(0, 12)),
                topN(columns, input, List.of(SortKey.asc(0)), 5, 0, 10));
        assertSameOrder(rows(row(2, 2), row(2, 5)), topN(columns, input, List.of(SortKey.desc(0)), 2, 0, 7));
    }

    @Test
    void inputInReverseOrderReplacesTheWholeHeapEveryBatch() {
        context.setBatchSize(16);
        List<BatchColumn> columns = cols(col("k", DataType.BIGINT), col("s", DataType.TEXT));
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            input.add(row((long) (5000 - i), "s" + i));
        }
        for (List<SortKey> keys : List.of(List.of(SortKey.asc(0)), List.of(SortKey.desc(0)), List.of(SortKey.asc(1)))) {
            for (long limit : new long[] {1, 30, 700}) {
                assertSameOrder(expected(input, keys, columns, limit, 3), topN(columns, input, keys, limit, 3, 16, 5, 100));
            }
        }
    }

    @Test
    void limitZeroNeverReadsTheInput() {
        ListOperator in = new ListOperator(context, cols(col("x", DataType.INTEGER)), rows(row(1), row(2)));
        try (TopNOperator op = new TopNOperator(context, in, new TopNSpec(List.of(SortKey.asc(0)), 0, 3))) {
            assertEquals(0, drain(op).size());
            assertEquals(0, in.pulled());
        }
    }

    @Test
    void emptyInputGivesNoRows() {
        assertEquals(0, topN(cols(col("x", DataType.INTEGER)), rows(), List.of(SortKey.asc(0)), 10, 0).size());
    }

    @Test
    void holdsFarLessMemoryThanAFullSort() {
        List<Spec> specs = List.of(new Spec("k", DataType.BIGINT, 1_000_000, 0.0), new Spec("s", DataType.TEXT, 10_000, 0.0));
        List<BatchColumn> columns = RandomRows.columns(specs);
        List<Object[]> input = RandomRows.rows(specs, 200_000, 9);
        List<SortKey> keys = List.of(SortKey.desc(0));
        long topNPeak;
        try (QueryContext q = new QueryContext(root, "topn", MEMORY_LIMIT);
                TopNOperator op = new TopNOperator(q, new ListOperator(q, columns, input, 1024), new TopNSpec(keys, 10, 0))) {
            assertSameOrder(expected(input, keys, columns, 10, 0), drain(op));
            topNPeak = q.peakBytes();
        }
        long sortPeak;
        try (QueryContext q = new QueryContext(root, "sort", MEMORY_LIMIT);
                SortOperator op = new SortOperator(q, new ListOperator(q, columns, input, 1024), new SortSpec(keys))) {
            drain(op);
            sortPeak = q.peakBytes();
        }
        assertTrue(topNPeak * 10 < sortPeak, "top-N peak " + topNPeak + " vs sort peak " + sortPeak);
    }

    @Test
    void memoryLimitIs53200AndNothingLeaks() {
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            input.add(row((long) i, "row number " + i));
        }
        List<BatchColumn> columns = cols(col("k", DataType.BIGINT), col("s", DataType.TEXT));
        try (QueryContext small = new QueryContext(root, "small", 2L << 20)) {
            TopNOperator op = new TopNOperator(small, new ListOperator(small, columns, input, 1000),
                    new TopNSpec(List.of(SortKey.asc(0)), 250_000, 10));
            assertFails(SqlState.OUT_OF_MEMORY, op::next);
            op.close();
            assertEquals(0, small.allocatedBytes());
        }
    }
}
