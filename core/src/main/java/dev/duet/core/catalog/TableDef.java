package dev.duet.core.catalog;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.types.DataType;
import dev.duet.core.types.KeyCodec;
import dev.duet.core.types.RowCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A table definition: id, schema, name, columns and primary key (column positions, in key order).
 * A table without a primary key is keyed by a hidden row id. Immutable; ids are assigned by the
 * catalog when the table is created ({@link #UNASSIGNED} before that).
 */
public final class TableDef {
    public static final long UNASSIGNED = 0;

    private final long id;
    private final String schema;
    private final String name;
    private final List<ColumnDef> columns;
    private final int[] primaryKey;
    private final DataType[] columnTypes;
    private final DataType[] keyTypes;
    private final RowCodec rowCodec;
    private final KeyCodec keyCodec;

    public TableDef(long id, String schema, String name, List<ColumnDef> columns, int[] primaryKey) {
        this.id = id;
        this.schema = Objects.requireNonNull(schema, "schema is null");
        this.name = Objects.requireNonNull(name, "name is null");
        this.columns = List.copyOf(columns);
        this.primaryKey = primaryKey.clone();
        if (this.columns.isEmpty()) {
            throw DuetException.of(SqlState.INVALID_TABLE_DEFINITION, "table \"%s\" must have at least one column", name);
        }
        Set<String> seen = new HashSet<>();
        for (ColumnDef c : this.columns) {
            if (!seen.add(c.name())) {
                throw DuetException.of(SqlState.DUPLICATE_COLUMN, "column \"%s\" specified more than once", c.name());
            }
        }
        Set<Integer> keySeen = new HashSet<>();
        for (int k : this.primaryKey) {
            if (k < 0 || k >= this.columns.size() || !keySeen.add(k)) {
                throw DuetException.of(SqlState.INVALID_TABLE_DEFINITION,
                        "invalid primary key column position %d in table \"%s\"", k, name);
            }
        }
        this.columnTypes = this.columns.stream().map(ColumnDef::type).toArray(DataType[]::new);
        this.keyTypes = Arrays.stream(this.primaryKey).mapToObj(i -> columnTypes[i]).toArray(DataType[]::new);
        this.rowCodec = new RowCodec(columnTypes);
        this.keyCodec = new KeyCodec(keyTypes);
    }

    /** The encoding of this table's rows (thread-safe, shared). */
    public RowCodec rowCodec() {
        return rowCodec;
    }

    /** The encoding of this table's primary keys (thread-safe, shared). */
    public KeyCodec keyCodec() {
        return keyCodec;
    }

    /** Starts a definition of table {@code name} in schema {@code public}. */
    public static Builder builder(String name) {
        return new Builder(Catalog.DEFAULT_SCHEMA, name);
    }

    public static Builder builder(String schema, String name) {
        return new Builder(schema, name);
    }

    /** This definition with another id (the catalog assigns ids at creation). */
    public TableDef withId(long newId) {
        return new TableDef(newId, schema, name, columns, primaryKey);
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

    public List<ColumnDef> columns() {
        return columns;
    }

    public int columnCount() {
        return columns.size();
    }

    public ColumnDef column(int index) {
        return columns.get(index);
    }

    /** Position of column {@code columnName}, or -1. */
    public int columnIndex(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /** Position of column {@code columnName}; 42703 if there is none. */
    public int requireColumn(String columnName) {
        int i = columnIndex(columnName);
        if (i < 0) {
            throw DuetException.of(SqlState.UNDEFINED_COLUMN,
                    "column \"%s\" of relation \"%s\" does not exist", columnName, name);
        }
        return i;
    }

    /** Column positions of the primary key in key order; empty when keyed by a hidden row id. */
    public int[] primaryKey() {
        return primaryKey.clone();
    }

    public int primaryKeyColumn(int keyPosition) {
        return primaryKey[keyPosition];
    }

    public int primaryKeyLength() {
        return primaryKey.length;
    }

    public boolean hasPrimaryKey() {
        return primaryKey.length > 0;
    }

    /** Column types in column order. The array is shared: do not modify it. */
    public DataType[] columnTypes() {
        return columnTypes;
    }

    /** Key column types in key order. The array is shared: do not modify it. */
    public DataType[] keyTypes() {
        return keyTypes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableDef t && t.id == id && t.schema.equals(schema) && t.name.equals(name)
                && t.columns.equals(columns) && Arrays.equals(t.primaryKey, primaryKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, schema, name, columns, Arrays.hashCode(primaryKey));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TABLE ").append(qualifiedName()).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(columns.get(i));
        }
        if (hasPrimaryKey()) {
            sb.append(", PRIMARY KEY (");
            for (int i = 0; i < primaryKey.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(columns.get(primaryKey[i]).name());
            }
            sb.append(')');
        }
        return sb.append(')').toString();
    }

    /** Builds a {@link TableDef}; {@code build()} validates it. */
    public static final class Builder {
        private final String schema;
        private final String name;
        private final List<ColumnDef> columns = new ArrayList<>();
        private final List<String> key = new ArrayList<>();

        private Builder(String schema, String name) {
            this.schema = Objects.requireNonNull(schema, "schema is null");
            this.name = Objects.requireNonNull(name, "name is null");
        }

        public Builder column(String columnName, DataType type) {
            columns.add(ColumnDef.of(columnName, type));
            return this;
        }

        public Builder column(ColumnDef column) {
            columns.add(column);
            return this;
        }

        public Builder notNullColumn(String columnName, DataType type) {
            columns.add(ColumnDef.notNull(columnName, type));
            return this;
        }

        /** Names the primary key columns in key order; they become NOT NULL. */
        public Builder primaryKey(String... columnNames) {
            key.clear();
            key.addAll(Arrays.asList(columnNames));
            return this;
        }

        public TableDef build() {
            int[] pk = new int[key.size()];
            List<ColumnDef> cols = new ArrayList<>(columns);
            for (int i = 0; i < pk.length; i++) {
                int pos = -1;
                for (int c = 0; c < cols.size(); c++) {
                    if (cols.get(c).name().equals(key.get(i))) {
                        pos = c;
                    }
                }
                if (pos < 0) {
                    throw DuetException.of(SqlState.UNDEFINED_COLUMN,
                            "column \"%s\" named in key does not exist", key.get(i));
                }
                ColumnDef c = cols.get(pos);
                if (!c.notNull()) {
                    cols.set(pos, new ColumnDef(c.name(), c.type(), true, c.defaultValue()));
                }
                pk[i] = pos;
            }
            return new TableDef(UNASSIGNED, schema, name, cols, pk);
        }
    }
}
