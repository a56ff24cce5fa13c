package dev.duet.planner.exec.ops;

import static dev.duet.planner.exec.ops.OperatorAssertions.assertSameOrder;
import static dev.duet.planner.exec.ops.OperatorAssertions.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitOperatorTest extends OperatorTestBase {
    private static final List<BatchColumn> COLUMNS = cols(col("n", DataType.INTEGER), col("s", DataType.TEXT),
            col("b", DataType.BOOLEAN), col("d", DataType.decimal(20, 3)));

    private static List<Object[]> input(int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row(i, i % 5 == 0 ? null : "s" + i, i % 3 == 0 ? null : i % 2 == 0,
                    i % 7 == 0 ? null : java.math.BigDecimal.valueOf(i * 1001L, 3)));
        }
        return rows;
    }

    @Test
    void everyWindowAcrossBatchBoundaries() {
        List<Object[]> all = input(100);
        for (long offset : new long[] {0, 1, 7, 10, 13, 99, 100, 150}) {
            for (long limit : new long[] {0, 1, 3, 10, 17, 100, LimitSpec.ALL}) {
                ListOperator in = new ListOperator(context, COLUMNS, all, 10, 3, 1, 25);
                try (LimitOperator op = new LimitOperator(context, in, new LimitSpec(limit, offset))) {
                    int from = (int) Math.min(offset, 100);
                    int to = (int) Math.min(100, from + Math.min(limit, 1000));
                    assertSameOrder(all.subList(from, to), drain(op));
                }
            }
        }
    }

    @Test
    void stopsPullingAndClosesTheInputOnceTheLimitIsReached() {
        ListOperator in = new ListOperator(context, COLUMNS, input(10_000), 100);
        try (LimitOperator op = new LimitOperator(context, in, new LimitSpec(150, 20))) {
            assertEquals(150, drain(op).size());
            assertEquals(2, in.pulled());
            assertTrue(in.isClosed());
        }
    }

    @Test
    void limitZeroNeverPulls() {
        ListOperator in = new ListOperator(context, COLUMNS, input(10));
        try (LimitOperator op = new LimitOperator(context, in, new LimitSpec(0, 0))) {
            assertEquals(0, drain(op).size());
            assertEquals(0, in.pulled());
        }
    }

    @Test
    void closeWhileASliceIsOutFreesIt() {
        ListOperator in = new ListOperator(context, COLUMNS, input(100), 10);
        LimitOperator op = new LimitOperator(context, in, new LimitSpec(5, 3));
        assertEquals(5, op.next().getRowCount());
        op.close();
        op.close();
        assertTrue(in.isClosed());
        assertEquals(0, context.allocatedBytes());
        assertThrows(IllegalStateException.class, op::next);
    }

    @Test
    void rejectsNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> new LimitSpec(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LimitSpec(1, -1));
    }
}
