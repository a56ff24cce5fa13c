package dev.duet.planner.ddl;

import java.util.Objects;

/** {@code DROP VIEW [IF EXISTS] name}. */
public record DropView(QualifiedName name, boolean ifExists, String sql) implements DdlStatement {
    public DropView {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(sql, "sql is null");
    }
}
