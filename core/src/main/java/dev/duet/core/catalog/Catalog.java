package dev.duet.core.catalog;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable version of the catalog: schemas, the tables, views and indexes in them, and the
 * next id (tables and indexes share one id space). Tables, views and indexes of a schema share
 * one namespace, as relations do in PostgreSQL. Every
 * change returns a new catalog; the row store keeps one version per committed DDL transaction so
 * that each snapshot sees the catalog as of its start. Lookups are by exact (case-sensitive)
 * name: the SQL layer folds unquoted identifiers to lower case before it gets here.
 */
public final class Catalog {
    /** The schema a table lands in when none is named. */
    public static final String DEFAULT_SCHEMA = "public";

    private static final Catalog EMPTY =
            new Catalog(Map.of(DEFAULT_SCHEMA, Map.of()), Map.of(), Map.of(), Map.of(), 1);

    private final Map<String, Map<String, TableDef>> schemas;
    private final Map<Long, TableDef> byId;
    /** Views by qualified name ({@code schema.name}). */
    private final Map<String, ViewDef> views;
    private final Map<Long, IndexDef> indexes;
    /** The indexes of each table that has any, ordered by id (derived from {@link #indexes}). */
    private final Map<Long, List<IndexDef>> indexesByTable;
    private final long nextTableId;

    private Catalog(Map<String, Map<String, TableDef>> schemas, Map<Long, TableDef> byId, Map<String, ViewDef> views,
            Map<Long, IndexDef> indexes, long nextTableId) {
        this.schemas = schemas;
        this.byId = byId;
        this.views = views;
        this.indexes = indexes;
        this.nextTableId = nextTableId;
        Map<Long, List<IndexDef>> byTable = new HashMap<>();
        for (IndexDef i : new TreeMap<>(indexes).values()) {
            byTable.computeIfAbsent(i.tableId(), k -> new ArrayList<>()).add(i);
        }
        byTable.replaceAll((k, v) -> List.copyOf(v));
        this.indexesByTable = Map.copyOf(byTable);
    }

    private Catalog with(Map<String, Map<String, TableDef>> s, Map<Long, TableDef> ids) {
        return new Catalog(s, ids, views, indexes, nextTableId);
    }

    /** A catalog holding only the empty schema {@code public}. */
    public static Catalog empty() {
        return EMPTY;
    }

    /** Rebuilds a catalog from its parts (used when reading it back from disk). */
    public static Catalog of(Collection<String> schemaNames, Collection<TableDef> tables, long nextTableId) {
        return of(schemaNames, tables, List.of(), List.of(), nextTableId);
    }

    /** Rebuilds a catalog with views and indexes from its parts (used when reading it back from disk). */
    public static Catalog of(Collection<String> schemaNames, Collection<TableDef> tables, Collection<ViewDef> views,
            Collection<IndexDef> indexes, long nextTableId) {
        Catalog c = new Catalog(Map.of(), Map.of(), Map.of(), Map.of(), nextTableId);
        for (String s : schemaNames) {
            c = c.withSchema(s);
        }
        for (TableDef t : tables) {
            c = c.withTableDef(t, Math.max(c.nextTableId, t.id() + 1));
        }
        for (ViewDef v : views) {
            c = c.withView(v, false);
        }
        for (IndexDef i : indexes) {
            c = c.withIndex(i);
        }
        return new Catalog(c.schemas, c.byId, c.views, c.indexes, Math.max(nextTableId, c.nextTableId));
    }

    public long nextTableId() {
        return nextTableId;
    }

    public Set<String> schemaNames() {
        return Collections.unmodifiableSet(new TreeSet<>(schemas.keySet()));
    }

    public boolean hasSchema(String schema) {
        return schemas.containsKey(schema);
    }

    /** All tables, ordered by id. */
    public Collection<TableDef> tables() {
        return Collections.unmodifiableCollection(new TreeMap<>(byId).values());
    }

    /** Tables of one schema ordered by name; empty if the schema does not exist. */
    public Collection<TableDef> tables(String schema) {
        Map<String, TableDef> m = schemas.get(schema);
        return m == null ? List.of() : Collections.unmodifiableCollection(new TreeMap<>(m).values());
    }

    /** The table, or null. */
    public TableDef findTable(String schema, String name) {
        Map<String, TableDef> m = schemas.get(schema);
        return m == null ? null : m.get(name);
    }

    /** The table; 42P01 if it does not exist. */
    public TableDef table(String schema, String name) {
        TableDef t = findTable(schema, name);
        if (t == null) {
            String shown = DEFAULT_SCHEMA.equals(schema) ? name : schema + "." + name;
            throw DuetException.of(SqlState.UNDEFINED_TABLE, "relation \"%s\" does not exist", shown);
        }
        return t;
    }

    /** The table with this id, or null. */
    public TableDef tableById(long id) {
        return byId.get(id);
    }

    public Catalog withSchema(String schema) {
        if (schemas.containsKey(schema)) {
            throw DuetException.of(SqlState.DUPLICATE_SCHEMA, "schema \"%s\" already exists", schema);
        }
        Map<String, Map<String, TableDef>> s = new HashMap<>(schemas);
        s.put(schema, Map.of());
        return with(Map.copyOf(s), byId);
    }

    public Catalog withoutSchema(String schema) {
        Map<String, TableDef> m = schemas.get(schema);
        if (m == null) {
            throw DuetException.of(SqlState.INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", schema);
        }
        if (!m.isEmpty()) {
            throw DuetException.of(SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop schema \"%s\" because it contains %d table(s)", schema, m.size());
        }
        if (!views(schema).isEmpty()) {
            throw DuetException.of(SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
                    "cannot drop schema \"%s\" because it contains %d view(s)", schema, views(schema).size());
        }
        Map<String, Map<String, TableDef>> s = new HashMap<>(schemas);
        s.remove(schema);
        return with(Map.copyOf(s), byId);
    }

    /**
     * Adds a new table, assigning it the next id; 42P07 if the name is taken, 3F000 if the schema
     * does not exist. The caller reads the assigned definition back with {@link #findTable}.
     */
    public Catalog withNewTable(TableDef table) {
        return withTableDef(table.withId(nextTableId), nextTableId + 1);
    }

    /** Adds a table with the id it already has (used when replaying the log). */
    public Catalog withTable(TableDef table) {
        if (byId.containsKey(table.id())) {
            throw new IllegalStateException("table id " + table.id() + " is already in use");
        }
        return withTableDef(table, Math.max(nextTableId, table.id() + 1));
    }

    private Catalog withTableDef(TableDef table, long newNextId) {
        Map<String, TableDef> m = schemas.get(table.schema());
        if (m == null) {
            throw DuetException.of(SqlState.INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", table.schema());
        }
        checkNameFree(table.schema(), table.name());
        Map<String, TableDef> tables = new HashMap<>(m);
        tables.put(table.name(), table);
        Map<String, Map<String, TableDef>> s = new HashMap<>(schemas);
        s.put(table.schema(), Map.copyOf(tables));
        Map<Long, TableDef> ids = new HashMap<>(byId);
        ids.put(table.id(), table);
        return new Catalog(Map.copyOf(s), Map.copyOf(ids), views, indexes, newNextId);
    }

    /**
     * Removes the table with this id and its indexes; 2BP01 if a view reads it;
     * IllegalStateException if absent (callers resolve names first).
     */
    public Catalog withoutTable(long id) {
        TableDef t = byId.get(id);
        if (t == null) {
            throw new IllegalStateException("no table with id " + id);
        }
        // the first dependent view by name, so that the message does not depend on hash order
        views.values().stream().filter(v -> v.dependsOn().contains(t.qualifiedName()))
                .min(Comparator.comparing(ViewDef::qualifiedName)).ifPresent(v -> {
                    throw DuetException.of(SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
                            "cannot drop table %s because other objects depend on it: view %s depends on table %s",
                            t.name(), v.name(), t.name());
                });
        Map<String, TableDef> tables = new HashMap<>(schemas.get(t.schema()));
        tables.remove(t.name());
        Map<String, Map<String, TableDef>> s = new HashMap<>(schemas);
        s.put(t.schema(), Map.copyOf(tables));
        Map<Long, TableDef> ids = new HashMap<>(byId);
        ids.remove(id);
        Map<Long, IndexDef> idx = new HashMap<>(indexes);
        idx.values().removeIf(i -> i.tableId() == id);
        return new Catalog(Map.copyOf(s), Map.copyOf(ids), views, Map.copyOf(idx), nextTableId);
    }

    /** 42P07 if a table, view or index of {@code schema} is named {@code name}. */
    private void checkNameFree(String schema, String name) {
        Map<String, TableDef> m = schemas.get(schema);
        if (m != null && m.containsKey(name) || views.containsKey(schema + "." + name) || findIndex(schema, name) != null) {
            throw DuetException.of(SqlState.DUPLICATE_TABLE, "relation \"%s\" already exists", name);
        }
    }

    // ---------------------------------------------------------------- views

    /** All views, ordered by qualified name. */
    public Collection<ViewDef> views() {
        return Collections.unmodifiableCollection(new TreeMap<>(views).values());
    }

    /** Views of one schema ordered by name. */
    public List<ViewDef> views(String schema) {
        List<ViewDef> out = new ArrayList<>();
        for (ViewDef v : views()) {
            if (v.schema().equals(schema)) {
                out.add(v);
            }
        }
        return out;
    }

    /** The view, or null. */
    public ViewDef findView(String schema, String name) {
        return views.get(schema + "." + name);
    }

    /**
     * Adds a view, or replaces the view of the same name when {@code orReplace}; 42P07 if the name
     * is taken by another relation (or by a view, without {@code orReplace}), 3F000 if the schema
     * does not exist.
     */
    public Catalog withView(ViewDef view, boolean orReplace) {
        if (!schemas.containsKey(view.schema())) {
            throw DuetException.of(SqlState.INVALID_SCHEMA_NAME, "schema \"%s\" does not exist", view.schema());
        }
        Map<String, ViewDef> v = new HashMap<>(views);
        if (orReplace) {
            v.remove(view.qualifiedName());
            new Catalog(schemas, byId, Map.copyOf(v), indexes, nextTableId).checkNameFree(view.schema(), view.name());
        } else {
            checkNameFree(view.schema(), view.name());
        }
        v.put(view.qualifiedName(), view);
        return new Catalog(schemas, byId, Map.copyOf(v), indexes, nextTableId);
    }

    /** Removes a view; 42P01 if there is none of that name. */
    public Catalog withoutView(String schema, String name) {
        if (findView(schema, name) == null) {
            throw DuetException.of(SqlState.UNDEFINED_TABLE, "view \"%s\" does not exist", name);
        }
        Map<String, ViewDef> v = new HashMap<>(views);
        v.remove(schema + "." + name);
        return new Catalog(schemas, byId, Map.copyOf(v), indexes, nextTableId);
    }

    // ---------------------------------------------------------------- indexes

    /** All indexes, ordered by id. */
    public Collection<IndexDef> indexes() {
        return Collections.unmodifiableCollection(new TreeMap<>(indexes).values());
    }

    /** The indexes of one table, ordered by id. */
    public List<IndexDef> indexes(long tableId) {
        return indexesByTable.getOrDefault(tableId, List.of());
    }

    /** The index, or null. */
    public IndexDef findIndex(String schema, String name) {
        for (IndexDef i : indexes.values()) {
            if (i.schema().equals(schema) && i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    /** The index with this id, or null. */
    public IndexDef indexById(long id) {
        return indexes.get(id);
    }

    /**
     * Adds a new index, assigning it the next id; 42P07 if the name is taken, 42P01 if its table
     * does not exist. The caller reads the assigned definition back with {@link #findIndex}.
     */
    public Catalog withNewIndex(IndexDef index) {
        return withIndexDef(index.withId(nextTableId), nextTableId + 1);
    }

    /** Adds an index with the id it already has (used when replaying the log). */
    public Catalog withIndex(IndexDef index) {
        if (byId.containsKey(index.id()) || indexes.containsKey(index.id())) {
            throw new IllegalStateException("id " + index.id() + " is already in use");
        }
        return withIndexDef(index, Math.max(nextTableId, index.id() + 1));
    }

    private Catalog withIndexDef(IndexDef index, long newNextId) {
        TableDef t = byId.get(index.tableId());
        if (t == null || !t.schema().equals(index.schema())) {
            throw DuetException.of(SqlState.UNDEFINED_TABLE, "table of index \"%s\" does not exist", index.name());
        }
        for (int c : index.columns()) {
            if (c >= t.columnCount()) {
                throw DuetException.of(SqlState.UNDEFINED_COLUMN, "index \"%s\" names column %d of \"%s\", which has %d",
                        index.name(), c, t.name(), t.columnCount());
            }
        }
        checkNameFree(index.schema(), index.name());
        Map<Long, IndexDef> idx = new HashMap<>(indexes);
        idx.put(index.id(), index);
        return new Catalog(schemas, byId, views, Map.copyOf(idx), newNextId);
    }

    /** Removes the index with this id; IllegalStateException if absent (callers resolve names first). */
    public Catalog withoutIndex(long id) {
        if (!indexes.containsKey(id)) {
            throw new IllegalStateException("no index with id " + id);
        }
        Map<Long, IndexDef> idx = new HashMap<>(indexes);
        idx.remove(id);
        return new Catalog(schemas, byId, views, Map.copyOf(idx), nextTableId);
    }
}
