package dev.duet.planner.ddl;

import dev.duet.planner.PlannedQuery;
import java.util.List;
import java.util.Objects;

/**
 * {@code CREATE [OR REPLACE] VIEW name [(columns)] AS query}. {@link #queryText()} is the text
 * to store in the catalog (a view is re-planned from text on use); {@link #query()} is the
 * query planned now, which proves it valid and gives the view's columns.
 */
public record CreateView(QualifiedName name, boolean orReplace, PlannedQuery query, String queryText, String sql)
        implements DdlStatement {
    public CreateView {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(query, "query is null");
        Objects.requireNonNull(queryText, "queryText is null");
        Objects.requireNonNull(sql, "sql is null");
    }

    public List<String> columnNames() {
        return query.columnNames();
    }
}
