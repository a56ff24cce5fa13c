package dev.duet.planner.exec.ops;

import java.util.List;
import java.util.Objects;

/**
 * {@code ORDER BY keys LIMIT limit OFFSET offset} for a {@link TopNOperator}, which keeps only the
 * best {@code offset + limit} rows instead of sorting them all.
 *
 * @param keys   the ORDER BY keys
 * @param limit  rows to return at most
 * @param offset rows to skip first
 */
public record TopNSpec(List<SortKey> keys, long limit, long offset) {
    public TopNSpec {
        keys = List.copyOf(Objects.requireNonNull(keys, "keys is null"));
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a top-N needs at least one key");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("LIMIT must not be negative, got " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("OFFSET must not be negative, got " + offset);
        }
    }

    /** Rows the operator must keep: {@code offset + limit}, saturating. */
    public long keep() {
        long k = offset + limit;
        return k < 0 ? Long.MAX_VALUE : k;
    }

    @Override
    public String toString() {
        return "order=" + keys + " limit=" + limit + (offset == 0 ? "" : " offset=" + offset);
    }
}
