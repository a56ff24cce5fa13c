package dev.duet.planner.ddl;

import dev.duet.core.catalog.Catalog;
import java.util.Objects;

/** A schema-qualified object name; an unqualified name is in schema {@code public}. */
public record QualifiedName(String schema, String name) {
    public QualifiedName {
        Objects.requireNonNull(schema, "schema is null");
        Objects.requireNonNull(name, "name is null");
    }

    public static QualifiedName of(String name) {
        return new QualifiedName(Catalog.DEFAULT_SCHEMA, name);
    }

    @Override
    public String toString() {
        return Catalog.DEFAULT_SCHEMA.equals(schema) ? name : schema + "." + name;
    }
}
