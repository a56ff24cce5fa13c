package dev.duet.planner.exec.join;

import java.util.Objects;

/**
 * What a {@link NestedLoopJoinOperator} runs: a join with no equi-join key, where every pair of
 * rows is a candidate and {@code condition} decides which match ({@code a.v BETWEEN b.lo AND b.hi},
 * {@code a.x <> b.y}); no condition is a cross join (every pair matches). Any {@link JoinType};
 * the right input is buffered, so the planner puts the smaller input there.
 *
 * @param condition the ON condition, or null for none (a cross join)
 * @param buildRowsEstimate expected rows of the right input; zero or negative if unknown
 */
public record NestedLoopJoinSpec(JoinType type, JoinFilter condition, long buildRowsEstimate) {
    public NestedLoopJoinSpec {
        Objects.requireNonNull(type, "type is null");
    }

    public NestedLoopJoinSpec(JoinType type, JoinFilter condition) {
        this(type, condition, -1);
    }

    /** {@code left CROSS JOIN right}. */
    public static NestedLoopJoinSpec cross() {
        return new NestedLoopJoinSpec(JoinType.INNER, null, -1);
    }

    @Override
    public String toString() {
        return "NestedLoopJoin[" + type + (condition == null ? ", cross" : ", " + condition)
                + (buildRowsEstimate > 0 ? ", build rows ~" + buildRowsEstimate : "") + "]";
    }
}
