package dev.duet.planner.ddl;

import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.planner.OutputColumn;
import dev.duet.planner.PlannedQuery;
import dev.duet.planner.catalog.DuetTable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;

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

    /**
     * The catalog entry for this view: its text, its columns (types and nullability as planned
     * now) and the tables its plan reads (those of views it uses included), which DROP TABLE
     * protects. Store it with {@code Transaction.createView(viewDef(), orReplace())}.
     */
    public ViewDef viewDef() {
        List<ColumnDef> columns = new ArrayList<>();
        for (OutputColumn c : query.columns()) {
            columns.add(new ColumnDef(c.name(), c.type(), !c.nullable(), null));
        }
        Set<String> tables = new LinkedHashSet<>();
        for (RelOptTable t : RelOptUtil.findAllTables(query.plan())) {
            DuetTable table = t.unwrap(DuetTable.class);
            if (table != null) {
                tables.add(table.tableDef().qualifiedName());
            }
        }
        return new ViewDef(name.schema(), name.name(), queryText, columns, List.copyOf(tables));
    }
}
