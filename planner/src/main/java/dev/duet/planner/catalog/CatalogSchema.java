package dev.duet.planner.catalog;

import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.catalog.ViewDef;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelProtoDataType;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * One immutable {@link Catalog} version as a Calcite root schema: each Duet schema is a
 * sub-schema, each table a {@link DuetTable} and each view a {@link DuetView}, built on first
 * lookup. The root also holds the
 * PostgreSQL type names Calcite's grammar does not know ({@code text}, {@code bytea},
 * {@code bool}, {@code int4}, ...), so that {@code x::text} and {@code CAST(x AS bytea)} resolve.
 * Names are matched exactly: the parser has already folded unquoted identifiers to lower case.
 */
public final class CatalogSchema extends AbstractSchema {
    /** Row count estimates for join ordering, and distinct counts for selectivities; unknown by default. */
    @FunctionalInterface
    public interface RowCounts {
        RowCounts UNKNOWN = table -> OptionalDouble.empty();

        OptionalDouble rowCount(TableDef table);

        /**
         * How many distinct non-NULL values column {@code column} of {@code table} holds, if known:
         * the selectivity of {@code column = constant} is one over it. Asked while planning, only
         * for columns a query compares with a constant. Unknown by default.
         */
        default OptionalDouble distinctValues(TableDef table, int column) {
            return OptionalDouble.empty();
        }
    }

    private static final Map<String, RelProtoDataType> TYPE_ALIASES = Map.ofEntries(
            Map.entry("text", f -> f.createSqlType(SqlTypeName.VARCHAR)),
            Map.entry("string", f -> f.createSqlType(SqlTypeName.VARCHAR)),
            Map.entry("bytea", f -> f.createSqlType(SqlTypeName.VARBINARY)),
            Map.entry("blob", f -> f.createSqlType(SqlTypeName.VARBINARY)),
            Map.entry("bool", f -> f.createSqlType(SqlTypeName.BOOLEAN)),
            Map.entry("int2", f -> f.createSqlType(SqlTypeName.SMALLINT)),
            Map.entry("int4", f -> f.createSqlType(SqlTypeName.INTEGER)),
            Map.entry("int8", f -> f.createSqlType(SqlTypeName.BIGINT)),
            Map.entry("float4", f -> f.createSqlType(SqlTypeName.REAL)),
            Map.entry("float8", f -> f.createSqlType(SqlTypeName.DOUBLE)),
            Map.entry("datetime", f -> f.createSqlType(SqlTypeName.TIMESTAMP)));

    private final Catalog catalog;
    private final RowCounts rowCounts;
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();

    public CatalogSchema(Catalog catalog, RowCounts rowCounts) {
        this.catalog = Objects.requireNonNull(catalog, "catalog is null");
        this.rowCounts = Objects.requireNonNull(rowCounts, "rowCounts is null");
    }

    /** A Calcite root schema over {@code catalog}. */
    public static CalciteSchema root(Catalog catalog, RowCounts rowCounts) {
        return CalciteSchema.createRootSchema(false, false, "", new CatalogSchema(catalog, rowCounts));
    }

    public Catalog catalog() {
        return catalog;
    }

    @Override
    public Lookup<? extends Schema> subSchemas() {
        return new ExactLookup<>(catalog.schemaNames(), name -> catalog.hasSchema(name)
                ? namespaces.computeIfAbsent(name, Namespace::new) : null);
    }

    @Override
    protected Map<String, RelProtoDataType> getTypeMap() {
        return TYPE_ALIASES;
    }

    /** One Duet schema: its tables and views. */
    private final class Namespace extends AbstractSchema {
        private final String name;
        private final Map<String, Table> tables = new ConcurrentHashMap<>();

        Namespace(String name) {
            this.name = name;
        }

        @Override
        public Lookup<Table> tables() {
            Set<String> names = new LinkedHashSet<>();
            for (TableDef t : catalog.tables(name)) {
                names.add(t.name());
            }
            for (ViewDef v : catalog.views(name)) {
                names.add(v.name());
            }
            return new ExactLookup<>(names, this::table);
        }

        private Table table(String tableName) {
            TableDef def = catalog.findTable(name, tableName);
            if (def != null) {
                return tables.computeIfAbsent(tableName,
                        n -> new DuetTable(def, rowCounts.rowCount(def), catalog.indexes(def.id()),
                                column -> rowCounts.distinctValues(def, column)));
            }
            ViewDef view = catalog.findView(name, tableName);
            return view == null ? null : tables.computeIfAbsent(tableName, n -> new DuetView(view));
        }
    }

    /**
     * A name lookup that matches exactly; a case-insensitive lookup (which Calcite uses only to
     * suggest "did you mean") scans the names.
     */
    private static final class ExactLookup<T> implements Lookup<T> {
        private final Set<String> names;
        private final Function<String, T> get;

        ExactLookup(Set<String> names, Function<String, T> get) {
            this.names = names;
            this.get = get;
        }

        @Override
        public T get(String name) {
            return get.apply(name);
        }

        @Override
        public Named<T> getIgnoreCase(String name) {
            for (String n : names) {
                if (n.equalsIgnoreCase(name)) {
                    T t = get.apply(n);
                    if (t != null) {
                        return new Named<>(n, t);
                    }
                }
            }
            return null;
        }

        @Override
        public Set<String> getNames(LikePattern pattern) {
            Set<String> out = new LinkedHashSet<>();
            for (String n : names) {
                if (pattern.matcher().apply(n)) {
                    out.add(n);
                }
            }
            return out;
        }
    }
}
