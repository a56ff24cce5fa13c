package dev.duet.planner.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import dev.duet.planner.exec.expr.CommonSubexpressions;
import dev.duet.planner.exec.expr.CompiledExpression;
import dev.duet.planner.exec.expr.ExpressionCompiler;
import dev.duet.planner.exec.expr.VectorEvaluator;
import dev.duet.planner.exec.ops.ExpressionJoinFilter;
import dev.duet.planner.types.DuetTypeSystem;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeFactoryImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compiler and evaluators driven directly with Calcite expressions built by hand: forms the
 * SQL front end does not produce (it rewrites COALESCE and IS DISTINCT FROM, rejects
 * {@code date - date}), evaluation over a row selection, reuse across batches, and the join
 * filter seam.
 */
class ExpressionCompilerTest {
    private static final RelDataTypeFactory TYPES = new SqlTypeFactoryImpl(DuetTypeSystem.INSTANCE);
    private static final RexBuilder REX = new RexBuilder(TYPES);
    private static final List<BatchColumn> COLUMNS = List.of(
            new BatchColumn("a", DataType.INTEGER, true),
            new BatchColumn("b", DataType.INTEGER, true),
            new BatchColumn("d1", DataType.DATE, true),
            new BatchColumn("d2", DataType.DATE, true),
            new BatchColumn("s", DataType.TEXT, true));

    private RootAllocator root;
    private QueryContext context;

    @BeforeEach
    void open() {
        root = new RootAllocator();
        context = new QueryContext(root, 16L << 20);
    }

    @AfterEach
    void close() {
        context.close(); // throws if an evaluator leaked memory
        root.close();
    }

    private static RelDataType type(SqlTypeName name) {
        return TYPES.createTypeWithNullability(TYPES.createSqlType(name), true);
    }

    private static RexNode ref(int i) {
        SqlTypeName t = switch (COLUMNS.get(i).type().kind()) {
            case INTEGER -> SqlTypeName.INTEGER;
            case DATE -> SqlTypeName.DATE;
            default -> SqlTypeName.VARCHAR;
        };
        return REX.makeInputRef(type(t), i);
    }

    private VectorSchemaRoot batch(Object[]... rows) {
        return Batches.fromRows(context.allocator(), COLUMNS, Arrays.asList(rows));
    }

    private List<Object> evaluate(RexNode e, int[] selection, Object[]... rows) {
        CompiledExpression c = ExpressionCompiler.compile(e, COLUMNS);
        try (VectorSchemaRoot batch = batch(rows); VectorEvaluator ev = c.open(context)) {
            int n = selection == null ? rows.length : selection.length;
            FieldVector out = ev.evaluate(batch, selection, n);
            assertEquals(n, out.getValueCount());
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values.add(Batches.get(out, i));
            }
            return values;
        }
    }

    private static Object[] row(Integer a, Integer b, String d1, String d2, String s) {
        return new Object[] {a, b, d1 == null ? null : LocalDate.parse(d1), d2 == null ? null : LocalDate.parse(d2), s};
    }

    @Test
    void dateMinusDateIsDays() {
        RexNode diff = REX.makeCall(type(SqlTypeName.INTEGER), SqlStdOperatorTable.MINUS, List.of(ref(2), ref(3)));
        assertEquals(Arrays.asList(-2, 366, null), evaluate(diff, null,
                row(1, 1, "1969-12-31", "1970-01-02", "x"), row(1, 1, "2001-01-01", "2000-01-01", "x"),
                row(1, 1, null, "2000-01-01", "x")));
    }

    @Test
    void formsTheFrontEndRewrites() {
        Object[][] rows = {row(1, 1, null, null, "x"), row(1, null, null, null, "x"), row(null, null, null, null, null),
            row(null, 2, null, null, "")};
        assertEquals(Arrays.asList(false, true, false, true),
                evaluate(REX.makeCall(SqlStdOperatorTable.IS_DISTINCT_FROM, ref(0), ref(1)), null, rows));
        assertEquals(Arrays.asList(true, false, true, false),
                evaluate(REX.makeCall(SqlStdOperatorTable.IS_NOT_DISTINCT_FROM, ref(0), ref(1)), null, rows));
        assertEquals(Arrays.asList(1, 1, null, 2),
                evaluate(REX.makeCall(SqlStdOperatorTable.COALESCE, ref(0), ref(1)), null, rows));
        assertEquals(Arrays.asList(null, 1, null, null),
                evaluate(REX.makeCall(SqlStdOperatorTable.NULLIF, ref(0), ref(1)), null, rows));
    }

    @Test
    void evaluatesOnlyTheSelectedRows() {
        RexNode quotient = REX.makeCall(SqlStdOperatorTable.DIVIDE, ref(0), ref(1));
        Object[][] rows = {row(10, 0, null, null, "a"), row(10, 3, null, null, "bb"), row(10, 0, null, null, "c"),
            row(-9, 2, null, null, null)};
        assertEquals(Arrays.asList(3, -4), evaluate(quotient, new int[] {1, 3}, rows));
        DuetException e = assertThrows(DuetException.class, () -> evaluate(quotient, new int[] {0, 1}, rows));
        assertEquals("22012", e.sqlState());
        RexNode upper = REX.makeCall(SqlStdOperatorTable.UPPER, ref(4));
        assertEquals(Arrays.asList("A", "C", null), evaluate(upper, new int[] {0, 2, 3}, rows));
        assertEquals(Arrays.asList("BB"), evaluate(upper, new int[] {1}, rows));
    }

    @Test
    void evaluatorsAreReusedAcrossBatchesOfAnySize() {
        CompiledExpression c = ExpressionCompiler.compile(REX.makeCall(SqlStdOperatorTable.CONCAT, ref(4),
                REX.makeCast(type(SqlTypeName.VARCHAR), ref(0))), COLUMNS);
        try (VectorEvaluator ev = c.open(context)) {
            for (int size : new int[] {3, 1000, 1, 70, 5000, 2}) {
                List<Object[]> rows = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    rows.add(row(i, null, null, null, "v" + size + "_"));
                }
                try (VectorSchemaRoot batch = Batches.fromRows(context.allocator(), COLUMNS, rows)) {
                    FieldVector out = ev.evaluate(batch, null, size);
                    assertEquals(size, out.getValueCount());
                    assertEquals("v" + size + "_" + (size - 1), Batches.get(out, size - 1));
                }
            }
        }
    }

    @Test
    void plainReferencesReturnTheInputVector() {
        CompiledExpression c = ExpressionCompiler.compile(ref(1), COLUMNS);
        assertEquals(1, c.inputIndex());
        try (VectorSchemaRoot batch = batch(row(1, 2, null, null, "x")); VectorEvaluator ev = c.open(context)) {
            assertSame(batch.getVector(1), ev.evaluate(batch, null, 1));
        }
    }

    /** A parameter is read from the context each time the expression is opened; unbound is 07001. */
    @Test
    void parametersAreBoundWhenOpened() {
        CompiledExpression c = ExpressionCompiler.compile(REX.makeCall(SqlStdOperatorTable.PLUS, ref(0),
                REX.makeDynamicParam(type(SqlTypeName.INTEGER), 1)), COLUMNS);
        try (VectorSchemaRoot batch = batch(row(1, 2, null, null, "x"), row(null, 2, null, null, "x"))) {
            context.setParameters("unused", 10);
            try (VectorEvaluator ev = c.open(context)) {
                assertEquals(Arrays.asList(11, null), values(ev.evaluate(batch, null, 2), 2));
            }
            context.setParameters("unused", -1L); // coerced to the parameter's type
            try (VectorEvaluator ev = c.open(context)) {
                assertEquals(Arrays.asList(0, null), values(ev.evaluate(batch, null, 2), 2));
            }
            context.setParameters("unused", null);
            try (VectorEvaluator ev = c.open(context)) {
                assertEquals(Arrays.asList(null, null), values(ev.evaluate(batch, null, 2), 2));
            }
            context.setParameters("only one");
            DuetException unbound = assertThrows(DuetException.class, () -> c.open(context).close());
            assertEquals("07001", unbound.sqlState());
        } finally {
            context.setParameters();
        }
    }

    @Test
    void unsupportedExpressionsFailAtCompileTime() {
        DuetException function = assertThrows(DuetException.class, () -> ExpressionCompiler.compile(
                REX.makeCall(SqlStdOperatorTable.POWER, ref(0), ref(1)), COLUMNS));
        assertEquals("0A000", function.sqlState());
        assertTrue(function.getMessage().contains("POWER"), function.getMessage());
    }

    @Test
    void decimalDivisionTypedDecimalAndRoundingToColumnDigits() {
        List<BatchColumn> columns = List.of(new BatchColumn("x", DataType.decimal(10, 2), true),
                new BatchColumn("y", DataType.decimal(10, 2), true), new BatchColumn("k", DataType.INTEGER, true));
        RelDataType dec = TYPES.createTypeWithNullability(TYPES.createSqlType(SqlTypeName.DECIMAL, 10, 2), true);
        RexNode x = REX.makeInputRef(dec, 0);
        RexNode y = REX.makeInputRef(dec, 1);
        RexNode k = REX.makeInputRef(type(SqlTypeName.INTEGER), 2);
        RelDataType quotientType = TYPES.createTypeWithNullability(TYPES.createSqlType(SqlTypeName.DECIMAL, 20, 4), true);
        RexNode quotient = REX.makeCall(quotientType, SqlStdOperatorTable.DIVIDE, List.of(x, y));
        RexNode round = REX.makeCall(SqlStdOperatorTable.ROUND, x, k);
        List<Object[]> rows = List.of(
                new Object[] {new java.math.BigDecimal("10.00"), new java.math.BigDecimal("3.00"), 1},
                new Object[] {new java.math.BigDecimal("-2.00"), new java.math.BigDecimal("3.00"), 0},
                new Object[] {new java.math.BigDecimal("1234.56"), new java.math.BigDecimal("0.07"), -2},
                new Object[] {null, new java.math.BigDecimal("1.00"), null});
        try (VectorSchemaRoot batch = Batches.fromRows(context.allocator(), columns, rows);
                VectorEvaluator q = ExpressionCompiler.compile(quotient, columns).open(context);
                VectorEvaluator r = ExpressionCompiler.compile(round, columns).open(context)) {
            FieldVector qv = q.evaluate(batch, null, 4);
            assertEquals(Arrays.asList(new java.math.BigDecimal("3.3333"), new java.math.BigDecimal("-0.6667"),
                    new java.math.BigDecimal("17636.5714"), null), values(qv, 4));
            FieldVector rv = r.evaluate(batch, null, 4);
            assertEquals(Arrays.asList(new java.math.BigDecimal("10.00"), new java.math.BigDecimal("-2.00"),
                    new java.math.BigDecimal("1200.00"), null), values(rv, 4));
        }
    }

    private static List<Object> values(FieldVector v, int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Batches.get(v, i));
        }
        return out;
    }

    @Test
    void joinFilterSeam() {
        RexNode condition = REX.makeCall(SqlStdOperatorTable.GREATER_THAN, ref(0), ref(1));
        try (ExpressionJoinFilter filter = new ExpressionJoinFilter(ExpressionCompiler.compile(condition, COLUMNS), context);
                VectorSchemaRoot batch = batch(row(2, 1, null, null, null), row(1, 2, null, null, null),
                        row(null, 1, null, null, null), row(5, -5, null, null, null))) {
            int[] selection = new int[4];
            assertEquals(2, filter.filter(batch, selection));
            assertArrayEquals(new int[] {0, 3}, Arrays.copyOf(selection, 2));
            assertTrue(filter.readsColumn(0) && filter.readsColumn(1) && !filter.readsColumn(2));
            assertEquals(">($0, $1)", filter.toString());
        }
    }

    /**
     * Which subexpressions a Project computes once: calls evaluated for every row in two places
     * (an inner one before the outer one that reads it), not calls only a CASE evaluates.
     */
    @Test
    void commonSubexpressions() {
        RexNode a = ref(0);
        RexNode b = ref(1);
        RexNode sum = REX.makeCall(SqlStdOperatorTable.PLUS, a, b);
        RexNode product = REX.makeCall(SqlStdOperatorTable.MULTIPLY, sum, b);
        RexNode outer = REX.makeCall(SqlStdOperatorTable.MINUS, product, a);
        CommonSubexpressions cse = CommonSubexpressions.of(List.of(
                ExpressionCompiler.compile(product, COLUMNS), ExpressionCompiler.compile(outer, COLUMNS)), COLUMNS);
        assertEquals(List.of("+($0, $1)", "*($5, $1)"), cse.shared().stream().map(Object::toString).toList());
        assertEquals(List.of("$6", "-($6, $0)"), cse.projections().stream().map(Object::toString).toList());
        assertEquals(7, cse.columns().size());
        RexNode guarded = REX.makeCall(SqlStdOperatorTable.CASE, REX.makeCall(SqlStdOperatorTable.LESS_THAN, a, b),
                REX.makeCall(SqlStdOperatorTable.DIVIDE, a, REX.makeCall(SqlStdOperatorTable.MINUS, b, b)), REX.makeNullLiteral(type(SqlTypeName.INTEGER)));
        RexNode plusOne = REX.makeCall(SqlStdOperatorTable.PLUS, guarded, REX.makeExactLiteral(java.math.BigDecimal.ONE));
        CommonSubexpressions caseOnly = CommonSubexpressions.of(List.of(
                ExpressionCompiler.compile(guarded, COLUMNS), ExpressionCompiler.compile(plusOne, COLUMNS)), COLUMNS);
        // the CASE is evaluated for every row, twice: shared; the division inside it is not
        assertEquals(1, caseOnly.shared().size());
        assertTrue(caseOnly.shared().get(0).toString().startsWith("CASE("), caseOnly.shared().toString());
    }
}
