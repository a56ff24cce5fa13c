package dev.duet.core.catalog;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable version of the catalog: schemas, the tables in them, and the next table id. Every
 * change returns a new catalog; the row store keeps one version per committed DDL transaction so
 * that each snapshot sees the catalog as of its start. Lookups are by exact (case-sensitive)
 * name: the SQL layer folds unquoted identifiers to lower case before it gets here.
 */
public final class Catalog {
    /** The schema a table lands in when none is named. */
    public static final String DEFAULT_SCHEMA = "public";

    private static final Catalog EMPTY =
            new Catalog(Map.of(DEFAULT_SCHEMA, Map.of()), Map.of(), 1);

    private final Map<String, Map<String, TableDef>> schemas;
    private final Map<Long, TableDef> byId;
    private final long nextTableId;

    private Catalog(Map<String, Map<String, TableDef>> schemas, Map<Long, TableDef> byId, long nextTableId) {
        this.schemas = schemas;
        this.byId = byId;
        this.nextTableId = nextTableId;
    }

    /** A catalog holding only the empty schema {@code public}. */
    public static Catalog empty() {
        return EMPTY;
    }

    /** Rebuilds a catalog from its parts (used when reading it back from disk). */
    public static Catalog of(Collection<String> schemaNames, Collection<TableDef> tables, long nextTableId) {
        Catalog c = new Catalog(Map.of(), Map.of(), nextTableId);
        for (String s : schemaNames) {
            c = c.withSchema(s);
        }
        for (TableDef t : tables) {
            c = c.withTableDef(t, Math.max(c.nextTableId, t.id() + 1));
        }
        return new Catalog(c.schemas, c.byId, Math.max(nextTableId, c.nextTableId));
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
        return m == null ? java.util.List.of() : Collections.unmodifiableCollection(new TreeMap<>(m).values());
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
        return new Catalog(Map.copyOf(s), byId, nextTableId);
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
        Map<String, Map<String, TableDef>> s = new HashMap<>(schemas);
        s.remove(schema);
        return new Catalog(Map.copyOf(s), byId, nextTableId);
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
        if (m.containsKey(table.name())) {
            throw DuetException.of(SqlState.DUPLICATE_TABLE, "relation \"%s\" already exists", table.name());
        }
        Map<String, TableDef> tables = new HashMap<>(m);
        tables.put(table.name(), table);
        Map<String, Map<String, TableDef>> s = new HashMap<>(schemas);
        s.put(table.schema(), Map.copyOf(tables));
        Map<Long, TableDef> ids = new HashMap<>(byId);
        ids.put(table.id(), table);
        return new Catalog(Map.copyOf(s), Map.copyOf(ids), newNextId);
    }

    /** Removes the table with this id; IllegalStateException if absent (callers resolve names first). */
    public Catalog withoutTable(long id) {
        TableDef t = byId.get(id);
        if (t == null) {
            throw new IllegalStateException("no table with id " + id);
        }
        Map<String, TableDef> tables = new HashMap<>(schemas.get(t.schema()));
        tables.remove(t.name());
        Map<String, Map<String, TableDef>> s = new HashMap<>(schemas);
        s.put(t.schema(), Map.copyOf(tables));
        Map<Long, TableDef> ids = new HashMap<>(byId);
        ids.remove(id);
        return new Catalog(Map.copyOf(s), Map.copyOf(ids), nextTableId);
    }
}
