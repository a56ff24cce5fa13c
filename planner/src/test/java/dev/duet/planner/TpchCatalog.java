package dev.duet.planner;

import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The eight TPC-H tables as the specification defines them (money DECIMAL(15,2), dates DATE,
 * BIGINT keys for the big tables, INTEGER for nation/region keys), every column NOT NULL, and
 * the 22 query texts shipped in io.trino.tpch 1.2 ({@code io/trino/tpch/queries/qN.sql}).
 */
final class TpchCatalog {
    private static final DataType MONEY = DataType.decimal(15, 2);

    private TpchCatalog() {
    }

    static Catalog catalog() {
        Catalog c = Catalog.empty();
        c = c.withNewTable(TableDef.builder("part")
                .notNullColumn("p_partkey", DataType.BIGINT)
                .notNullColumn("p_name", DataType.varchar(55))
                .notNullColumn("p_mfgr", DataType.varchar(25))
                .notNullColumn("p_brand", DataType.varchar(10))
                .notNullColumn("p_type", DataType.varchar(25))
                .notNullColumn("p_size", DataType.INTEGER)
                .notNullColumn("p_container", DataType.varchar(10))
                .notNullColumn("p_retailprice", MONEY)
                .notNullColumn("p_comment", DataType.varchar(23))
                .primaryKey("p_partkey").build());
        c = c.withNewTable(TableDef.builder("supplier")
                .notNullColumn("s_suppkey", DataType.BIGINT)
                .notNullColumn("s_name", DataType.varchar(25))
                .notNullColumn("s_address", DataType.varchar(40))
                .notNullColumn("s_nationkey", DataType.INTEGER)
                .notNullColumn("s_phone", DataType.varchar(15))
                .notNullColumn("s_acctbal", MONEY)
                .notNullColumn("s_comment", DataType.varchar(101))
                .primaryKey("s_suppkey").build());
        c = c.withNewTable(TableDef.builder("partsupp")
                .notNullColumn("ps_partkey", DataType.BIGINT)
                .notNullColumn("ps_suppkey", DataType.BIGINT)
                .notNullColumn("ps_availqty", DataType.INTEGER)
                .notNullColumn("ps_supplycost", MONEY)
                .notNullColumn("ps_comment", DataType.varchar(199))
                .primaryKey("ps_partkey", "ps_suppkey").build());
        c = c.withNewTable(TableDef.builder("customer")
                .notNullColumn("c_custkey", DataType.BIGINT)
                .notNullColumn("c_name", DataType.varchar(25))
                .notNullColumn("c_address", DataType.varchar(40))
                .notNullColumn("c_nationkey", DataType.INTEGER)
                .notNullColumn("c_phone", DataType.varchar(15))
                .notNullColumn("c_acctbal", MONEY)
                .notNullColumn("c_mktsegment", DataType.varchar(10))
                .notNullColumn("c_comment", DataType.varchar(117))
                .primaryKey("c_custkey").build());
        c = c.withNewTable(TableDef.builder("orders")
                .notNullColumn("o_orderkey", DataType.BIGINT)
                .notNullColumn("o_custkey", DataType.BIGINT)
                .notNullColumn("o_orderstatus", DataType.varchar(1))
                .notNullColumn("o_totalprice", MONEY)
                .notNullColumn("o_orderdate", DataType.DATE)
                .notNullColumn("o_orderpriority", DataType.varchar(15))
                .notNullColumn("o_clerk", DataType.varchar(15))
                .notNullColumn("o_shippriority", DataType.INTEGER)
                .notNullColumn("o_comment", DataType.varchar(79))
                .primaryKey("o_orderkey").build());
        c = c.withNewTable(TableDef.builder("lineitem")
                .notNullColumn("l_orderkey", DataType.BIGINT)
                .notNullColumn("l_partkey", DataType.BIGINT)
                .notNullColumn("l_suppkey", DataType.BIGINT)
                .notNullColumn("l_linenumber", DataType.INTEGER)
                .notNullColumn("l_quantity", MONEY)
                .notNullColumn("l_extendedprice", MONEY)
                .notNullColumn("l_discount", MONEY)
                .notNullColumn("l_tax", MONEY)
                .notNullColumn("l_returnflag", DataType.varchar(1))
                .notNullColumn("l_linestatus", DataType.varchar(1))
                .notNullColumn("l_shipdate", DataType.DATE)
                .notNullColumn("l_commitdate", DataType.DATE)
                .notNullColumn("l_receiptdate", DataType.DATE)
                .notNullColumn("l_shipinstruct", DataType.varchar(25))
                .notNullColumn("l_shipmode", DataType.varchar(10))
                .notNullColumn("l_comment", DataType.varchar(44))
                .primaryKey("l_orderkey", "l_linenumber").build());
        c = c.withNewTable(TableDef.builder("nation")
                .notNullColumn("n_nationkey", DataType.INTEGER)
                .notNullColumn("n_name", DataType.varchar(25))
                .notNullColumn("n_regionkey", DataType.INTEGER)
                .notNullColumn("n_comment", DataType.varchar(152))
                .primaryKey("n_nationkey").build());
        c = c.withNewTable(TableDef.builder("region")
                .notNullColumn("r_regionkey", DataType.INTEGER)
                .notNullColumn("r_name", DataType.varchar(25))
                .notNullColumn("r_comment", DataType.varchar(152))
                .primaryKey("r_regionkey").build());
        return c;
    }

    /** The text of TPC-H query {@code n} exactly as the tpch jar ships it. */
    static String originalQuery(int n) {
        String path = "/io/trino/tpch/queries/q" + n + ".sql";
        try (InputStream in = TpchCatalog.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
