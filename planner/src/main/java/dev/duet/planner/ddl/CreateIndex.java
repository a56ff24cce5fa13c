package dev.duet.planner.ddl;

import java.util.List;
import java.util.Objects;

/** {@code CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (columns)}. */
public record CreateIndex(String indexName, QualifiedName table, List<String> columns, boolean unique,
        boolean ifNotExists, String sql) implements DdlStatement {
    public CreateIndex {
        Objects.requireNonNull(indexName, "indexName is null");
        Objects.requireNonNull(table, "table is null");
        columns = List.copyOf(columns);
        Objects.requireNonNull(sql, "sql is null");
    }
}
