package dev.duet.planner.exec.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Every operator stops with 57014 once the query is cancelled, mid-input or mid-output, and frees everything. */
class CancellationTest extends OperatorTestBase {
    private static final List<BatchColumn> COLUMNS = cols(col("k", DataType.INTEGER), col("s", DataType.TEXT));

    private void check(BiFunction<QueryContext, Operator, Operator> plan, boolean afterFirstBatch) {
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            input.add(row(i % 50, "s" + i));
        }
        try (QueryContext q = new QueryContext(root, "cancel", MEMORY_LIMIT)) {
            q.setBatchSize(100);
            Operator op = plan.apply(q, new ListOperator(q, COLUMNS, input, 100));
            try {
                if (afterFirstBatch) {
                    op.next();
                }
                q.cancel();
                assertFails(SqlState.QUERY_CANCELED, op::next);
            } finally {
                op.close();
            }
            assertEquals(0, q.allocatedBytes());
        }
    }

    @Test
    void hashAggregate() {
        AggregateSpec spec = new AggregateSpec(List.of(1), List.of(AggregateCall.countStar("n")));
        check((q, in) -> new HashAggregateOperator(q, in, spec), false);
    }

    @Test
    void hashAggregateWhileReturningGroups() {
        AggregateSpec spec = new AggregateSpec(List.of(1), List.of(AggregateCall.countStar("n")));
        check((q, in) -> new HashAggregateOperator(q, in, spec), true);
    }

    @Test
    void sort() {
        check((q, in) -> new SortOperator(q, in, new SortSpec(List.of(SortKey.asc(1)))), false);
        check((q, in) -> new SortOperator(q, in, new SortSpec(List.of(SortKey.asc(1)))), true);
    }

    @Test
    void topN() {
        check((q, in) -> new TopNOperator(q, in, new TopNSpec(List.of(SortKey.desc(0)), 500, 0)), false);
        check((q, in) -> new TopNOperator(q, in, new TopNSpec(List.of(SortKey.desc(0)), 500, 0)), true);
    }

    @Test
    void limit() {
        check((q, in) -> new LimitOperator(q, in, new LimitSpec(5000, 10)), true);
    }
}
