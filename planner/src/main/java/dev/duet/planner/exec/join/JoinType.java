package dev.duet.planner.exec.join;

/**
 * The kinds of join the join operators run. The left input is the probe side and the right input
 * the build side; "matched" means at least one pair of rows with equal keys (NULL keys never
 * match) that the residual condition, if any, accepts.
 */
public enum JoinType {
    /** Matched pairs. */
    INNER,
    /** Matched pairs, plus each unmatched left row with NULLs for the right columns. */
    LEFT,
    /** Matched pairs, plus each unmatched right row with NULLs for the left columns. */
    RIGHT,
    /** Matched pairs, plus unmatched rows of both sides, NULL-extended. */
    FULL,
    /** Each left row that has a match, once; left columns only ({@code EXISTS}). */
    SEMI,
    /**
     * Each left row that has no match; left columns only ({@code NOT EXISTS}). A left row with a
     * NULL key has no match, so it is kept: this is not the null-aware anti-join of
     * {@code NOT IN}, which the planner must express otherwise.
     */
    ANTI;

    /** Whether the output has the right input's columns after the left's (all but SEMI and ANTI). */
    public boolean outputsRight() {
        return this != SEMI && this != ANTI;
    }

    /** Whether unmatched left rows are kept, NULL-extended. */
    public boolean keepsUnmatchedLeft() {
        return this == LEFT || this == FULL;
    }

    /** Whether unmatched right rows are kept, NULL-extended. */
    public boolean keepsUnmatchedRight() {
        return this == RIGHT || this == FULL;
    }
}
