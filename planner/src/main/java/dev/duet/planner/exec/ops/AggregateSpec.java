package dev.duet.planner.exec.ops;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link HashAggregateOperator} computes: the input columns it groups by (in output order;
 * none for a single-group aggregate such as {@code SELECT count(*) FROM t}) and the aggregates.
 * The output has the key columns first, then one column per aggregate, as Calcite's Aggregate.
 *
 * @param groupKeys  input column indexes of the grouping keys
 * @param aggregates the aggregates, in output order
 */
public record AggregateSpec(List<Integer> groupKeys, List<AggregateCall> aggregates) {
    public AggregateSpec {
        groupKeys = List.copyOf(Objects.requireNonNull(groupKeys, "groupKeys is null"));
        aggregates = List.copyOf(Objects.requireNonNull(aggregates, "aggregates is null"));
        for (int k : groupKeys) {
            if (k < 0) {
                throw new IllegalArgumentException("group key column " + k);
            }
        }
    }

    /** Group keys as an array. */
    int[] keyArray() {
        return groupKeys.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("group=[");
        for (int i = 0; i < groupKeys.size(); i++) {
            b.append(i == 0 ? "$" : ", $").append(groupKeys.get(i));
        }
        b.append("] aggregates=").append(aggregates);
        return b.toString();
    }
}
