package dev.duet.columnstore;

import java.util.Objects;

/**
 * A simple condition {@code column op value} that a scan uses to skip row groups whose min/max
 * statistics prove no row can match. It only skips: rows of the row groups that are read are
 * returned whether they match or not, and the caller still filters them. {@code value} is a
 * canonical value of the column's type (see {@link dev.duet.core.types.DataType}); NULL never
 * matches a comparison, so a row group of only NULLs is skipped too.
 */
public record ZonePredicate(int column, Op op, Object value) {
    /** The comparison. */
    public enum Op { EQ, LT, LE, GT, GE }

    public ZonePredicate {
        Objects.requireNonNull(op, "op is null");
        Objects.requireNonNull(value, "value is null");
    }

    /**
     * Whether some value in [min, max] may satisfy the predicate; null bounds (unknown statistics)
     * mean it may.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    boolean mayMatch(Object min, Object max) {
        if (min == null || max == null || !(value instanceof Comparable v)) {
            return true;
        }
        try {
            return switch (op) {
                case EQ -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0;
                case LT -> v.compareTo(min) > 0;
                case LE -> v.compareTo(min) >= 0;
                case GT -> v.compareTo(max) < 0;
                case GE -> v.compareTo(max) <= 0;
            };
        } catch (ClassCastException e) {
            // statistics of another Java class than the value: cannot judge, so read the row group
            return true;
        }
    }
}
