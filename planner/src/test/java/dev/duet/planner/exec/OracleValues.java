package dev.duet.planner.exec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * Compares a value DuckDB returned (through JDBC) with the value Duet returned for the same cell:
 * numbers by value whatever their Java class ({@code 12.30} equals {@code 12.3}, an Integer a
 * Long), doubles within 1e-9 relative, byte arrays by content. Shared by the differential tests
 * of this module and of the datasets module (TPC-H).
 */
public final class OracleValues {
    private OracleValues() {
    }

    /** Value equality across the two engines' Java types. */
    public static boolean same(Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        if (expected instanceof Number && actual instanceof Number) {
            if (expected instanceof Double || expected instanceof Float || actual instanceof Double || actual instanceof Float) {
                double x = ((Number) expected).doubleValue();
                double y = ((Number) actual).doubleValue();
                if (Double.isNaN(x) || Double.isNaN(y) || Double.isInfinite(x) || Double.isInfinite(y)) {
                    return Double.compare(x, y) == 0;
                }
                return x == y || Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
            }
            return decimal(expected).compareTo(decimal(actual)) == 0;
        }
        if (expected instanceof byte[] x && actual instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return expected.equals(actual);
    }

    /** A number as a BigDecimal, for ordering; NaN and infinities map above and below every finite double. */
    public static BigDecimal decimal(Object n) {
        if (n instanceof BigDecimal b) {
            return b;
        }
        if ((n instanceof Double || n instanceof Float) && !Double.isFinite(((Number) n).doubleValue())) {
            double d = ((Number) n).doubleValue(); // NaN sorts above +Infinity, as in PostgreSQL
            return BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.valueOf(Double.isNaN(d) ? 3 : d > 0 ? 2 : -2));
        }
        if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        return new BigDecimal(n.toString());
    }
}
