package dev.duet.planner.exec.ops;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link SortOperator} orders by: one or more keys, the first most significant.
 *
 * @param keys the ORDER BY keys
 */
public record SortSpec(List<SortKey> keys) {
    public SortSpec {
        keys = List.copyOf(Objects.requireNonNull(keys, "keys is null"));
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a sort needs at least one key");
        }
    }

    @Override
    public String toString() {
        return "order=" + keys;
    }
}
