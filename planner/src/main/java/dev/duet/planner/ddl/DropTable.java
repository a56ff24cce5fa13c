package dev.duet.planner.ddl;

import java.util.Objects;

/** {@code DROP TABLE [IF EXISTS] name}. */
public record DropTable(QualifiedName name, boolean ifExists, String sql) implements DdlStatement {
    public DropTable {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(sql, "sql is null");
    }
}
