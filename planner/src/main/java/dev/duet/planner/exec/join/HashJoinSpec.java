package dev.duet.planner.exec.join;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link HashJoinOperator} runs: the join type, the equi-join keys (at least one), an
 * optional residual condition on the pairs with equal keys, and the planner's estimate of the
 * build (right) side's row count. The planner puts the smaller input on the right.
 *
 * <p>The residual takes part in matching: in {@code LEFT JOIN b ON a.k = b.k AND b.x > 5} a left
 * row whose only equal-key partners fail {@code b.x > 5} is unmatched and comes out NULL-extended.
 *
 * @param residual the non-equi part of the condition, or null for none
 * @param buildRowsEstimate expected rows of the right input, used to size the build side up
 *        front; zero or negative if unknown. A wrong estimate costs speed, never correctness.
 */
public record HashJoinSpec(JoinType type, List<JoinKey> keys, JoinFilter residual, long buildRowsEstimate) {
    public HashJoinSpec {
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(keys, "keys is null");
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a hash join needs at least one equi-join key; use NestedLoopJoinSpec");
        }
    }

    /** A join on {@code keys} with no residual and no estimate. */
    public HashJoinSpec(JoinType type, List<JoinKey> keys) {
        this(type, keys, null, -1);
    }

    /** A copy with a residual condition. */
    public HashJoinSpec withResidual(JoinFilter residual) {
        return new HashJoinSpec(type, keys, residual, buildRowsEstimate);
    }

    /** A copy with a build-side row estimate. */
    public HashJoinSpec withBuildRowsEstimate(long rows) {
        return new HashJoinSpec(type, keys, residual, rows);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("HashJoin[").append(type).append(", ");
        for (int i = 0; i < keys.size(); i++) {
            s.append(i == 0 ? "" : " AND ").append(keys.get(i));
        }
        if (residual != null) {
            s.append(", residual: ").append(residual);
        }
        if (buildRowsEstimate > 0) {
            s.append(", build rows ~").append(buildRowsEstimate);
        }
        return s.append(']').toString();
    }
}
