package dev.duet.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.io.ByteSink;
import dev.duet.core.io.ByteSource;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogCodecTest {
    private static TableDef everyType() {
        return TableDef.builder("sales", "everything")
                .column("b", DataType.BOOLEAN)
                .column("s", DataType.SMALLINT)
                .column(ColumnDef.notNull("i", DataType.INTEGER).withDefault(7))
                .column("l", DataType.BIGINT)
                .column("r", DataType.REAL)
                .column("d", DataType.DOUBLE)
                .column(ColumnDef.of("dec", DataType.decimal(30, 4)).withDefault(new BigDecimal("1.5")))
                .column(ColumnDef.of("v", DataType.varchar(12)).withDefault("none"))
                .column("t", DataType.TEXT)
                .column(ColumnDef.of("dt", DataType.DATE).withDefault(LocalDate.of(2024, 2, 29)))
                .column("ts", DataType.TIMESTAMP)
                .column("by", DataType.BYTEA)
                .primaryKey("l", "i")
                .build();
    }

    @Test
    void catalogRoundTrips() {
        Catalog c = Catalog.empty().withSchema("sales").withNewTable(everyType())
                .withNewTable(TableDef.builder("plain").column("x", DataType.TEXT).build());
        ByteSink out = new ByteSink();
        CatalogCodec.writeCatalog(out, c);
        Catalog back = CatalogCodec.readCatalog(new ByteSource(out.toByteArray(), "test"));
        assertEquals(c.schemaNames(), back.schemaNames());
        assertEquals(List.copyOf(c.tables()), List.copyOf(back.tables()));
        assertEquals(c.nextTableId(), back.nextTableId());
        TableDef t = back.table("sales", "everything");
        assertEquals(new BigDecimal("1.5000"), t.column(t.requireColumn("dec")).defaultValue());
        assertEquals(2, t.primaryKeyLength());
        assertEquals(true, t.column(t.requireColumn("l")).notNull());
    }

    @Test
    void truncatedCatalogIsCorrupt() {
        ByteSink out = new ByteSink();
        CatalogCodec.writeCatalog(out, Catalog.empty().withNewTable(
                TableDef.builder("t").column("a", DataType.INTEGER).build()));
        byte[] bytes = out.toByteArray();
        DuetException e = assertThrows(DuetException.class, () -> CatalogCodec.readCatalog(
                new ByteSource(bytes, 0, bytes.length - 3, "test")));
        assertEquals(SqlState.DATA_CORRUPTED, e.state());
    }

    @Test
    void catalogErrors() {
        Catalog c = Catalog.empty().withNewTable(TableDef.builder("t").column("a", DataType.INTEGER).build());
        assertEquals(SqlState.DUPLICATE_TABLE, assertThrows(DuetException.class,
                () -> c.withNewTable(TableDef.builder("t").column("a", DataType.INTEGER).build())).state());
        assertEquals(SqlState.INVALID_SCHEMA_NAME, assertThrows(DuetException.class,
                () -> c.withNewTable(TableDef.builder("nope", "t").column("a", DataType.INTEGER).build())).state());
        assertEquals(SqlState.UNDEFINED_TABLE, assertThrows(DuetException.class, () -> c.table("public", "x")).state());
        assertEquals(SqlState.DUPLICATE_COLUMN, assertThrows(DuetException.class,
                () -> TableDef.builder("u").column("a", DataType.INTEGER).column("a", DataType.TEXT).build()).state());
        assertEquals(SqlState.UNDEFINED_COLUMN, assertThrows(DuetException.class,
                () -> TableDef.builder("u").column("a", DataType.INTEGER).primaryKey("b").build()).state());
        Catalog withSchema = c.withSchema("s").withNewTable(TableDef.builder("s", "t").column("a", DataType.INTEGER).build());
        assertEquals(SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
                assertThrows(DuetException.class, () -> withSchema.withoutSchema("s")).state());
    }
}
