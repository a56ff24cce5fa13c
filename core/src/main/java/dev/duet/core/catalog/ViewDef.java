package dev.duet.core.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A view: schema, name, the query text it stands for (planned again at every use), its columns
 * (name, type, NOT NULL when the query's column cannot be NULL; no defaults) as they were when the
 * view was created, and the qualified names ({@code schema.name}) of the tables it reads, which
 * DROP TABLE checks (a table a view reads cannot be dropped: 2BP01). Immutable.
 */
public record ViewDef(String schema, String name, String query, List<ColumnDef> columns, List<String> dependsOn) {
    public ViewDef {
        Objects.requireNonNull(schema, "schema is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(query, "query is null");
        columns = List.copyOf(columns);
        dependsOn = List.copyOf(dependsOn);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("view " + name + " has no columns");
        }
    }

    /** The column names in order. */
    public List<String> columnNames() {
        return columns.stream().map(ColumnDef::name).toList();
    }

    public String qualifiedName() {
        return schema + "." + name;
    }
}
