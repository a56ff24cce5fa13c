package dev.duet.core.catalog;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A secondary index: id (assigned by the catalog from the same counter as table ids), schema
 * (always its table's), name, the indexed table's id, the indexed column positions in index order,
 * and whether it is unique. A unique index treats NULLs as distinct, as PostgreSQL does: two rows
 * conflict only when every indexed column is non-null and equal. Immutable.
 */
public final class IndexDef {
    private final long id;
    private final String schema;
    private final String name;
    private final long tableId;
    private final int[] columns;
    private final boolean unique;

    public IndexDef(long id, String schema, String name, long tableId, int[] columns, boolean unique) {
        this.id = id;
        this.schema = Objects.requireNonNull(schema, "schema is null");
        this.name = Objects.requireNonNull(name, "name is null");
        this.tableId = tableId;
        this.columns = columns.clone();
        this.unique = unique;
        if (this.columns.length == 0) {
            throw DuetException.of(SqlState.INVALID_TABLE_DEFINITION, "index \"%s\" must name at least one column", name);
        }
        Set<Integer> seen = new HashSet<>();
        for (int c : this.columns) {
            if (c < 0 || !seen.add(c)) {
                throw DuetException.of(SqlState.DUPLICATE_COLUMN, "column %d appears twice in index \"%s\"", c, name);
            }
        }
    }

    /**
     * An index named {@code name} on {@code columnNames} of {@code table}, not yet created (its id
     * is assigned by {@link Catalog#withNewIndex}); 42703 if a column does not exist.
     */
    public static IndexDef on(TableDef table, String name, boolean unique, String... columnNames) {
        int[] cols = new int[columnNames.length];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = table.requireColumn(columnNames[i]);
        }
        return new IndexDef(TableDef.UNASSIGNED, table.schema(), name, table.id(), cols, unique);
    }

    public IndexDef withId(long newId) {
        return new IndexDef(newId, schema, name, tableId, columns, unique);
    }

    public long id() {
        return id;
    }

    public String schema() {
        return schema;
    }

    public String name() {
        return name;
    }

    public String qualifiedName() {
        return schema + "." + name;
    }

    public long tableId() {
        return tableId;
    }

    /** Indexed column positions of the table, in index order. */
    public int[] columns() {
        return columns.clone();
    }

    public int columnCount() {
        return columns.length;
    }

    public int column(int position) {
        return columns[position];
    }

    public boolean unique() {
        return unique;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexDef x && x.id == id && x.schema.equals(schema) && x.name.equals(name)
                && x.tableId == tableId && Arrays.equals(x.columns, columns) && x.unique == unique;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, schema, name, tableId, Arrays.hashCode(columns), unique);
    }

    @Override
    public String toString() {
        return (unique ? "UNIQUE INDEX " : "INDEX ") + qualifiedName() + " ON table " + tableId + " " + Arrays.toString(columns);
    }
}
