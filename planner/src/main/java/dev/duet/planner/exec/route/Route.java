package dev.duet.planner.exec.route;

import java.util.Objects;

/**
 * The store one table scan reads and why: {@code estimatedRows} is the column store's estimate of
 * the table's rows (-1 if it was not consulted or cannot serve the table).
 */
public record Route(boolean column, String reason, long estimatedRows) {
    public Route {
        Objects.requireNonNull(reason, "reason is null");
    }

    /** As EXPLAIN shows it: {@code route=column (reason, rows≈N)}. */
    public String describe() {
        return "route=" + (column ? "column" : "row") + " (" + reason
                + (estimatedRows >= 0 ? ", rows≈" + estimatedRows : "") + ")";
    }
}
