package dev.duet.planner.exec.ops;

import dev.duet.core.types.DataType;
import java.util.Objects;

/**
 * One aggregate of an {@link AggregateSpec}: its kind, the input column it reads, whether it
 * aggregates distinct values only, an optional filter column, and the name and SQL type of its
 * output column (the type the planner derived; {@link AggregateKind} lists what each kind accepts).
 *
 * @param kind      the function
 * @param argument  index of the input column aggregated; -1 for {@link AggregateKind#COUNT_STAR}
 * @param distinct  aggregate each distinct (non-NULL) value of the group once, as
 *                  {@code COUNT(DISTINCT x)}
 * @param filter    index of a BOOLEAN input column: only rows where it is TRUE are aggregated
 *                  ({@code FILTER (WHERE ...)}, Calcite's {@code filterArg}); -1 for none
 * @param name      the output column's name
 * @param type      the output column's SQL type
 */
public record AggregateCall(AggregateKind kind, int argument, boolean distinct, int filter, String name, DataType type) {
    public AggregateCall {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        if (kind == AggregateKind.COUNT_STAR ? argument != -1 : argument < 0) {
            throw new IllegalArgumentException(kind + " with argument column " + argument);
        }
        if (kind == AggregateKind.COUNT_STAR && distinct) {
            throw new IllegalArgumentException("COUNT(*) cannot be DISTINCT");
        }
        if (filter < -1) {
            throw new IllegalArgumentException("filter column " + filter);
        }
    }

    /** {@code COUNT(*)} named {@code name}. */
    public static AggregateCall countStar(String name) {
        return new AggregateCall(AggregateKind.COUNT_STAR, -1, false, -1, name, DataType.BIGINT);
    }

    /** {@code kind(column)} without DISTINCT or filter. */
    public static AggregateCall of(AggregateKind kind, int column, String name, DataType type) {
        return new AggregateCall(kind, column, false, -1, name, type);
    }

    /** {@code kind(DISTINCT column)}. */
    public static AggregateCall distinct(AggregateKind kind, int column, String name, DataType type) {
        return new AggregateCall(kind, column, true, -1, name, type);
    }

    /** This call with a filter column. */
    public AggregateCall withFilter(int column) {
        return new AggregateCall(kind, argument, distinct, column, name, type);
    }

    /** Whether the output can be NULL: every kind but the counts. */
    public boolean nullable() {
        return kind != AggregateKind.COUNT_STAR && kind != AggregateKind.COUNT;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(kind == AggregateKind.COUNT_STAR ? "COUNT" : kind.name()).append('(');
        if (kind == AggregateKind.COUNT_STAR) {
            b.append('*');
        } else {
            b.append(distinct ? "DISTINCT $" : "$").append(argument);
        }
        b.append(')');
        if (filter >= 0) {
            b.append(" FILTER $").append(filter);
        }
        return b.append(" AS ").append(name).append(' ').append(type).toString();
    }
}
