package dev.duet.planner.exec.ops;

import static dev.duet.planner.exec.ops.OperatorAssertions.assertSameOrder;
import static dev.duet.planner.exec.ops.OperatorAssertions.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.ops.RandomRows.Spec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class SortOperatorTest extends OperatorTestBase {
    static final List<DataType> ALL_TYPES = List.of(DataType.BOOLEAN, DataType.SMALLINT, DataType.INTEGER, DataType.BIGINT,
            DataType.REAL, DataType.DOUBLE, DataType.decimal(10, 2), DataType.decimal(38, 4), DataType.TEXT, DataType.DATE,
            DataType.TIMESTAMP, DataType.BYTEA);

    private List<Object[]> sort(List<BatchColumn> columns, List<Object[]> rows, List<SortKey> keys, int... batchSizes) {
        try (SortOperator op = new SortOperator(context, new ListOperator(context, columns, rows, batchSizes), new SortSpec(keys))) {
            return drain(op);
        }
    }

    @Test
    void integersWithPostgresNullDefaultsAndExplicitNullOrder() {
        List<BatchColumn> columns = cols(col("x", DataType.INTEGER), col("tag", DataType.TEXT));
        List<Object[]> input = rows(row(3, "a"), row(null, "b"), row(-1, "c"), row(3, "d"), row(Integer.MIN_VALUE, "e"),
                row(null, "f"), row(Integer.MAX_VALUE, "g"), row(0, "h"));
        assertSameOrder(rows(row(Integer.MIN_VALUE, "e"), row(-1, "c"), row(0, "h"), row(3, "a"), row(3, "d"),
                row(Integer.MAX_VALUE, "g"), row(null, "b"), row(null, "f")), sort(columns, input, List.of(SortKey.asc(0)), 3));
        assertSameOrder(rows(row(null, "b"), row(null, "f"), row(Integer.MAX_VALUE, "g"), row(3, "a"), row(3, "d"), row(0, "h"),
                row(-1, "c"), row(Integer.MIN_VALUE, "e")), sort(columns, input, List.of(SortKey.desc(0)), 2));
        assertSameOrder(rows(row(null, "b"), row(null, "f"), row(Integer.MIN_VALUE, "e"), row(-1, "c"), row(0, "h"), row(3, "a"),
                row(3, "d"), row(Integer.MAX_VALUE, "g")), sort(columns, input, List.of(new SortKey(0, false, true))));
        assertSameOrder(rows(row(Integer.MAX_VALUE, "g"), row(3, "a"), row(3, "d"), row(0, "h"), row(-1, "c"),
                row(Integer.MIN_VALUE, "e"), row(null, "b"), row(null, "f")), sort(columns, input, List.of(new SortKey(0, true, false))));
    }

    @Test
    void stringsByByteOrderIncludingLongSharedPrefixes() {
        List<BatchColumn> columns = cols(col("s", DataType.TEXT), col("n", DataType.INTEGER));
        List<String> words = List.of("", "a", "a\u0000", "ab", "B", "b", "é", "e", "z", "€", "🙂", "Customer#000000001",
                "Customer#000000010", "Customer#00000001", "Customer#000000002", "same-prefix-longer-than-15-bytes-a",
                "same-prefix-longer-than-15-bytes-b", "same-prefix-longer-than-15-bytes", "日本語");
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < words.size() * 3; i++) {
            input.add(row(i % 7 == 3 ? null : words.get((i * 5) % words.size()), i));
        }
        for (List<SortKey> keys : List.of(List.of(SortKey.asc(0)), List.of(SortKey.desc(0)), List.of(SortKey.asc(0), SortKey.desc(1)),
                List.of(new SortKey(0, true, false), SortKey.asc(1)))) {
            assertSameOrder(SortReference.sorted(input, keys, columns), sort(columns, input, keys, 4, 1, 9));
        }
    }

    @Test
    void everyTypeInBothDirectionsMatchesTheReferenceOrder() {
        Random rnd = new Random(11);
        for (DataType type : ALL_TYPES) {
            List<Spec> specs = List.of(new Spec("k", type, type.kind() == DataType.Kind.BOOLEAN ? 2 : 300, 0.15),
                    new Spec("k2", DataType.INTEGER, 5, 0.2), new Spec("v", DataType.TEXT, 1000, 0.0));
            List<BatchColumn> columns = RandomRows.columns(specs);
            List<Object[]> input = RandomRows.rows(specs, 3000, rnd.nextLong());
            for (boolean desc : new boolean[] {false, true}) {
                for (boolean nullsFirst : new boolean[] {false, true}) {
                    List<SortKey> keys = List.of(new SortKey(0, desc, nullsFirst), new SortKey(1, !desc, nullsFirst));
                    assertSameOrder(SortReference.sorted(input, keys, columns), sort(columns, input, keys, 500, 77));
                }
            }
        }
    }

    @Test
    void floatsOrderNaNLastAndNegativeZeroAsZero() {
        List<BatchColumn> columns = cols(col("d", DataType.DOUBLE), col("n", DataType.INTEGER));
        List<Object[]> input = rows(row(Double.NaN, 1), row(0.0, 2), row(Double.NEGATIVE_INFINITY, 3), row(-0.0, 4),
                row(Double.POSITIVE_INFINITY, 5), row(-1.5, 6), row(null, 7), row(Double.MIN_VALUE, 8));
        assertSameOrder(rows(row(Double.NEGATIVE_INFINITY, 3), row(-1.5, 6), row(0.0, 2), row(-0.0, 4), row(Double.MIN_VALUE, 8),
                row(Double.POSITIVE_INFINITY, 5), row(Double.NaN, 1), row(null, 7)), sort(columns, input, List.of(SortKey.asc(0))));
    }

    @Test
    void decimalsAcrossTheWholeRange() {
        DataType t = DataType.decimal(38, 0);
        List<BatchColumn> columns = cols(col("d", t));
        List<Object[]> input = rows(row(new BigDecimal("99999999999999999999999999999999999999")), row(BigDecimal.ZERO),
                row(new BigDecimal("-99999999999999999999999999999999999999")), row(new BigDecimal("-1")),
                row(new BigDecimal("18446744073709551616")), row(new BigDecimal("18446744073709551615")),
                row(new BigDecimal("-18446744073709551616")), row(BigDecimal.ONE));
        List<SortKey> keys = List.of(SortKey.asc(0));
        assertSameOrder(SortReference.sorted(input, keys, columns), sort(columns, input, keys, 3));
    }

    @Test
    void largeRandomInputInSmallOutputBatches() {
        context.setBatchSize(1000);
        List<Spec> specs = List.of(new Spec("a", DataType.BIGINT, 1_000_000, 0.01), new Spec("s", DataType.TEXT, 50, 0.1),
                new Spec("d", DataType.DATE, 100, 0.1));
        List<BatchColumn> columns = RandomRows.columns(specs);
        List<Object[]> input = RandomRows.rows(specs, 100_000, 5);
        List<SortKey> keys = List.of(SortKey.asc(1), SortKey.desc(2), SortKey.asc(0));
        try (SortOperator op = new SortOperator(context, new ListOperator(context, columns, input, 4096), new SortSpec(keys))) {
            List<Object[]> out = new ArrayList<>();
            for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
                assertTrue(b.getRowCount() <= 1000);
                out.addAll(dev.duet.core.exec.Batches.rows(b));
            }
            assertSameOrder(SortReference.sorted(input, keys, columns), out);
        }
    }

    @Test
    void emptyInputGivesNoRows() {
        assertEquals(0, sort(cols(col("x", DataType.INTEGER)), rows(), List.of(SortKey.asc(0))).size());
    }

    @Test
    void memoryLimitIs53200AndNothingLeaks() {
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 300_000; i++) {
            input.add(row((long) i, "row number " + i));
        }
        List<BatchColumn> columns = cols(col("k", DataType.BIGINT), col("s", DataType.TEXT));
        try (QueryContext small = new QueryContext(root, "small", 2L << 20)) {
            SortOperator op = new SortOperator(small, new ListOperator(small, columns, input, 1000), new SortSpec(List.of(SortKey.desc(0))));
            assertFails(SqlState.OUT_OF_MEMORY, op::next);
            op.close();
            assertEquals(0, small.allocatedBytes());
        }
    }

    @Test
    void closeMidwayFreesEverything() {
        List<Object[]> input = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            input.add(row(i % 97, "s" + i));
        }
        context.setBatchSize(100);
        ListOperator in = new ListOperator(context, cols(col("k", DataType.INTEGER), col("s", DataType.TEXT)), input, 1000);
        SortOperator op = new SortOperator(context, in, new SortSpec(List.of(SortKey.asc(0))));
        op.next();
        op.close();
        op.close();
        assertTrue(in.isClosed());
        assertEquals(0, context.allocatedBytes());
        assertThrows(IllegalStateException.class, op::next);
    }
}
