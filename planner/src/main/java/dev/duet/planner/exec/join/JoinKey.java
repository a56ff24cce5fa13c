package dev.duet.planner.exec.join;

/**
 * One equi-join condition {@code left.column(left) = right.column(right)}, by column index in each
 * input. Both columns have one type (the planner casts otherwise).
 */
public record JoinKey(int left, int right) {
    public JoinKey {
        if (left < 0 || right < 0) {
            throw new IllegalArgumentException("join key columns must not be negative: " + left + ", " + right);
        }
    }

    @Override
    public String toString() {
        return "left." + left + " = right." + right;
    }
}
