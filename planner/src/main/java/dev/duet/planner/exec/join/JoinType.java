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
    ANTI,
    /**
     * Each right row that has a match, once; right columns only: SEMI with the inputs' roles
     * mirrored, so that the smaller input is the one buffered (TPC-H q4: the orders of one
     * quarter are built, the line items probe them).
     */
    RIGHT_SEMI,
    /** Each right row that has no match (a NULL key has none); right columns only: ANTI mirrored. */
    RIGHT_ANTI;

    /** Whether the output has the left input's columns (all but RIGHT_SEMI and RIGHT_ANTI). */
    public boolean outputsLeft() {
        return this != RIGHT_SEMI && this != RIGHT_ANTI;
    }

    /** Whether the output has the right input's columns, after the left's if any (all but SEMI and ANTI). */
    public boolean outputsRight() {
        return this != SEMI && this != ANTI;
    }

    /** Whether matched pairs are output (as opposed to rows of one side decided by whether they match). */
    public boolean outputsPairs() {
        return outputsLeft() && outputsRight();
    }

    /** Whether which right rows matched is tracked until the end of the probe (RIGHT, FULL and the mirrored ones). */
    public boolean tracksRightMatches() {
        return keepsUnmatchedRight() || !outputsLeft();
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
