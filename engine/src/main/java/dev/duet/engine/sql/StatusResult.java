package dev.duet.engine.sql;

import dev.duet.planner.OutputColumn;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The result of a statement that returns no rows: a command tag and an update count. A counted
 * tag ({@code "INSERT 0 5"}) is built only when asked for: JDBC never asks, and building it was a
 * tenth of a single-row INSERT.
 */
record StatusResult(String tag, long updateCount, boolean counted) implements Result {
    StatusResult {
        Objects.requireNonNull(tag, "tag is null");
    }

    /** A tag without a count ({@code "CREATE TABLE"}); update count 0. */
    static StatusResult of(String tag) {
        return new StatusResult(tag, 0, false);
    }

    /** The tag {@code prefix + count} ({@code "UPDATE 3"}), with that update count. */
    static StatusResult counted(String prefix, long count) {
        return new StatusResult(prefix, count, true);
    }

    @Override
    public String commandTag() {
        return counted ? tag + updateCount : tag;
    }

    @Override
    public boolean returnsRows() {
        return false;
    }

    @Override
    public List<OutputColumn> columns() {
        return List.of();
    }

    @Override
    public VectorSchemaRoot nextBatch() {
        return null;
    }

    @Override
    public void close() {
    }
}
