package dev.duet.planner.ddl;

import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.planner.PlannedQuery;
import java.util.List;
import java.util.Objects;

/**
 * {@code CREATE TABLE [IF NOT EXISTS] name (columns..., PRIMARY KEY (...))} or
 * {@code CREATE TABLE name AS query}. For the AS form, {@link #columns()} are the query's result
 * columns and {@link #query()} fills the table; otherwise the query is null.
 */
public record CreateTable(QualifiedName name, List<ColumnDef> columns, List<String> primaryKey, boolean ifNotExists,
        PlannedQuery query, String sql) implements DdlStatement {
    public CreateTable {
        Objects.requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        Objects.requireNonNull(sql, "sql is null");
    }

    /** The definition to add to the catalog (id unassigned; key columns become NOT NULL). */
    public TableDef tableDef() {
        TableDef.Builder b = TableDef.builder(name.schema(), name.name());
        columns.forEach(b::column);
        return b.primaryKey(primaryKey.toArray(String[]::new)).build();
    }
}
