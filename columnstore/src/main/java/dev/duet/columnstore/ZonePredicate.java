package dev.duet.columnstore;

import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
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
     * Whether some value in [min, max] of a column of {@code type} may satisfy the predicate; null
     * bounds (unknown statistics) mean it may. Values compare as SQL orders them ({@link
     * Values#compare}): strings by code point, which is the UTF-8 byte order of Parquet's string
     * statistics (Java's {@code String.compareTo} is not), and -0.0 equal to 0.0.
     */
    boolean mayMatch(DataType type, Object min, Object max) {
        if (min == null || max == null) {
            return true;
        }
        try {
            return switch (op) {
                case EQ -> Values.compare(type, value, min) >= 0 && Values.compare(type, value, max) <= 0;
                case LT -> Values.compare(type, value, min) > 0;
                case LE -> Values.compare(type, value, min) >= 0;
                case GT -> Values.compare(type, value, max) < 0;
                case GE -> Values.compare(type, value, max) <= 0;
            };
        } catch (ClassCastException e) {
            // statistics of another Java class than the value: cannot judge, so read the row group
            return true;
        }
    }
}
