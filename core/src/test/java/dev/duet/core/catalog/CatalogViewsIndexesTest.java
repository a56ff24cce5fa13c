package dev.duet.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.io.ByteSink;
import dev.duet.core.io.ByteSource;
import dev.duet.core.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Views and indexes in the catalog: one namespace with tables, dependencies, and their binary form. */
class CatalogViewsIndexesTest {
    private static Catalog withTable() {
        return Catalog.empty().withNewTable(TableDef.builder("t").column("a", DataType.INTEGER)
                .column("b", DataType.TEXT).primaryKey("a").build());
    }

    private static ViewDef view(String name) {
        return new ViewDef("public", name, "SELECT a FROM t", List.of(ColumnDef.of("a", DataType.INTEGER)), List.of("public.t"));
    }

    @Test
    void viewsAndIndexesRoundTripAndShareTheNamespace() {
        Catalog c = withTable();
        TableDef t = c.table("public", "t");
        c = c.withView(view("v"), false).withNewIndex(IndexDef.on(t, "t_b", true, "b"));
        IndexDef idx = c.findIndex("public", "t_b");
        assertEquals(List.of(idx), c.indexes(t.id()));
        assertEquals(t.id() + 1, idx.id());
        ByteSink out = new ByteSink();
        CatalogCodec.writeCatalog(out, c);
        Catalog back = CatalogCodec.readCatalog(new ByteSource(out.toByteArray(), "test"));
        assertEquals(List.copyOf(c.views()), List.copyOf(back.views()));
        assertEquals(List.copyOf(c.indexes()), List.copyOf(back.indexes()));
        assertEquals(c.nextTableId(), back.nextTableId());

        Catalog finalC = c;
        for (Runnable r : List.<Runnable>of(
                () -> finalC.withView(view("t"), false),
                () -> finalC.withView(view("t_b"), true),
                () -> finalC.withView(view("v"), false),
                () -> finalC.withNewIndex(IndexDef.on(t, "v", false, "a")),
                () -> finalC.withNewTable(TableDef.builder("t_b").column("x", DataType.INTEGER).build()))) {
            assertEquals(SqlState.DUPLICATE_TABLE, assertThrows(DuetException.class, r::run).state());
        }
        assertEquals("SELECT 1", c.withView(new ViewDef("public", "v", "SELECT 1", List.of(ColumnDef.of("x", DataType.INTEGER)), List.of()), true)
                .findView("public", "v").query());
    }

    @Test
    void droppingATableAViewReadsFailsAndDropsItsIndexes() {
        Catalog c = withTable();
        TableDef t = c.table("public", "t");
        c = c.withNewIndex(IndexDef.on(t, "t_b", false, "b"));
        Catalog withView = c.withView(view("v"), false);
        DuetException e = assertThrows(DuetException.class, () -> withView.withoutTable(t.id()));
        assertEquals(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, e.state());
        Catalog dropped = withView.withoutView("public", "v").withoutTable(t.id());
        assertNull(dropped.findIndex("public", "t_b"));
        assertEquals(SqlState.UNDEFINED_TABLE,
                assertThrows(DuetException.class, () -> dropped.withoutView("public", "v")).state());
        assertEquals(SqlState.UNDEFINED_COLUMN,
                assertThrows(DuetException.class, () -> IndexDef.on(t, "x", false, "nope")).state());
    }
}
