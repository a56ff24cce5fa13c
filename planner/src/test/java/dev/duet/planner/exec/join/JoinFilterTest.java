package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.TransferPair;
import org.junit.jupiter.api.Test;

/**
 * The residual-filter seam as the vectorized expression evaluator will use it (a BitVector per
 * candidate batch, NULL and FALSE rejecting), and output batches whose vectors the consumer takes.
 */
class JoinFilterTest extends OperatorTestBase {
    @Test
    void selectTrueKeepsOnlyTrueRows() {
        QueryContext ctx = context(16);
        for (int rows : new int[] {0, 1, 7, 8, 9, 64, 77}) {
            try (BitVector result = new BitVector("r", ctx.allocator())) {
                result.allocateNew(rows);
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < rows; i++) {
                    switch (i % 3) {
                        case 0 -> {
                            result.set(i, 1);
                            expected.add(i);
                        }
                        case 1 -> result.set(i, 0);
                        default -> result.setNull(i);
                    }
                }
                result.setValueCount(rows);
                int[] selection = new int[rows];
                int n = JoinFilter.selectTrue(result, rows, selection);
                assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), Arrays.copyOf(selection, n), rows + " rows");
            }
        }
    }

    /**
     * A filter written the way the expression evaluator will work: column vectors in, a BitVector
     * out (here {@code l.a < r.b}, NULL when either is NULL), then {@link JoinFilter#selectTrue}.
     */
    private static JoinFilter vectorizedLessThan(QueryContext ctx, int a, int b) {
        return new JoinFilter() {
            @Override
            public int filter(VectorSchemaRoot candidates, int[] selection) {
                IntVector x = (IntVector) candidates.getVector(a);
                IntVector y = (IntVector) candidates.getVector(b);
                int rows = candidates.getRowCount();
                try (BitVector result = new BitVector("lt", ctx.allocator())) {
                    result.allocateNew(rows);
                    for (int i = 0; i < rows; i++) {
                        if (x.isNull(i) || y.isNull(i)) {
                            result.setNull(i);
                        } else {
                            result.set(i, x.get(i) < y.get(i) ? 1 : 0);
                        }
                    }
                    result.setValueCount(rows);
                    return JoinFilter.selectTrue(result, rows, selection);
                }
            }

            @Override
            public boolean readsColumn(int column) {
                return column == a || column == b;
            }

            @Override
            public String toString() {
                return "$" + a + " < $" + b;
            }
        };
    }

    @Test
    void aVectorizedFilterPlugsIn() {
        QueryContext ctx = context(50);
        Random rnd = new Random(12);
        List<BatchColumn> left = List.of(TestValues.column("k", DataType.BIGINT), TestValues.column("a", DataType.INTEGER));
        List<BatchColumn> right = List.of(TestValues.column("k", DataType.BIGINT), TestValues.column("b", DataType.INTEGER));
        List<Object[]> l = TestValues.rows(left, rnd, 400, 30, 10);
        List<Object[]> r = TestValues.rows(right, rnd, 300, 30, 10);
        JoinFilter lessThan = vectorizedLessThan(ctx, 1, 3);
        for (JoinType type : JoinType.values()) {
            HashJoinSpec spec = new HashJoinSpec(type, List.of(new JoinKey(0, 0))).withResidual(lessThan);
            List<Object[]> expected = ReferenceJoin.join(type, l, r, 2, 2, spec.keys(), List.of(DataType.BIGINT),
                    x -> x[1] != null && x[3] != null && (Integer) x[1] < (Integer) x[3]);
            assertSameRows(normalizeAll(expected),
                    drain(new HashJoinOperator(ctx, spec, RowSource.of(ctx, left, l, 64), RowSource.of(ctx, right, r, 64))),
                    spec.toString());
        }
    }

    @Test
    void consumerMayTakeTheOutputVectors() {
        QueryContext ctx = context(32);
        Random rnd = new Random(13);
        List<BatchColumn> left = List.of(TestValues.column("k", DataType.BIGINT), TestValues.column("s", DataType.TEXT));
        List<BatchColumn> right = List.of(TestValues.column("k", DataType.BIGINT), TestValues.column("t", DataType.TEXT));
        List<Object[]> l = TestValues.rows(left, rnd, 500, 40, 10);
        List<Object[]> r = TestValues.rows(right, rnd, 300, 40, 10);
        HashJoinSpec spec = new HashJoinSpec(JoinType.FULL, List.of(new JoinKey(0, 0)));
        List<Object[]> expected = ReferenceJoin.join(JoinType.FULL, l, r, 2, 2, spec.keys(), List.of(DataType.BIGINT), null);
        List<List<Object>> got = new ArrayList<>();
        try (Operator join = new HashJoinOperator(ctx, spec, RowSource.of(ctx, left, l, 64), RowSource.of(ctx, right, r, 64))) {
            for (VectorSchemaRoot batch = join.next(); batch != null; batch = join.next()) {
                // Take every vector's buffers, as a consumer that keeps rows may.
                try (VectorSchemaRoot kept = Batches.create(ctx.allocator(), join.columns())) {
                    for (int c = 0; c < batch.getFieldVectors().size(); c++) {
                        FieldVector from = batch.getVector(c);
                        TransferPair t = from.makeTransferPair(kept.getVector(c));
                        t.transfer();
                    }
                    kept.setRowCount(batch.getRowCount());
                    for (Object[] row : Batches.rows(kept)) {
                        got.add(normalize(row));
                    }
                }
            }
        }
        assertSameRows(normalizeAll(expected), got, "full join with transferred output");

        // The same for a set operation's output and a UNION ALL's transferred batches.
        List<Object[]> a = TestValues.rows(left, rnd, 300, 20, 5);
        List<List<Object>> union = new ArrayList<>();
        try (Operator op = new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.UNION, false),
                List.of(RowSource.of(ctx, left, a, 50), RowSource.of(ctx, left, l, 50)))) {
            for (VectorSchemaRoot batch = op.next(); batch != null; batch = op.next()) {
                try (BigIntVector k = new BigIntVector("k", ctx.allocator())) {
                    batch.getVector(0).makeTransferPair(k).transfer();
                    for (int i = 0; i < batch.getRowCount(); i++) {
                        union.add(list(k.isNull(i) ? null : k.get(i), Batches.get(batch.getVector(1), i)));
                    }
                }
            }
        }
        List<List<List<Object>>> inputs = List.of(normalizeAll(a), normalizeAll(l));
        assertEquals(ReferenceJoin.setOperation(SetOperationSpec.Kind.UNION, false, inputs).size(), union.size());
        assertSameRows(ReferenceJoin.setOperation(SetOperationSpec.Kind.UNION, false, inputs), union, "UNION with transferred output");
    }
}
