package dev.duet.planner;

import java.util.Objects;

/**
 * {@code EXPLAIN [ANALYZE] statement} (or Calcite's {@code EXPLAIN PLAN FOR statement}): the planned
 * statement to describe; with {@link #analyze()} also to run, reporting what happened.
 */
public record PlannedExplain(PlannedStatement explained, boolean analyze, String sql) implements PlannedStatement {
    public PlannedExplain {
        Objects.requireNonNull(explained, "explained is null");
        Objects.requireNonNull(sql, "sql is null");
    }

    @Override
    public Kind kind() {
        return Kind.EXPLAIN;
    }
}
