package dev.duet.planner.exec.ops;

/**
 * {@code LIMIT limit OFFSET offset} for a {@link LimitOperator}: skip {@code offset} rows, then
 * return at most {@code limit}.
 *
 * @param limit  rows to return at most, {@link #ALL} for no limit ({@code LIMIT ALL}, or OFFSET alone)
 * @param offset rows to skip first
 */
public record LimitSpec(long limit, long offset) {
    /** No limit. */
    public static final long ALL = Long.MAX_VALUE;

    public LimitSpec {
        if (limit < 0) {
            throw new IllegalArgumentException("LIMIT must not be negative, got " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("OFFSET must not be negative, got " + offset);
        }
    }

    @Override
    public String toString() {
        return (limit == ALL ? "limit=ALL" : "limit=" + limit) + (offset == 0 ? "" : " offset=" + offset);
    }
}
