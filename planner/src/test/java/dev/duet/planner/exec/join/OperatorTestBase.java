package dev.duet.planner.exec.join;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;

/**
 * Per test: a root allocator and a query context on it; after the test the context must close
 * without a leak (its close() throws on leaked bytes) and the root must be empty. Plus draining an
 * operator while checking the Operator contract, and comparing row multisets.
 */
abstract class OperatorTestBase {
    final RootAllocator root = new RootAllocator();
    private final List<QueryContext> contexts = new ArrayList<>();

    @AfterEach
    void contextsCloseWithoutLeaks() {
        for (QueryContext ctx : contexts) {
            ctx.close(); // throws IllegalStateException on leaked Arrow memory
        }
        assertEquals(0, root.getAllocatedMemory(), "memory left in the root allocator");
        root.close();
    }

    /** A query context with a generous limit and the given batch size. */
    QueryContext context(int batchSize) {
        return context(batchSize, 1L << 32);
    }

    QueryContext context(int batchSize, long memoryLimit) {
        QueryContext ctx = new QueryContext(root, memoryLimit);
        ctx.setBatchSize(batchSize);
        contexts.add(ctx);
        return ctx;
    }

    /** All rows of {@code op} (normalized, see {@link #normalize}), checking the contract; closes it. */
    static List<List<Object>> drain(Operator op) {
        try (op) {
            List<List<Object>> rows = new ArrayList<>();
            List<BatchColumn> columns = op.columns();
            for (VectorSchemaRoot batch = op.next(); batch != null; batch = op.next()) {
                assertTrue(batch.getRowCount() > 0, "a returned batch has at least one row");
                List<FieldVector> vectors = batch.getFieldVectors();
                assertEquals(columns.size(), vectors.size(), "columns of the batch");
                for (int c = 0; c < columns.size(); c++) {
                    assertEquals(columns.get(c).type().arrowType(), vectors.get(c).getField().getType(), "type of column " + c);
                    assertEquals(batch.getRowCount(), vectors.get(c).getValueCount(), "value count of column " + c);
                    if (!columns.get(c).nullable()) {
                        assertEquals(0, vectors.get(c).getNullCount(), "NULL in NOT NULL column " + columns.get(c));
                    }
                }
                for (Object[] row : Batches.rows(batch)) {
                    rows.add(normalize(row));
                }
            }
            assertNull(op.next(), "next() keeps returning null at the end");
            return rows;
        }
    }

    /** A row in a comparable form: byte[] as ByteBuffer, BigDecimal without trailing zeros. */
    static List<Object> normalize(Object[] row) {
        List<Object> out = new ArrayList<>(row.length);
        for (Object v : row) {
            out.add(normalizeValue(v));
        }
        return out;
    }

    static Object normalizeValue(Object v) {
        if (v instanceof byte[] b) {
            return ByteBuffer.wrap(b.clone());
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        return v;
    }

    static List<List<Object>> normalizeAll(List<Object[]> rows) {
        List<List<Object>> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(normalize(r));
        }
        return out;
    }

    /** Same rows, same multiplicities, any order. */
    static void assertSameRows(List<List<Object>> expected, List<List<Object>> actual, String what) {
        Map<List<Object>, Integer> e = counts(expected);
        Map<List<Object>, Integer> a = counts(actual);
        if (e.equals(a)) {
            return;
        }
        StringBuilder s = new StringBuilder(what).append(": expected ").append(expected.size()).append(" rows, got ")
                .append(actual.size()).append('\n');
        int shown = 0;
        for (Map.Entry<List<Object>, Integer> x : e.entrySet()) {
            int got = a.getOrDefault(x.getKey(), 0);
            if (got != x.getValue() && shown++ < 15) {
                s.append("  expected ").append(x.getValue()).append("x, got ").append(got).append("x: ").append(x.getKey()).append('\n');
            }
        }
        for (Map.Entry<List<Object>, Integer> x : a.entrySet()) {
            if (!e.containsKey(x.getKey()) && shown++ < 30) {
                s.append("  unexpected ").append(x.getValue()).append("x: ").append(x.getKey()).append('\n');
            }
        }
        fail(s.toString());
    }

    private static Map<List<Object>, Integer> counts(List<List<Object>> rows) {
        Map<List<Object>, Integer> m = new HashMap<>();
        for (List<Object> r : rows) {
            m.merge(r, 1, Integer::sum);
        }
        return m;
    }

    static DuetException assertFails(SqlState state, Runnable action) {
        DuetException e = assertThrows(DuetException.class, action::run);
        assertEquals(state, e.state(), e::toString);
        return e;
    }

    static Object[] row(Object... values) {
        return values;
    }

    static List<Object> list(Object... values) {
        return normalize(values);
    }

    static Object[] concat(Object[] a, Object[] b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
