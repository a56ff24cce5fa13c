package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.contents;
import static dev.duet.rowstore.RowStoreTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Transaction#savepoint()}: rolling back to one takes back exactly what came after it. */
class SavepointTest {
    private RowStore store;

    @BeforeEach
    void open() {
        store = RowStore.inMemory(RowStoreOptions.defaults());
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("k").column("id", DataType.BIGINT).column("v", DataType.BIGINT)
                    .primaryKey("id").build());
            tx.createTable(TableDef.builder("h").column("v", DataType.BIGINT).build());
            tx.insert("k", 1L, 10L);
            tx.insert("k", 2L, 20L);
            tx.insert("h", 7L);
            tx.commit();
        }
    }

    @AfterEach
    void close() {
        assertEquals(0, store.openSnapshots(), "a test left a transaction open");
        store.close();
    }

    @Test
    void rollbackToTakesBackWritesAfterTheSavepointOnly() {
        Map<String, List<Row>> before;
        try (Transaction tx = store.begin()) {
            tx.insert("k", 3L, 30L);
            tx.update("k", new Object[] {1L}, Map.of("v", 11L));
            before = contentsOf(tx);
            Transaction.Savepoint sp = tx.savepoint();
            tx.insert("k", 4L, 40L);                              // new key
            tx.update("k", new Object[] {3L}, Map.of("v", 33L));  // key written before the savepoint
            tx.update("k", new Object[] {3L}, Map.of("v", 333L)); // twice
            tx.delete("k", 2L);                                   // committed key
            tx.update("k", new Object[] {1L}, Map.of("id", 9L));  // key change: delete + insert
            tx.insert("h", 8L);
            tx.rollbackTo(sp);
            assertEquals(before, contentsOf(tx));
            // the savepoint stays usable
            tx.delete("k", 3L);
            tx.rollbackTo(sp);
            assertEquals(before, contentsOf(tx));
            tx.release(sp);
            tx.commit();
        }
        try (Transaction tx = store.begin(true)) {
            assertEquals(before, contentsOf(tx));
        }
    }

    @Test
    void ddlAfterTheSavepointIsTakenBack() {
        Map<String, List<Row>> committed = contents(store);
        try (Transaction tx = store.begin()) {
            Transaction.Savepoint sp = tx.savepoint();
            tx.createTable(TableDef.builder("n").column("x", DataType.INTEGER).build());
            tx.insert("n", 1);
            tx.insert("k", 5L, 50L);
            tx.dropTable("k");
            tx.rollbackTo(sp);
            assertThrows(dev.duet.core.DuetException.class, () -> tx.table("n"));
            assertEquals(List.of(List.of(1L, 10L), List.of(2L, 20L)), values(tx.scan("k").toList()));
            tx.commit();
        }
        assertEquals(committed, contents(store));
    }

    @Test
    void nestedSavepointsAndRelease() {
        try (Transaction tx = store.begin()) {
            Transaction.Savepoint outer = tx.savepoint();
            tx.insert("k", 3L, 30L);
            Transaction.Savepoint inner = tx.savepoint();
            tx.insert("k", 4L, 40L);
            tx.release(inner);            // its writes stay, and still belong to the outer one
            assertEquals(4, tx.count("k"));
            tx.rollbackTo(outer);
            assertEquals(2, tx.count("k"));
            assertNull(tx.get("k", 3L));
            assertThrows(IllegalStateException.class, () -> tx.rollbackTo(inner));
            tx.commit();
        }
        assertEquals(2, RowStoreTestSupport.scanAll(store, "k").size());
    }

    private static Map<String, List<Row>> contentsOf(Transaction tx) {
        return Map.of("k", tx.scan("k").toList(), "h", tx.scan("h").toList());
    }
}
