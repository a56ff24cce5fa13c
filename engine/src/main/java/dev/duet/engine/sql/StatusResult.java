package dev.duet.engine.sql;

import dev.duet.planner.OutputColumn;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.VectorSchemaRoot;

/** The result of a statement that returns no rows: a command tag and an update count. */
record StatusResult(String commandTag, long updateCount) implements Result {
    StatusResult {
        Objects.requireNonNull(commandTag, "commandTag is null");
    }

    static StatusResult of(String tag) {
        return new StatusResult(tag, 0);
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
