package dev.duet.planner.exec.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Draining operators (checking the batch contract) and comparing row lists with a tolerance for doubles. */
final class OperatorAssertions {
    static final double RELATIVE_TOLERANCE = 1e-9;

    private OperatorAssertions() {
    }

    /** Every row the operator returns, checking each batch against the Operator contract. */
    static List<Object[]> drain(Operator op) {
        List<Object[]> out = new ArrayList<>();
        List<BatchColumn> columns = op.columns();
        for (VectorSchemaRoot b = op.next(); b != null; b = op.next()) {
            assertTrue(b.getRowCount() >= 1, "a batch must have at least one row");
            List<FieldVector> vectors = b.getFieldVectors();
            assertEquals(columns.size(), vectors.size(), "columns");
            for (int c = 0; c < columns.size(); c++) {
                assertEquals(columns.get(c).field().getType(), vectors.get(c).getField().getType(), "type of column " + c);
                assertEquals(b.getRowCount(), vectors.get(c).getValueCount(), "value count of column " + c);
            }
            out.addAll(Batches.rows(b));
        }
        assertNull(op.next(), "next() after the end");
        return out;
    }

    /** A value in a form that compares across Duet and DuckDB: exact numbers as stripped BigDecimals, bytes as hex. */
    static Object canonical(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Short || v instanceof Integer || v instanceof Long) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        return v;
    }

    static List<Object[]> canonical(List<Object[]> rows) {
        List<Object[]> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            Object[] c = new Object[r.length];
            for (int i = 0; i < r.length; i++) {
                c[i] = canonical(r[i]);
            }
            out.add(c);
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static final Comparator<Object[]> ROW_ORDER = (a, b) -> {
        for (int i = 0; i < a.length; i++) {
            Object x = a[i];
            Object y = b[i];
            if (x == null || y == null) {
                if (x != y) {
                    return x == null ? -1 : 1;
                }
                continue;
            }
            int c = ((Comparable) x).compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    /** Same rows in any order (both sides canonicalised and sorted). */
    static void assertSameRows(List<Object[]> expected, List<Object[]> actual) {
        List<Object[]> e = new ArrayList<>(canonical(expected));
        List<Object[]> a = new ArrayList<>(canonical(actual));
        e.sort(ROW_ORDER);
        a.sort(ROW_ORDER);
        assertSameOrder0(e, a);
    }

    /** Same rows in the same order. */
    static void assertSameOrder(List<Object[]> expected, List<Object[]> actual) {
        assertSameOrder0(canonical(expected), canonical(actual));
    }

    private static void assertSameOrder0(List<Object[]> e, List<Object[]> a) {
        if (e.size() != a.size()) {
            fail("expected " + e.size() + " rows, got " + a.size() + "\nfirst expected: " + head(e) + "\nfirst actual:   " + head(a));
        }
        for (int r = 0; r < e.size(); r++) {
            Object[] x = e.get(r);
            Object[] y = a.get(r);
            assertEquals(x.length, y.length, "columns of row " + r);
            for (int c = 0; c < x.length; c++) {
                if (!same(x[c], y[c])) {
                    fail("row " + r + " column " + c + ": expected " + Arrays.toString(x) + " got " + Arrays.toString(y));
                }
            }
        }
    }

    static boolean same(Object x, Object y) {
        if (x == null || y == null) {
            return x == y;
        }
        if (x instanceof Double d && y instanceof Double e) {
            if (d.isNaN() || e.isNaN() || d.isInfinite() || e.isInfinite()) {
                return d.equals(e);
            }
            double diff = Math.abs(d - e);
            return diff == 0 || diff <= RELATIVE_TOLERANCE * Math.max(Math.abs(d), Math.abs(e));
        }
        if (x instanceof BigDecimal d && y instanceof BigDecimal e) {
            return d.compareTo(e) == 0;
        }
        return x.equals(y);
    }

    private static String head(List<Object[]> rows) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(5, rows.size()); i++) {
            b.append(Arrays.toString(rows.get(i))).append(' ');
        }
        return b.toString();
    }
}
