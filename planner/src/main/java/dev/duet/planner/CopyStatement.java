package dev.duet.planner;

import dev.duet.core.catalog.TableDef;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * PostgreSQL's COPY, resolved: {@code COPY table [(columns)] TO file} and {@code COPY (query) TO
 * file} carry the {@link #query()} whose rows to write; {@code COPY table [(columns)] FROM file}
 * carries the {@link #target()} table and the {@link #columns()} the file fills (all columns if
 * none are named). A null {@link #path()} is STDOUT / STDIN (the client's stream). Option names
 * are lower case ({@code format}, {@code header}, ...); a flag without a value is "true". The
 * engine validates the options it supports.
 */
public record CopyStatement(boolean to, PlannedQuery query, TableDef target, List<String> columns, String path,
        Map<String, String> options, String sql) implements PlannedStatement {
    public CopyStatement {
        if (to ? query == null || target != null : query != null || target == null) {
            throw new IllegalArgumentException("COPY TO needs a query, COPY FROM a target table");
        }
        columns = List.copyOf(columns);
        options = Map.copyOf(options);
        Objects.requireNonNull(sql, "sql is null");
    }

    @Override
    public Kind kind() {
        return Kind.COPY;
    }
}
