package dev.duet.jdbc;

import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.core.types.DataType;
import dev.duet.core.types.Values;
import dev.duet.planner.OutputColumn;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What generic JDBC tools ask about a Duet database. Table, view, column, key, index and schema
 * rows come from the catalog the connection's session sees
 * ({@link dev.duet.engine.sql.Session#catalog()}), built in memory and read through the same
 * {@link DuetResultSet} as query results. Identifiers follow
 * PostgreSQL: unquoted ones are folded to lower case, quoted ones keep their case; name patterns
 * are matched as stored (case-sensitively) with {@code %}, {@code _} and the escape {@code \}.
 * Duet has no catalogs (the catalog arguments only match {@code null} or {@code ""}), no
 * procedures, foreign keys, privileges or user-defined types: those calls return no rows. The
 * primary key is reported as a unique index named {@code <table>_pkey}, beside the secondary
 * indexes; views are listed with table type {@code VIEW}.
 */
final class DuetDatabaseMetaData implements DatabaseMetaData {
    private static final String VERSION = DuetDriver.MAJOR_VERSION + "." + DuetDriver.MINOR_VERSION + ".0";

    private final DuetConnection connection;

    DuetDatabaseMetaData(DuetConnection connection) {
        this.connection = connection;
    }

    // ---------------------------------------------------------------- building result sets

    /**
     * Result columns from a spec such as {@code "TABLE_CAT, KEY_SEQ:h, DATA_TYPE:i"}: a name, then
     * optionally {@code :i} INTEGER, {@code :h} SMALLINT, {@code :l} BIGINT, {@code :b} BOOLEAN;
     * TEXT otherwise.
     */
    private static List<OutputColumn> columns(String spec) {
        List<OutputColumn> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] nameType = part.strip().split(":");
            DataType type = nameType.length == 1 ? DataType.TEXT : switch (nameType[1]) {
                case "i" -> DataType.INTEGER;
                case "h" -> DataType.SMALLINT;
                case "l" -> DataType.BIGINT;
                case "b" -> DataType.BOOLEAN;
                default -> throw new IllegalArgumentException("bad column spec " + part);
            };
            out.add(new OutputColumn(nameType[0], type, true));
        }
        return out;
    }

    private ResultSet rows(String spec, List<Object[]> rows) throws SQLException {
        return connection.driverRows(columns(spec), rows);
    }

    private ResultSet empty(String spec) throws SQLException {
        return rows(spec, List.of());
    }

    private Catalog catalog() throws SQLException {
        connection.checkOpen();
        synchronized (connection.sessionLock) {
            try {
                return connection.session().catalog();
            } catch (RuntimeException e) {
                throw JdbcErrors.translate(e);
            }
        }
    }

    /** A JDBC name pattern ({@code %}, {@code _}, escape {@code \}) as a regex; null matches everything. */
    private static Pattern pattern(String namePattern) {
        if (namePattern == null) {
            return null;
        }
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < namePattern.length(); i++) {
            char c = namePattern.charAt(i);
            if (c == '\\' && i + 1 < namePattern.length()) {
                re.append(Pattern.quote(String.valueOf(namePattern.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static boolean matches(Pattern p, String name) {
        return p == null || p.matcher(name).matches();
    }

    /** Duet has no catalogs: only "no catalog" ({@code ""}) or "any" ({@code null}) matches. */
    private static boolean catalogMatches(String catalog) {
        return catalog == null || catalog.isEmpty();
    }

    /** A table or a view, as getTables and getColumns list them. */
    private record Relation(String schema, String name, String type, List<ColumnDef> columns) {
    }

    /**
     * Tables and views whose schema and name match the patterns, of the wanted types, ordered by
     * type, schema, then name (the order getTables promises).
     */
    private List<Relation> relations(String catalog, String schemaPattern, String tablePattern, boolean wantTables,
            boolean wantViews) throws SQLException {
        List<Relation> out = new ArrayList<>();
        if (!catalogMatches(catalog)) {
            return out;
        }
        Catalog cat = catalog();
        Pattern sp = pattern(schemaPattern);
        Pattern tp = pattern(tablePattern);
        for (String schema : cat.schemaNames()) {
            if (!matches(sp, schema)) {
                continue;
            }
            for (TableDef t : wantTables ? cat.tables(schema) : List.<TableDef>of()) {
                if (matches(tp, t.name())) {
                    out.add(new Relation(t.schema(), t.name(), TABLE, t.columns()));
                }
            }
            for (ViewDef v : wantViews ? cat.views(schema) : List.<ViewDef>of()) {
                if (matches(tp, v.name())) {
                    out.add(new Relation(v.schema(), v.name(), VIEW, v.columns()));
                }
            }
        }
        out.sort(Comparator.comparing(Relation::type).thenComparing(Relation::schema).thenComparing(Relation::name));
        return out;
    }

    /** The table named exactly (a null schema means any schema). */
    private List<TableDef> exactTables(String catalog, String schema, String table) throws SQLException {
        List<TableDef> out = new ArrayList<>();
        if (!catalogMatches(catalog) || table == null) {
            return out;
        }
        Catalog cat = catalog();
        for (String s : cat.schemaNames()) {
            if (schema == null || schema.equals(s)) {
                TableDef t = cat.findTable(s, table);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    private static String pkName(TableDef t) {
        return t.name() + "_pkey";
    }

    // ---------------------------------------------------------------- tables, columns, keys

    private static final String TABLE = "TABLE";
    private static final String VIEW = "VIEW";

    @Override
    public ResultSet getTables(String catalog, String schemaPattern, String tableNamePattern, String[] types)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        boolean wantTables = types == null;
        boolean wantViews = types == null;
        if (types != null) {
            for (String t : types) {
                wantTables |= TABLE.equalsIgnoreCase(t);
                wantViews |= VIEW.equalsIgnoreCase(t);
            }
        }
        for (Relation r : relations(catalog, schemaPattern, tableNamePattern, wantTables, wantViews)) {
            rows.add(new Object[] {null, r.schema(), r.name(), r.type(), null, null, null, null, null, null});
        }
        return rows("TABLE_CAT, TABLE_SCHEM, TABLE_NAME, TABLE_TYPE, REMARKS, TYPE_CAT, TYPE_SCHEM, TYPE_NAME, "
                + "SELF_REFERENCING_COL_NAME, REF_GENERATION", rows);
    }

    @Override
    public ResultSet getTableTypes() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {TABLE});
        rows.add(new Object[] {VIEW});
        return rows("TABLE_TYPE", rows);
    }

    @Override
    public ResultSet getColumns(String catalog, String schemaPattern, String tableNamePattern, String columnNamePattern)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        Pattern cp = pattern(columnNamePattern);
        List<Relation> relations = relations(catalog, schemaPattern, tableNamePattern, true, true);
        relations.sort(Comparator.comparing(Relation::schema).thenComparing(Relation::name)); // JDBC's column order
        for (Relation t : relations) {
            for (int i = 0; i < t.columns().size(); i++) {
                ColumnDef c = t.columns().get(i);
                if (!matches(cp, c.name())) {
                    continue;
                }
                DataType type = c.type();
                boolean text = type.kind() == DataType.Kind.VARCHAR;
                rows.add(new Object[] {
                    null, t.schema(), t.name(), c.name(),
                    JdbcTypes.sqlType(type), JdbcTypes.typeName(type), JdbcTypes.precision(type), null,
                    decimalDigits(type), JdbcTypes.isNumeric(type) ? 10 : null,
                    c.notNull() ? columnNoNulls : columnNullable, null,
                    c.defaultValue() == null ? null : Values.toSqlLiteral(type, c.defaultValue()),
                    null, null,
                    text ? charOctetLength(type) : null,
                    i + 1, c.notNull() ? "NO" : "YES", null, null, null, null, "NO", "NO"});
            }
        }
        return rows("TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, DATA_TYPE:i, TYPE_NAME, COLUMN_SIZE:i, "
                + "BUFFER_LENGTH:i, DECIMAL_DIGITS:i, NUM_PREC_RADIX:i, NULLABLE:i, REMARKS, COLUMN_DEF, SQL_DATA_TYPE:i, "
                + "SQL_DATETIME_SUB:i, CHAR_OCTET_LENGTH:i, ORDINAL_POSITION:i, IS_NULLABLE, SCOPE_CATALOG, SCOPE_SCHEMA, "
                + "SCOPE_TABLE, SOURCE_DATA_TYPE:h, IS_AUTOINCREMENT, IS_GENERATEDCOLUMN", rows);
    }

    /** Fraction digits where they apply (numbers, timestamps); null otherwise, as JDBC asks. */
    private static Integer decimalDigits(DataType type) {
        return JdbcTypes.isNumeric(type) || type.kind() == DataType.Kind.TIMESTAMP ? JdbcTypes.scale(type) : null;
    }

    /** Most bytes a string of the type can take in UTF-8 (4 per character). */
    private static int charOctetLength(DataType type) {
        return type.length() == DataType.UNBOUNDED || type.length() > Integer.MAX_VALUE / 4
                ? JdbcTypes.UNBOUNDED_PRECISION : type.length() * 4;
    }

    @Override
    public ResultSet getPrimaryKeys(String catalog, String schema, String table) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (TableDef t : exactTables(catalog, schema, table)) {
            for (int k = 0; k < t.primaryKeyLength(); k++) {
                rows.add(new Object[] {null, t.schema(), t.name(), t.column(t.primaryKeyColumn(k)).name(),
                    (short) (k + 1), pkName(t)});
            }
        }
        rows.sort(Comparator.comparing((Object[] r) -> (String) r[3])); // JDBC orders by COLUMN_NAME
        return rows("TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, KEY_SEQ:h, PK_NAME", rows);
    }

    /**
     * The primary key, reported as a unique index named {@code <table>_pkey}, and the secondary
     * indexes (only the unique ones if {@code unique}), ordered as JDBC asks: NON_UNIQUE, INDEX_NAME,
     * ORDINAL_POSITION.
     */
    @Override
    public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        Catalog cat = catalog();
        for (TableDef t : exactTables(catalog, schema, table)) {
            for (int k = 0; k < t.primaryKeyLength(); k++) {
                rows.add(indexRow(t, false, pkName(t), k, t.primaryKeyColumn(k)));
            }
            for (IndexDef i : cat.indexes(t.id())) {
                if (i.unique() || !unique) {
                    for (int k = 0; k < i.columns().length; k++) {
                        rows.add(indexRow(t, !i.unique(), i.name(), k, i.columns()[k]));
                    }
                }
            }
        }
        rows.sort(Comparator.comparing((Object[] r) -> (Boolean) r[3]).thenComparing(r -> (String) r[5])
                .thenComparing(r -> (Short) r[7]));
        return rows("TABLE_CAT, TABLE_SCHEM, TABLE_NAME, NON_UNIQUE:b, INDEX_QUALIFIER, INDEX_NAME, TYPE:h, "
                + "ORDINAL_POSITION:h, COLUMN_NAME, ASC_OR_DESC, CARDINALITY:l, PAGES:l, FILTER_CONDITION", rows);
    }

    private static Object[] indexRow(TableDef t, boolean nonUnique, String name, int position, int column) {
        return new Object[] {null, t.schema(), t.name(), nonUnique, null, name, (short) tableIndexOther,
            (short) (position + 1), t.column(column).name(), "A", null, null, null};
    }

    /** The primary key columns identify a row for as long as the session lasts. */
    @Override
    public ResultSet getBestRowIdentifier(String catalog, String schema, String table, int scope, boolean nullable)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (TableDef t : exactTables(catalog, schema, table)) {
            for (int k = 0; k < t.primaryKeyLength(); k++) {
                DataType type = t.column(t.primaryKeyColumn(k)).type();
                Integer digits = decimalDigits(type);
                rows.add(new Object[] {(short) bestRowSession, t.column(t.primaryKeyColumn(k)).name(),
                    JdbcTypes.sqlType(type), JdbcTypes.typeName(type), JdbcTypes.precision(type), null,
                    digits == null ? null : (short) (int) digits, (short) bestRowNotPseudo});
            }
        }
        return rows("SCOPE:h, COLUMN_NAME, DATA_TYPE:i, TYPE_NAME, COLUMN_SIZE:i, BUFFER_LENGTH:i, DECIMAL_DIGITS:h, "
                + "PSEUDO_COLUMN:h", rows);
    }

    @Override
    public ResultSet getSchemas() throws SQLException {
        return getSchemas(null, null);
    }

    @Override
    public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        if (catalogMatches(catalog)) {
            Pattern sp = pattern(schemaPattern);
            for (String s : catalog().schemaNames()) {
                if (matches(sp, s)) {
                    rows.add(new Object[] {s, null});
                }
            }
        }
        return rows("TABLE_SCHEM, TABLE_CATALOG", rows);
    }

    @Override
    public ResultSet getCatalogs() throws SQLException {
        return empty("TABLE_CAT");
    }

    // ---------------------------------------------------------------- types

    private static final DataType[] TYPES = {
        DataType.BIGINT, DataType.BYTEA, DataType.decimal(DataType.MAX_DECIMAL_PRECISION, 0), DataType.INTEGER,
        DataType.SMALLINT, DataType.REAL, DataType.DOUBLE, DataType.varchar(1), DataType.TEXT, DataType.BOOLEAN,
        DataType.DATE, DataType.TIMESTAMP,
    };

    /** Every type, named as PostgreSQL names it (names Duet's DDL accepts), ordered by DATA_TYPE. */
    @Override
    public ResultSet getTypeInfo() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (DataType type : TYPES) {
            DataType.Kind kind = type.kind();
            boolean quoted = switch (kind) {
                case VARCHAR, DATE, TIMESTAMP, BYTEA -> true;
                default -> false;
            };
            String prefix = switch (kind) {
                case DATE -> "DATE '";
                case TIMESTAMP -> "TIMESTAMP '";
                case BYTEA -> "'\\x";
                default -> quoted ? "'" : null;
            };
            String createParams = switch (kind) {
                case DECIMAL -> "precision,scale";
                case VARCHAR -> type.length() == DataType.UNBOUNDED ? null : "length";
                default -> null;
            };
            int precision = kind == DataType.Kind.VARCHAR && type.length() != DataType.UNBOUNDED
                    ? 10_485_760 // the longest VARCHAR(n) PostgreSQL allows; Duet takes any int
                    : JdbcTypes.precision(type);
            boolean fixedScale = kind == DataType.Kind.DECIMAL;
            rows.add(new Object[] {
                JdbcTypes.typeName(type), JdbcTypes.sqlType(type), precision, prefix, quoted ? "'" : null, createParams,
                (short) typeNullable, kind == DataType.Kind.VARCHAR,
                (short) (kind == DataType.Kind.BYTEA ? typePredBasic : typeSearchable),
                !JdbcTypes.isNumeric(type), fixedScale, false, JdbcTypes.sqlSpelling(type).replaceAll("\\(.*", ""),
                (short) 0, (short) (kind == DataType.Kind.DECIMAL ? DataType.MAX_DECIMAL_PRECISION
                        : kind == DataType.Kind.TIMESTAMP ? 6 : 0),
                null, null, JdbcTypes.isNumeric(type) ? 10 : null});
        }
        return rows("TYPE_NAME, DATA_TYPE:i, PRECISION:i, LITERAL_PREFIX, LITERAL_SUFFIX, CREATE_PARAMS, NULLABLE:h, "
                + "CASE_SENSITIVE:b, SEARCHABLE:h, UNSIGNED_ATTRIBUTE:b, FIXED_PREC_SCALE:b, AUTO_INCREMENT:b, "
                + "LOCAL_TYPE_NAME, MINIMUM_SCALE:h, MAXIMUM_SCALE:h, SQL_DATA_TYPE:i, SQL_DATETIME_SUB:i, "
                + "NUM_PREC_RADIX:i", rows);
    }

    // ---------------------------------------------------------------- objects Duet does not have: no rows

    @Override
    public ResultSet getProcedures(String catalog, String schemaPattern, String procedureNamePattern) throws SQLException {
        return empty("PROCEDURE_CAT, PROCEDURE_SCHEM, PROCEDURE_NAME, RESERVED1, RESERVED2, RESERVED3, REMARKS, "
                + "PROCEDURE_TYPE:h, SPECIFIC_NAME");
    }

    @Override
    public ResultSet getProcedureColumns(String catalog, String schemaPattern, String procedureNamePattern,
            String columnNamePattern) throws SQLException {
        return empty("PROCEDURE_CAT, PROCEDURE_SCHEM, PROCEDURE_NAME, COLUMN_NAME, COLUMN_TYPE:h, DATA_TYPE:i, "
                + "TYPE_NAME, PRECISION:i, LENGTH:i, SCALE:h, RADIX:h, NULLABLE:h, REMARKS, COLUMN_DEF, SQL_DATA_TYPE:i, "
                + "SQL_DATETIME_SUB:i, CHAR_OCTET_LENGTH:i, ORDINAL_POSITION:i, IS_NULLABLE, SPECIFIC_NAME");
    }

    @Override
    public ResultSet getFunctions(String catalog, String schemaPattern, String functionNamePattern) throws SQLException {
        return empty("FUNCTION_CAT, FUNCTION_SCHEM, FUNCTION_NAME, REMARKS, FUNCTION_TYPE:h, SPECIFIC_NAME");
    }

    @Override
    public ResultSet getFunctionColumns(String catalog, String schemaPattern, String functionNamePattern,
            String columnNamePattern) throws SQLException {
        return empty("FUNCTION_CAT, FUNCTION_SCHEM, FUNCTION_NAME, COLUMN_NAME, COLUMN_TYPE:h, DATA_TYPE:i, TYPE_NAME, "
                + "PRECISION:i, LENGTH:i, SCALE:h, RADIX:h, NULLABLE:h, REMARKS, CHAR_OCTET_LENGTH:i, ORDINAL_POSITION:i, "
                + "IS_NULLABLE, SPECIFIC_NAME");
    }

    @Override
    public ResultSet getColumnPrivileges(String catalog, String schema, String table, String columnNamePattern)
            throws SQLException {
        return empty("TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, GRANTOR, GRANTEE, PRIVILEGE, IS_GRANTABLE");
    }

    @Override
    public ResultSet getTablePrivileges(String catalog, String schemaPattern, String tableNamePattern)
            throws SQLException {
        return empty("TABLE_CAT, TABLE_SCHEM, TABLE_NAME, GRANTOR, GRANTEE, PRIVILEGE, IS_GRANTABLE");
    }

    @Override
    public ResultSet getVersionColumns(String catalog, String schema, String table) throws SQLException {
        return empty("SCOPE:h, COLUMN_NAME, DATA_TYPE:i, TYPE_NAME, COLUMN_SIZE:i, BUFFER_LENGTH:i, DECIMAL_DIGITS:h, "
                + "PSEUDO_COLUMN:h");
    }

    private static final String KEY_COLUMNS = "PKTABLE_CAT, PKTABLE_SCHEM, PKTABLE_NAME, PKCOLUMN_NAME, FKTABLE_CAT, "
            + "FKTABLE_SCHEM, FKTABLE_NAME, FKCOLUMN_NAME, KEY_SEQ:h, UPDATE_RULE:h, DELETE_RULE:h, FK_NAME, PK_NAME, "
            + "DEFERRABILITY:h";

    @Override
    public ResultSet getImportedKeys(String catalog, String schema, String table) throws SQLException {
        return empty(KEY_COLUMNS);
    }

    @Override
    public ResultSet getExportedKeys(String catalog, String schema, String table) throws SQLException {
        return empty(KEY_COLUMNS);
    }

    @Override
    public ResultSet getCrossReference(String parentCatalog, String parentSchema, String parentTable,
            String foreignCatalog, String foreignSchema, String foreignTable) throws SQLException {
        return empty(KEY_COLUMNS);
    }

    @Override
    public ResultSet getUDTs(String catalog, String schemaPattern, String typeNamePattern, int[] types)
            throws SQLException {
        return empty("TYPE_CAT, TYPE_SCHEM, TYPE_NAME, CLASS_NAME, DATA_TYPE:i, REMARKS, BASE_TYPE:h");
    }

    @Override
    public ResultSet getSuperTypes(String catalog, String schemaPattern, String typeNamePattern) throws SQLException {
        return empty("TYPE_CAT, TYPE_SCHEM, TYPE_NAME, SUPERTYPE_CAT, SUPERTYPE_SCHEM, SUPERTYPE_NAME");
    }

    @Override
    public ResultSet getSuperTables(String catalog, String schemaPattern, String tableNamePattern) throws SQLException {
        return empty("TABLE_CAT, TABLE_SCHEM, TABLE_NAME, SUPERTABLE_NAME");
    }

    @Override
    public ResultSet getAttributes(String catalog, String schemaPattern, String typeNamePattern,
            String attributeNamePattern) throws SQLException {
        return empty("TYPE_CAT, TYPE_SCHEM, TYPE_NAME, ATTR_NAME, DATA_TYPE:i, ATTR_TYPE_NAME, ATTR_SIZE:i, "
                + "DECIMAL_DIGITS:i, NUM_PREC_RADIX:i, NULLABLE:i, REMARKS, ATTR_DEF, SQL_DATA_TYPE:i, SQL_DATETIME_SUB:i, "
                + "CHAR_OCTET_LENGTH:i, ORDINAL_POSITION:i, IS_NULLABLE, SCOPE_CATALOG, SCOPE_SCHEMA, SCOPE_TABLE, "
                + "SOURCE_DATA_TYPE:h");
    }

    @Override
    public ResultSet getClientInfoProperties() throws SQLException {
        return empty("NAME, MAX_LEN:i, DEFAULT_VALUE, DESCRIPTION");
    }

    @Override
    public ResultSet getPseudoColumns(String catalog, String schemaPattern, String tableNamePattern,
            String columnNamePattern) throws SQLException {
        return empty("TABLE_CAT, TABLE_SCHEM, TABLE_NAME, COLUMN_NAME, DATA_TYPE:i, COLUMN_SIZE:i, DECIMAL_DIGITS:i, "
                + "NUM_PREC_RADIX:i, COLUMN_USAGE, REMARKS, CHAR_OCTET_LENGTH:i, IS_NULLABLE");
    }

    // ---------------------------------------------------------------- what Duet is and supports

    @Override
    public String getDatabaseProductName() {
        return "Duet";
    }

    @Override
    public String getDatabaseProductVersion() {
        return VERSION;
    }

    @Override
    public String getDriverName() {
        return "Duet JDBC";
    }

    @Override
    public String getDriverVersion() {
        return VERSION;
    }

    @Override
    public int getDriverMajorVersion() {
        return DuetDriver.MAJOR_VERSION;
    }

    @Override
    public int getDriverMinorVersion() {
        return DuetDriver.MINOR_VERSION;
    }

    @Override
    public int getDatabaseMajorVersion() {
        return DuetDriver.MAJOR_VERSION;
    }

    @Override
    public int getDatabaseMinorVersion() {
        return DuetDriver.MINOR_VERSION;
    }

    @Override
    public int getJDBCMajorVersion() {
        return 4;
    }

    @Override
    public int getJDBCMinorVersion() {
        return 2;
    }

    @Override
    public String getUserName() {
        return "duet";
    }

    @Override
    public boolean allProceduresAreCallable() {
        return true;
    }

    @Override
    public boolean allTablesAreSelectable() {
        return true;
    }

    @Override
    public boolean nullsAreSortedHigh() {
        return true;
    }

    @Override
    public boolean nullsAreSortedLow() {
        return false;
    }

    @Override
    public boolean nullsAreSortedAtStart() {
        return false;
    }

    @Override
    public boolean nullsAreSortedAtEnd() {
        return false;
    }

    @Override
    public boolean usesLocalFiles() {
        return true;
    }

    @Override
    public boolean usesLocalFilePerTable() {
        return false;
    }

    @Override
    public boolean supportsMixedCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean storesUpperCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean storesLowerCaseIdentifiers() {
        return true;
    }

    @Override
    public boolean storesMixedCaseIdentifiers() {
        return false;
    }

    @Override
    public boolean supportsMixedCaseQuotedIdentifiers() {
        return true;
    }

    @Override
    public boolean storesUpperCaseQuotedIdentifiers() {
        return false;
    }

    @Override
    public boolean storesLowerCaseQuotedIdentifiers() {
        return false;
    }

    @Override
    public boolean storesMixedCaseQuotedIdentifiers() {
        return false;
    }

    @Override
    public String getIdentifierQuoteString() {
        return "\"";
    }

    @Override
    public String getSQLKeywords() {
        return "ilike,limit,offset";
    }

    @Override
    public String getNumericFunctions() {
        return "abs,ceil,ceiling,floor,mod,round";
    }

    @Override
    public String getStringFunctions() {
        return "char_length,character_length,concat,length,lower,octet_length,substring,upper";
    }

    @Override
    public String getSystemFunctions() {
        return "";
    }

    @Override
    public String getTimeDateFunctions() {
        return "date_part,date_trunc,extract";
    }

    @Override
    public String getSearchStringEscape() {
        return "\\";
    }

    @Override
    public String getExtraNameCharacters() {
        return "";
    }

    @Override
    public boolean supportsAlterTableWithAddColumn() {
        return false;
    }

    @Override
    public boolean supportsAlterTableWithDropColumn() {
        return false;
    }

    @Override
    public boolean supportsColumnAliasing() {
        return true;
    }

    @Override
    public boolean nullPlusNonNullIsNull() {
        return true;
    }

    @Override
    public boolean supportsConvert() {
        return false;
    }

    @Override
    public boolean supportsConvert(int fromType, int toType) {
        return false;
    }

    @Override
    public boolean supportsTableCorrelationNames() {
        return true;
    }

    @Override
    public boolean supportsDifferentTableCorrelationNames() {
        return false;
    }

    @Override
    public boolean supportsExpressionsInOrderBy() {
        return true;
    }

    @Override
    public boolean supportsOrderByUnrelated() {
        return true;
    }

    @Override
    public boolean supportsGroupBy() {
        return true;
    }

    @Override
    public boolean supportsGroupByUnrelated() {
        return true;
    }

    @Override
    public boolean supportsGroupByBeyondSelect() {
        return true;
    }

    @Override
    public boolean supportsLikeEscapeClause() {
        return true;
    }

    @Override
    public boolean supportsMultipleResultSets() {
        return true;
    }

    @Override
    public boolean supportsMultipleTransactions() {
        return true;
    }

    @Override
    public boolean supportsNonNullableColumns() {
        return true;
    }

    @Override
    public boolean supportsMinimumSQLGrammar() {
        return true;
    }

    @Override
    public boolean supportsCoreSQLGrammar() {
        return false;
    }

    @Override
    public boolean supportsExtendedSQLGrammar() {
        return false;
    }

    @Override
    public boolean supportsANSI92EntryLevelSQL() {
        return false;
    }

    @Override
    public boolean supportsANSI92IntermediateSQL() {
        return false;
    }

    @Override
    public boolean supportsANSI92FullSQL() {
        return false;
    }

    @Override
    public boolean supportsIntegrityEnhancementFacility() {
        return false;
    }

    @Override
    public boolean supportsOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsFullOuterJoins() {
        return true;
    }

    @Override
    public boolean supportsLimitedOuterJoins() {
        return true;
    }

    @Override
    public String getSchemaTerm() {
        return "schema";
    }

    @Override
    public String getProcedureTerm() {
        return "procedure";
    }

    @Override
    public String getCatalogTerm() {
        return "database";
    }

    @Override
    public boolean isCatalogAtStart() {
        return true;
    }

    @Override
    public String getCatalogSeparator() {
        return ".";
    }

    @Override
    public boolean supportsSchemasInDataManipulation() {
        return true;
    }

    @Override
    public boolean supportsSchemasInProcedureCalls() {
        return false;
    }

    @Override
    public boolean supportsSchemasInTableDefinitions() {
        return true;
    }

    @Override
    public boolean supportsSchemasInIndexDefinitions() {
        return false;
    }

    @Override
    public boolean supportsSchemasInPrivilegeDefinitions() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInDataManipulation() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInProcedureCalls() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInTableDefinitions() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInIndexDefinitions() {
        return false;
    }

    @Override
    public boolean supportsCatalogsInPrivilegeDefinitions() {
        return false;
    }

    @Override
    public boolean supportsPositionedDelete() {
        return false;
    }

    @Override
    public boolean supportsPositionedUpdate() {
        return false;
    }

    @Override
    public boolean supportsSelectForUpdate() {
        return false;
    }

    @Override
    public boolean supportsStoredProcedures() {
        return false;
    }

    @Override
    public boolean supportsSubqueriesInComparisons() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInExists() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInIns() {
        return true;
    }

    @Override
    public boolean supportsSubqueriesInQuantifieds() {
        return true;
    }

    @Override
    public boolean supportsCorrelatedSubqueries() {
        return true;
    }

    @Override
    public boolean supportsUnion() {
        return true;
    }

    @Override
    public boolean supportsUnionAll() {
        return true;
    }

    @Override
    public boolean supportsOpenCursorsAcrossCommit() {
        return false;
    }

    @Override
    public boolean supportsOpenCursorsAcrossRollback() {
        return false;
    }

    @Override
    public boolean supportsOpenStatementsAcrossCommit() {
        return true;
    }

    @Override
    public boolean supportsOpenStatementsAcrossRollback() {
        return true;
    }

    @Override
    public int getMaxBinaryLiteralLength() {
        return 0;
    }

    @Override
    public int getMaxCharLiteralLength() {
        return 0;
    }

    @Override
    public int getMaxColumnNameLength() {
        return 0;
    }

    @Override
    public int getMaxColumnsInGroupBy() {
        return 0;
    }

    @Override
    public int getMaxColumnsInIndex() {
        return 0;
    }

    @Override
    public int getMaxColumnsInOrderBy() {
        return 0;
    }

    @Override
    public int getMaxColumnsInSelect() {
        return 0;
    }

    @Override
    public int getMaxColumnsInTable() {
        return 0;
    }

    @Override
    public int getMaxConnections() {
        return 0;
    }

    @Override
    public int getMaxCursorNameLength() {
        return 0;
    }

    @Override
    public int getMaxIndexLength() {
        return 0;
    }

    @Override
    public int getMaxSchemaNameLength() {
        return 0;
    }

    @Override
    public int getMaxProcedureNameLength() {
        return 0;
    }

    @Override
    public int getMaxCatalogNameLength() {
        return 0;
    }

    @Override
    public int getMaxRowSize() {
        return 0;
    }

    @Override
    public boolean doesMaxRowSizeIncludeBlobs() {
        return false;
    }

    @Override
    public int getMaxStatementLength() {
        return 0;
    }

    @Override
    public int getMaxStatements() {
        return 0;
    }

    @Override
    public int getMaxTableNameLength() {
        return 0;
    }

    @Override
    public int getMaxTablesInSelect() {
        return 0;
    }

    @Override
    public int getMaxUserNameLength() {
        return 0;
    }

    @Override
    public long getMaxLogicalLobSize() {
        return 0;
    }

    @Override
    public int getDefaultTransactionIsolation() {
        return Connection.TRANSACTION_REPEATABLE_READ;
    }

    @Override
    public boolean supportsTransactions() {
        return true;
    }

    @Override
    public boolean supportsDataDefinitionAndDataManipulationTransactions() {
        return true;
    }

    @Override
    public boolean supportsDataManipulationTransactionsOnly() {
        return false;
    }

    @Override
    public boolean dataDefinitionCausesTransactionCommit() {
        return false;
    }

    @Override
    public boolean dataDefinitionIgnoredInTransactions() {
        return false;
    }

    @Override
    public boolean ownUpdatesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean ownDeletesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean ownInsertsAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersUpdatesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersDeletesAreVisible(int type) {
        return false;
    }

    @Override
    public boolean othersInsertsAreVisible(int type) {
        return false;
    }

    @Override
    public boolean updatesAreDetected(int type) {
        return false;
    }

    @Override
    public boolean deletesAreDetected(int type) {
        return false;
    }

    @Override
    public boolean insertsAreDetected(int type) {
        return false;
    }

    @Override
    public boolean supportsBatchUpdates() {
        return true;
    }

    @Override
    public boolean supportsSavepoints() {
        return false;
    }

    @Override
    public boolean supportsNamedParameters() {
        return false;
    }

    @Override
    public boolean supportsMultipleOpenResults() {
        return false;
    }

    @Override
    public boolean supportsGetGeneratedKeys() {
        return false;
    }

    @Override
    public int getResultSetHoldability() {
        return ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public int getSQLStateType() {
        return sqlStateSQL;
    }

    @Override
    public boolean locatorsUpdateCopy() {
        return false;
    }

    @Override
    public boolean supportsStatementPooling() {
        return false;
    }

    @Override
    public RowIdLifetime getRowIdLifetime() {
        return RowIdLifetime.ROWID_UNSUPPORTED;
    }

    @Override
    public boolean supportsStoredFunctionsUsingCallSyntax() {
        return false;
    }

    @Override
    public boolean autoCommitFailureClosesAllResultSets() {
        return false;
    }

    @Override
    public boolean generatedKeyAlwaysReturned() {
        return false;
    }

    @Override
    public boolean supportsRefCursors() {
        return false;
    }

    @Override
    public boolean supportsSharding() {
        return false;
    }

    @Override
    public String getURL() {
        return connection.url();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return connection.isReadOnly();
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    /** Snapshot isolation serves READ UNCOMMITTED, READ COMMITTED and REPEATABLE READ; not SERIALIZABLE. */
    @Override
    public boolean supportsTransactionIsolationLevel(int level) {
        return level == Connection.TRANSACTION_READ_UNCOMMITTED || level == Connection.TRANSACTION_READ_COMMITTED
                || level == Connection.TRANSACTION_REPEATABLE_READ;
    }

    @Override
    public boolean supportsResultSetType(int type) {
        return type == ResultSet.TYPE_FORWARD_ONLY;
    }

    @Override
    public boolean supportsResultSetConcurrency(int type, int concurrency) {
        return type == ResultSet.TYPE_FORWARD_ONLY && concurrency == ResultSet.CONCUR_READ_ONLY;
    }

    @Override
    public boolean supportsResultSetHoldability(int holdability) {
        return holdability == ResultSet.HOLD_CURSORS_OVER_COMMIT;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return JdbcErrors.unwrap(this, iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
