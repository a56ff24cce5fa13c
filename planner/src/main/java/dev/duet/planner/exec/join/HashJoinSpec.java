package dev.duet.planner.exec.join;

import java.util.Arrays;
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
 * @param outputs which columns of the whole output (the left columns then the right ones, as the
 *        type has them) the join produces, ascending, or null for all: the planner leaves out
 *        what the consumer does not read (typically the key columns), so that they are neither
 *        copied into each output row nor, on the build side, buffered
 */
public record HashJoinSpec(JoinType type, List<JoinKey> keys, JoinFilter residual, long buildRowsEstimate, int[] outputs) {
    public HashJoinSpec {
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(keys, "keys is null");
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a hash join needs at least one equi-join key; use NestedLoopJoinSpec");
        }
        if (outputs != null) {
            outputs = outputs.clone();
            for (int i = 1; i < outputs.length; i++) {
                if (outputs[i] <= outputs[i - 1]) {
                    throw new IllegalArgumentException("output columns must ascend: " + Arrays.toString(outputs));
                }
            }
        }
    }

    /** A join of every output column. */
    public HashJoinSpec(JoinType type, List<JoinKey> keys, JoinFilter residual, long buildRowsEstimate) {
        this(type, keys, residual, buildRowsEstimate, null);
    }

    /** A join on {@code keys} with no residual and no estimate. */
    public HashJoinSpec(JoinType type, List<JoinKey> keys) {
        this(type, keys, null, -1);
    }

    @Override
    public int[] outputs() {
        return outputs == null ? null : outputs.clone();
    }

    /** A copy with a residual condition. */
    public HashJoinSpec withResidual(JoinFilter residual) {
        return new HashJoinSpec(type, keys, residual, buildRowsEstimate, outputs);
    }

    /** A copy with a build-side row estimate. */
    public HashJoinSpec withBuildRowsEstimate(long rows) {
        return new HashJoinSpec(type, keys, residual, rows, outputs);
    }

    /** A copy producing only the output columns {@code columns} (ascending), or all for null. */
    public HashJoinSpec withOutputs(int[] columns) {
        return new HashJoinSpec(type, keys, residual, buildRowsEstimate, columns);
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
        if (outputs != null) {
            s.append(", outputs ").append(Arrays.toString(outputs));
        }
        return s.append(']').toString();
    }
}
