package dev.duet.datasets.tpch;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The eight TPC-H tables (TPC-H specification 2.18, clause 1.4) as Duet table definitions in schema
 * {@code public}, and the same tables as PostgreSQL/DuckDB {@code CREATE TABLE} text. Every column
 * is NOT NULL, as the specification requires. Types: keys BIGINT (as Trino's TPC-H connector: no
 * overflow at any scale factor), the specification's INTEGER columns INTEGER, money and quantities
 * DECIMAL(15,2), dates DATE, and CHAR(n)/VARCHAR(n) both VARCHAR(n) (the generator never pads).
 */
public final class TpchSchema {
    /** Money, quantities, discounts and taxes. */
    public static final DataType DECIMAL = DataType.decimal(15, 2);

    public static final String REGION = "region";
    public static final String NATION = "nation";
    public static final String SUPPLIER = "supplier";
    public static final String CUSTOMER = "customer";
    public static final String PART = "part";
    public static final String PARTSUPP = "partsupp";
    public static final String ORDERS = "orders";
    public static final String LINEITEM = "lineitem";

    /** Table names in load order: every table after the tables it refers to. */
    public static final List<String> TABLE_NAMES =
            List.of(REGION, NATION, SUPPLIER, CUSTOMER, PART, PARTSUPP, ORDERS, LINEITEM);

    private static final List<TableDef> TABLES = List.of(
            define(REGION)
                    .notNullColumn("r_regionkey", DataType.BIGINT)
                    .notNullColumn("r_name", DataType.varchar(25))
                    .notNullColumn("r_comment", DataType.varchar(152))
                    .primaryKey("r_regionkey").build(),
            define(NATION)
                    .notNullColumn("n_nationkey", DataType.BIGINT)
                    .notNullColumn("n_name", DataType.varchar(25))
                    .notNullColumn("n_regionkey", DataType.BIGINT)
                    .notNullColumn("n_comment", DataType.varchar(152))
                    .primaryKey("n_nationkey").build(),
            define(SUPPLIER)
                    .notNullColumn("s_suppkey", DataType.BIGINT)
                    .notNullColumn("s_name", DataType.varchar(25))
                    .notNullColumn("s_address", DataType.varchar(40))
                    .notNullColumn("s_nationkey", DataType.BIGINT)
                    .notNullColumn("s_phone", DataType.varchar(15))
                    .notNullColumn("s_acctbal", DECIMAL)
                    .notNullColumn("s_comment", DataType.varchar(101))
                    .primaryKey("s_suppkey").build(),
            define(CUSTOMER)
                    .notNullColumn("c_custkey", DataType.BIGINT)
                    .notNullColumn("c_name", DataType.varchar(25))
                    .notNullColumn("c_address", DataType.varchar(40))
                    .notNullColumn("c_nationkey", DataType.BIGINT)
                    .notNullColumn("c_phone", DataType.varchar(15))
                    .notNullColumn("c_acctbal", DECIMAL)
                    .notNullColumn("c_mktsegment", DataType.varchar(10))
                    .notNullColumn("c_comment", DataType.varchar(117))
                    .primaryKey("c_custkey").build(),
            define(PART)
                    .notNullColumn("p_partkey", DataType.BIGINT)
                    .notNullColumn("p_name", DataType.varchar(55))
                    .notNullColumn("p_mfgr", DataType.varchar(25))
                    .notNullColumn("p_brand", DataType.varchar(10))
                    .notNullColumn("p_type", DataType.varchar(25))
                    .notNullColumn("p_size", DataType.INTEGER)
                    .notNullColumn("p_container", DataType.varchar(10))
                    .notNullColumn("p_retailprice", DECIMAL)
                    .notNullColumn("p_comment", DataType.varchar(23))
                    .primaryKey("p_partkey").build(),
            define(PARTSUPP)
                    .notNullColumn("ps_partkey", DataType.BIGINT)
                    .notNullColumn("ps_suppkey", DataType.BIGINT)
                    .notNullColumn("ps_availqty", DataType.INTEGER)
                    .notNullColumn("ps_supplycost", DECIMAL)
                    .notNullColumn("ps_comment", DataType.varchar(199))
                    .primaryKey("ps_partkey", "ps_suppkey").build(),
            define(ORDERS)
                    .notNullColumn("o_orderkey", DataType.BIGINT)
                    .notNullColumn("o_custkey", DataType.BIGINT)
                    .notNullColumn("o_orderstatus", DataType.varchar(1))
                    .notNullColumn("o_totalprice", DECIMAL)
                    .notNullColumn("o_orderdate", DataType.DATE)
                    .notNullColumn("o_orderpriority", DataType.varchar(15))
                    .notNullColumn("o_clerk", DataType.varchar(15))
                    .notNullColumn("o_shippriority", DataType.INTEGER)
                    .notNullColumn("o_comment", DataType.varchar(79))
                    .primaryKey("o_orderkey").build(),
            define(LINEITEM)
                    .notNullColumn("l_orderkey", DataType.BIGINT)
                    .notNullColumn("l_partkey", DataType.BIGINT)
                    .notNullColumn("l_suppkey", DataType.BIGINT)
                    .notNullColumn("l_linenumber", DataType.INTEGER)
                    .notNullColumn("l_quantity", DECIMAL)
                    .notNullColumn("l_extendedprice", DECIMAL)
                    .notNullColumn("l_discount", DECIMAL)
                    .notNullColumn("l_tax", DECIMAL)
                    .notNullColumn("l_returnflag", DataType.varchar(1))
                    .notNullColumn("l_linestatus", DataType.varchar(1))
                    .notNullColumn("l_shipdate", DataType.DATE)
                    .notNullColumn("l_commitdate", DataType.DATE)
                    .notNullColumn("l_receiptdate", DataType.DATE)
                    .notNullColumn("l_shipinstruct", DataType.varchar(25))
                    .notNullColumn("l_shipmode", DataType.varchar(10))
                    .notNullColumn("l_comment", DataType.varchar(44))
                    .primaryKey("l_orderkey", "l_linenumber").build());

    private TpchSchema() {
    }

    private static TableDef.Builder define(String name) {
        return TableDef.builder(name);
    }

    /** The eight table definitions in load order (ids unassigned). */
    public static List<TableDef> tables() {
        return TABLES;
    }

    /** The definition of one TPC-H table; 42P01 for a name that is not one. */
    public static TableDef table(String name) {
        Objects.requireNonNull(name, "name is null");
        for (TableDef t : TABLES) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw DuetException.of(SqlState.UNDEFINED_TABLE, "\"%s\" is not a TPC-H table (one of %s)", name, TABLE_NAMES);
    }

    /** The primary key column names of {@code table}, in key order. */
    public static List<String> primaryKeyColumns(TableDef table) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < table.primaryKeyLength(); i++) {
            names.add(table.column(table.primaryKeyColumn(i)).name());
        }
        return names;
    }

    /** {@code CREATE TABLE} statements for all eight tables, in load order. */
    public static List<String> createTableStatements() {
        return TABLES.stream().map(TpchSchema::createTableSql).toList();
    }

    /**
     * {@code table} as a PostgreSQL/DuckDB {@code CREATE TABLE} statement (unqualified name, so it
     * lands in the default schema: {@code public} in PostgreSQL, {@code main} in DuckDB), e.g.
     * {@code CREATE TABLE region (r_regionkey BIGINT NOT NULL, ..., PRIMARY KEY (r_regionkey))}.
     */
    public static String createTableSql(TableDef table) {
        return createTableSql(table, true);
    }

    /**
     * Like {@link #createTableSql(TableDef)}, without the primary key if {@code withPrimaryKey} is
     * false: bulk loaders append to a table without an index and add the key afterwards
     * ({@link #addPrimaryKeySql}), which DuckDB does about 20 times faster.
     */
    public static String createTableSql(TableDef table, boolean withPrimaryKey) {
        Objects.requireNonNull(table, "table is null");
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(table.name()).append(" (");
        for (int i = 0; i < table.columnCount(); i++) {
            ColumnDef c = table.column(i);
            sb.append(i == 0 ? "" : ", ").append(c.name()).append(' ').append(c.type());
            if (c.notNull()) {
                sb.append(" NOT NULL");
            }
        }
        if (withPrimaryKey && table.hasPrimaryKey()) {
            sb.append(", PRIMARY KEY (").append(String.join(", ", primaryKeyColumns(table))).append(')');
        }
        return sb.append(')').toString();
    }

    /** {@code ALTER TABLE t ADD PRIMARY KEY (...)} for a table created without its key. */
    public static String addPrimaryKeySql(TableDef table) {
        Objects.requireNonNull(table, "table is null");
        if (!table.hasPrimaryKey()) {
            throw new IllegalArgumentException("table " + table.name() + " has no primary key");
        }
        return "ALTER TABLE " + table.name() + " ADD PRIMARY KEY (" + String.join(", ", primaryKeyColumns(table)) + ")";
    }
}
