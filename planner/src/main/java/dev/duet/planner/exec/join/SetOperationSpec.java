package dev.duet.planner.exec.join;

import java.util.Objects;

/**
 * What a {@link SetOperationOperator} runs: {@code UNION}, {@code INTERSECT [ALL]} or
 * {@code EXCEPT [ALL]} over two or more inputs, left-associative as SQL chains them
 * ({@code a EXCEPT b EXCEPT c}). Rows compare with NULL equal to NULL, as SQL set operations do.
 * {@code UNION ALL} is {@link UnionAllOperator}, which needs no spec.
 *
 * <p>Multiplicities, for a row that appears m times in the first input and n times in another:
 * UNION / INTERSECT / EXCEPT give it at most once; INTERSECT ALL min(m, n) times; EXCEPT ALL
 * max(m - n, 0) times.
 *
 * @param rowsEstimate expected distinct rows of the result's table (the first input for
 *        INTERSECT and EXCEPT, all inputs for UNION); zero or negative if unknown
 */
public record SetOperationSpec(Kind kind, boolean all, long rowsEstimate) {
    /** The set operations. */
    public enum Kind { UNION, INTERSECT, EXCEPT }

    public SetOperationSpec {
        Objects.requireNonNull(kind, "kind is null");
        if (kind == Kind.UNION && all) {
            throw new IllegalArgumentException("UNION ALL needs no hash table: use UnionAllOperator");
        }
    }

    public SetOperationSpec(Kind kind, boolean all) {
        this(kind, all, -1);
    }

    @Override
    public String toString() {
        return kind + (all ? " ALL" : "") + (rowsEstimate > 0 ? " [rows ~" + rowsEstimate + "]" : "");
    }
}
