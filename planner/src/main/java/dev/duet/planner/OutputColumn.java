package dev.duet.planner;

import dev.duet.core.types.DataType;
import java.util.Objects;

/** A column of a query result: its name as the client sees it, its type, whether it may be NULL. */
public record OutputColumn(String name, DataType type, boolean nullable) {
    public OutputColumn {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
    }
}
