package dev.duet.planner.ddl;

import java.util.Objects;

/** {@code DROP INDEX [IF EXISTS] name}. */
public record DropIndex(QualifiedName name, boolean ifExists, String sql) implements DdlStatement {
    public DropIndex {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(sql, "sql is null");
    }
}
