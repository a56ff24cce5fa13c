package dev.duet.planner;

import dev.duet.core.catalog.Catalog;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;

/** A small catalog with one table of every Duet type, for tests that are not about TPC-H. */
final class TestTables {
    private TestTables() {
    }

    /**
     * {@code t(id INTEGER NOT NULL PRIMARY KEY, name TEXT, d DATE, ts TIMESTAMP, amount DECIMAL(10,2),
     * b BYTEA, v VARCHAR(20), x DOUBLE, flag BOOLEAN, s SMALLINT, big BIGINT, r REAL,
     * qty INTEGER NOT NULL DEFAULT 7)}, in schema public, plus {@code other.u(k BIGINT)} and the
     * TPC-H tables.
     */
    static Catalog catalog() {
        return TpchCatalog.catalog()
                .withNewTable(TableDef.builder("t")
                        .notNullColumn("id", DataType.INTEGER)
                        .column("name", DataType.TEXT)
                        .column("d", DataType.DATE)
                        .column("ts", DataType.TIMESTAMP)
                        .column("amount", DataType.decimal(10, 2))
                        .column("b", DataType.BYTEA)
                        .column("v", DataType.varchar(20))
                        .column("x", DataType.DOUBLE)
                        .column("flag", DataType.BOOLEAN)
                        .column("s", DataType.SMALLINT)
                        .column("big", DataType.BIGINT)
                        .column("r", DataType.REAL)
                        .column(ColumnDef.notNull("qty", DataType.INTEGER).withDefault(7))
                        .column(ColumnDef.of("price", DataType.decimal(10, 2)).withDefault(new BigDecimal("1.50")))
                        .primaryKey("id")
                        .build())
                .withSchema("other")
                .withNewTable(TableDef.builder("other", "u").column("k", DataType.BIGINT).build());
    }
}
