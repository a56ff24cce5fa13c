package dev.duet.core.catalog;

import java.util.List;
import java.util.Objects;

/**
 * A view: schema, name, the query text it stands for (planned again at every use), the names of
 * its columns, and the qualified names ({@code schema.name}) of the tables it reads, which DROP
 * TABLE checks (a table a view reads cannot be dropped: 2BP01). Immutable.
 */
public record ViewDef(String schema, String name, String query, List<String> columnNames, List<String> dependsOn) {
    public ViewDef {
        Objects.requireNonNull(schema, "schema is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(query, "query is null");
        columnNames = List.copyOf(columnNames);
        dependsOn = List.copyOf(dependsOn);
    }

    public String qualifiedName() {
        return schema + "." + name;
    }
}
