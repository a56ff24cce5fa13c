package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SetOperationOperatorTest extends OperatorTestBase {
    private static final List<BatchColumn> COLUMNS = List.of(TestValues.column("a", DataType.INTEGER), TestValues.column("s", DataType.TEXT));

    static Stream<Arguments> operations() {
        List<Arguments> out = new ArrayList<>();
        for (SetOperationSpec.Kind kind : SetOperationSpec.Kind.values()) {
            for (boolean all : new boolean[] {false, true}) {
                if (kind == SetOperationSpec.Kind.UNION && all) {
                    continue;
                }
                for (int batchSize : new int[] {1, 3, 4096}) {
                    out.add(Arguments.of(kind, all, batchSize));
                }
            }
        }
        return out.stream();
    }

    private void check(QueryContext ctx, SetOperationSpec spec, List<BatchColumn> columns, List<List<Object[]>> inputs, int inputBatch) {
        List<Operator> ops = new ArrayList<>();
        List<List<List<Object>>> normalized = new ArrayList<>();
        for (List<Object[]> rows : inputs) {
            ops.add(RowSource.of(ctx, columns, rows, inputBatch));
            normalized.add(normalizeAll(rows));
        }
        List<List<Object>> expected = ReferenceJoin.setOperation(spec.kind(), spec.all(), normalized);
        assertSameRows(expected, drain(new SetOperationOperator(ctx, spec, ops)), spec + " of " + inputs.size() + " inputs");
    }

    @ParameterizedTest(name = "{0} ALL={1}, batch size {2}")
    @MethodSource("operations")
    void matchTheReferenceWithNullsEqualAndMultiplicities(SetOperationSpec.Kind kind, boolean all, int batchSize) {
        QueryContext ctx = context(batchSize);
        Random rnd = new Random(kind.ordinal() * 2 + (all ? 1 : 0));
        List<Object[]> a = TestValues.rows(COLUMNS, rnd, 120, 6, 5);
        List<Object[]> b = TestValues.rows(COLUMNS, rnd, 80, 6, 5);
        List<Object[]> c = TestValues.rows(COLUMNS, rnd, 50, 6, 5);
        SetOperationSpec spec = new SetOperationSpec(kind, all);
        check(ctx, spec, COLUMNS, List.of(a, b), 7);
        check(ctx, spec, COLUMNS, List.of(a, b, c), 11);
        check(ctx, spec, COLUMNS, List.of(a, List.of()), 7);
        check(ctx, spec, COLUMNS, List.of(List.of(), b), 7);
        check(ctx, spec, COLUMNS, List.of(a, a), 13);
    }

    @Test
    void literalMultiplicities() {
        QueryContext ctx = context(4096);
        List<BatchColumn> one = List.of(TestValues.column("x", DataType.INTEGER));
        List<Object[]> a = List.of(row(1), row(1), row(1), row(2), row((Object) null), row((Object) null), row(3));
        List<Object[]> b = List.of(row(1), row(2), row(2), row((Object) null), row(4));
        assertSameRows(List.of(list(1), list(1), list((Object) null), list(3)),
                drain(new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.EXCEPT, true),
                        List.of(RowSource.of(ctx, one, a, 2), RowSource.of(ctx, one, b, 2)))), "EXCEPT ALL");
        assertSameRows(List.of(list(3)),
                drain(new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.EXCEPT, false),
                        List.of(RowSource.of(ctx, one, a, 2), RowSource.of(ctx, one, b, 2)))), "EXCEPT");
        assertSameRows(List.of(list(1), list(2), list((Object) null)),
                drain(new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.INTERSECT, true),
                        List.of(RowSource.of(ctx, one, a, 2), RowSource.of(ctx, one, b, 2)))), "INTERSECT ALL");
        assertSameRows(List.of(list(1), list(2), list((Object) null), list(3), list(4)),
                drain(new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.UNION, false),
                        List.of(RowSource.of(ctx, one, a, 2), RowSource.of(ctx, one, b, 2)))), "UNION");
    }

    @Test
    void everyTypeWithNullsEqual() {
        QueryContext ctx = context(100);
        List<BatchColumn> columns = new ArrayList<>();
        for (DataType t : TestValues.allTypes()) {
            columns.add(TestValues.column("c" + columns.size(), t));
        }
        Random rnd = new Random(5);
        // Two values per column, one NULL in three: about 2^13 shapes, so rows repeat across inputs.
        List<Object[]> a = TestValues.rows(columns, rnd, 3000, 2, 3);
        List<Object[]> b = TestValues.rows(columns, rnd, 3000, 2, 3);
        for (SetOperationSpec.Kind kind : SetOperationSpec.Kind.values()) {
            for (boolean all : new boolean[] {false, true}) {
                if (kind != SetOperationSpec.Kind.UNION || !all) {
                    check(ctx, new SetOperationSpec(kind, all), columns, List.of(a, b, a.subList(0, 500)), 256);
                }
            }
        }
    }

    @Test
    void columnTypesWidenAndMismatchesAreRefused() {
        QueryContext ctx = context(16);
        List<BatchColumn> narrow = List.of(new BatchColumn("a", DataType.varchar(3), false), new BatchColumn("d", DataType.decimal(5, 2), false));
        List<BatchColumn> wide = List.of(new BatchColumn("b", DataType.varchar(9), true), new BatchColumn("e", DataType.decimal(20, 2), false));
        List<Object[]> rows1 = List.<Object[]>of(row("abc", new java.math.BigDecimal("1.50")));
        List<Object[]> rows2 = List.of(row("abc", new java.math.BigDecimal("1.50")), row(null, new java.math.BigDecimal("123456789012.25")));
        SetOperationOperator union = new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.UNION, false),
                List.of(RowSource.of(ctx, narrow, rows1, 1), RowSource.of(ctx, wide, rows2, 1)));
        assertEquals(List.of(new BatchColumn("a", DataType.varchar(9), true), new BatchColumn("d", DataType.decimal(20, 2), false)),
                union.columns());
        assertSameRows(List.of(list("abc", new java.math.BigDecimal("1.5")), list(null, new java.math.BigDecimal("123456789012.25"))),
                drain(union), "UNION with widening");
        RowSource x = RowSource.of(ctx, narrow, List.of(), 1);
        RowSource y = RowSource.of(ctx, List.of(TestValues.column("i", DataType.INTEGER), TestValues.column("d", DataType.decimal(5, 2))), List.of(), 1);
        assertThrows(IllegalArgumentException.class,
                () -> new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.INTERSECT, false), List.of(x, y)));
        assertThrows(IllegalArgumentException.class, () -> new SetOperationSpec(SetOperationSpec.Kind.UNION, true));
        assertThrows(IllegalArgumentException.class,
                () -> new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.EXCEPT, false), List.of(x)));
        x.close();
        y.close();
    }

    @Test
    void unionAllPassesBatchesThroughOrTransfersThem() {
        QueryContext ctx = context(16);
        List<BatchColumn> nullable = List.of(TestValues.column("a", DataType.INTEGER));
        List<BatchColumn> notNull = List.of(new BatchColumn("b", DataType.INTEGER, false));
        RowSource first = RowSource.of(ctx, nullable, List.of(row(1), row((Object) null)), 1);
        RowSource second = RowSource.of(ctx, notNull, List.of(row(2), row(3), row(4)), 2);
        UnionAllOperator union = new UnionAllOperator(ctx, List.of(first, second));
        assertEquals(nullable, union.columns());
        VectorSchemaRoot b1 = union.next();
        assertEquals(1, b1.getRowCount());
        assertSameRows(List.of(list(1)), List.of(normalize(dev.duet.core.exec.Batches.row(b1, 0))), "first batch");
        List<List<Object>> rest = drain(union);
        assertSameRows(List.of(list((Object) null), list(2), list(3), list(4)), rest, "the rest");
        assertTrue(first.closeCount >= 1 && second.closeCount >= 1, "inputs closed");

        RowSource only = RowSource.of(ctx, nullable, List.<Object[]>of(row(1)), 1);
        UnionAllOperator single = new UnionAllOperator(ctx, List.of(only));
        VectorSchemaRoot passed = single.next();
        assertSame(only.current(), passed, "same schema: the input's own batch");
        assertNull(single.next());
        single.close();
        assertThrows(IllegalStateException.class, single::next);
    }

    @Test
    void memoryLimitAndCancellation() {
        QueryContext small = context(4096, 1L << 20);
        Random rnd = new Random(9);
        List<Object[]> rows = TestValues.rows(COLUMNS, rnd, 50_000, 1_000_000, 0);
        try (SetOperationOperator op = new SetOperationOperator(small, new SetOperationSpec(SetOperationSpec.Kind.INTERSECT, true),
                List.of(RowSource.of(small, COLUMNS, rows, 4096), RowSource.of(small, COLUMNS, rows, 4096)))) {
            assertFails(SqlState.OUT_OF_MEMORY, op::next);
        }
        assertEquals(0, small.allocatedBytes());

        QueryContext ctx = context(4);
        SetOperationOperator union = new SetOperationOperator(ctx, new SetOperationSpec(SetOperationSpec.Kind.UNION, false),
                List.of(RowSource.of(ctx, COLUMNS, rows.subList(0, 100), 10), RowSource.of(ctx, COLUMNS, rows.subList(0, 100), 10)));
        union.next();
        ctx.cancel();
        assertFails(SqlState.QUERY_CANCELED, union::next);
        union.close();
        union.close();
    }
}
