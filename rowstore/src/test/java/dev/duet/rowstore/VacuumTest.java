package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Old row versions are reclaimed once no open snapshot can see them, and only then: a reader's
 * snapshot keeps exactly the versions it may still read.
 */
class VacuumTest {
    private RowStore store;
    private long tableId;

    @BeforeEach
    void open() {
        // Background maintenance would vacuum too; keep it out of the way so each step is explicit.
        store = RowStore.inMemory(RowStoreOptions.defaults().withMaintenanceInterval(Duration.ofHours(1)));
        try (Transaction tx = store.begin()) {
            tableId = tx.createTable(TableDef.builder("t")
                    .column("id", DataType.INTEGER)
                    .column("v", DataType.INTEGER)
                    .primaryKey("id")
                    .build()).id();
            tx.insert("t", 1, 0);
            tx.commit();
        }
    }

    @AfterEach
    void close() {
        assertEquals(0, store.openSnapshots());
        store.close();
    }

    private void setValue(int id, int value) {
        try (Transaction tx = store.begin()) {
            assertTrue(tx.update("t", key(id), Map.of("v", value)));
            tx.commit();
        }
    }

    private static int value(Transaction tx, int id) {
        return (Integer) tx.get("t", id).get("v");
    }

    private static List<Integer> ids(Transaction tx) {
        List<Integer> out = new ArrayList<>();
        for (Row r : tx.scan("t")) {
            out.add((Integer) r.get("id"));
        }
        return out;
    }

    @Test
    void updatesWithoutOpenSnapshotsLeaveOneVersion() {
        for (int i = 1; i <= 100; i++) {
            setValue(1, i);
        }
        store.vacuum();
        assertEquals(1, store.versionCount(tableId));
        try (Transaction tx = store.begin(true)) {
            assertEquals(100, value(tx, 1));
        }
    }

    @Test
    void anOpenSnapshotKeepsTheVersionsItCanSee() {
        Transaction oldest = store.begin(true);
        assertEquals(0, value(oldest, 1));
        for (int i = 1; i <= 50; i++) {
            setValue(1, i);
        }
        Transaction middle = store.begin(true);
        assertEquals(50, value(middle, 1));
        for (int i = 51; i <= 100; i++) {
            setValue(1, i);
        }

        store.vacuum();
        // The version the oldest snapshot reads (v = 0) and every newer one.
        assertEquals(101, store.versionCount(tableId));
        assertEquals(0, value(oldest, 1), "vacuum removed a version an open snapshot reads");
        assertEquals(50, value(middle, 1));
        assertEquals(List.of(1), ids(oldest));

        oldest.close();
        store.vacuum();
        // Now the middle snapshot (v = 50) is the oldest: v = 50..100 remain.
        assertEquals(51, store.versionCount(tableId));
        assertEquals(50, value(middle, 1));
        try (Transaction tx = store.begin(true)) {
            assertEquals(100, value(tx, 1));
        }

        middle.close();
        store.vacuum();
        assertEquals(1, store.versionCount(tableId));
        try (Transaction tx = store.begin(true)) {
            assertEquals(100, value(tx, 1));
        }
    }

    @Test
    void deletedRowsDisappearOnceNoSnapshotSeesThem() {
        try (Transaction tx = store.begin()) {
            for (int id = 2; id <= 10; id++) {
                tx.insert("t", id, id);
            }
            tx.commit();
        }
        Transaction reader = store.begin(true);
        try (Transaction tx = store.begin()) {
            for (int id = 2; id <= 10; id += 2) {
                assertTrue(tx.delete("t", id));
            }
            tx.commit();
        }
        store.vacuum();
        // 10 live rows at the reader's snapshot; 5 of them now also carry a deletion on top.
        assertEquals(15, store.versionCount(tableId));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), ids(reader));
        assertEquals(10, reader.count("t"));
        assertEquals(4, value(reader, 4));

        reader.close();
        store.vacuum();
        assertEquals(5, store.versionCount(tableId));
        try (Transaction tx = store.begin()) {
            assertEquals(List.of(1, 3, 5, 7, 9), ids(tx));
            assertNull(tx.get("t", 4));
            // A reclaimed key can be inserted again.
            tx.insert("t", 4, 44);
            tx.commit();
        }
        try (Transaction tx = store.begin(true)) {
            assertEquals(44, value(tx, 4));
        }
        assertEquals(6, store.versionCount(tableId));
    }

    @Test
    void deletingEveryRowLeavesNoVersions() {
        setValue(1, 1);
        try (Transaction tx = store.begin()) {
            tx.insert("t", 2, 2);
            tx.commit();
        }
        try (Transaction tx = store.begin()) {
            for (Row r : tx.scan("t")) {
                assertTrue(tx.delete(r));
            }
            tx.commit();
        }
        store.vacuum();
        assertEquals(0, store.versionCount(tableId));
        try (Transaction tx = store.begin(true)) {
            assertEquals(0, tx.count("t"));
        }
    }

    @Test
    void rowsOfKeylessTablesAreReclaimedToo() {
        long keyless;
        try (Transaction tx = store.begin()) {
            keyless = tx.createTable(TableDef.builder("events").column("msg", DataType.TEXT).build()).id();
            for (int i = 0; i < 10; i++) {
                tx.insert("events", "e" + i);
            }
            tx.commit();
        }
        try (Transaction tx = store.begin()) {
            int i = 0;
            for (Row r : tx.scan("events")) {
                if (i++ % 2 == 0) {
                    assertTrue(tx.delete(r));
                } else {
                    assertTrue(tx.update(r, Map.of("msg", r.get("msg") + "!")));
                }
            }
            tx.commit();
        }
        store.vacuum();
        assertEquals(5, store.versionCount(keyless));
        try (Transaction tx = store.begin(true)) {
            List<Object> msgs = new ArrayList<>();
            tx.scan("events").forEachRemaining(r -> msgs.add(r.get("msg")));
            assertEquals(List.of("e1!", "e3!", "e5!", "e7!", "e9!"), msgs);
        }
    }

    @Test
    void rolledBackWritesLeaveNoVersions() {
        try (Transaction tx = store.begin()) {
            for (int id = 2; id <= 50; id++) {
                tx.insert("t", id, id);
            }
            assertTrue(tx.update("t", key(1), Map.of("v", 7)));
            tx.rollback();
        }
        assertEquals(1, store.versionCount(tableId));
    }

    @Test
    void backgroundMaintenanceReclaimsVersions() throws InterruptedException {
        store.close();
        store = RowStore.inMemory(RowStoreOptions.defaults().withMaintenanceInterval(Duration.ofMillis(10)));
        long id;
        try (Transaction tx = store.begin()) {
            id = tx.createTable(TableDef.builder("t").column("id", DataType.INTEGER).column("v", DataType.INTEGER)
                    .primaryKey("id").build()).id();
            tx.insert("t", 1, 0);
            tx.commit();
        }
        for (int i = 1; i <= 20; i++) {
            setValue(1, i);
        }
        // Commits prune as they go but leave the previous version; only vacuum takes the last step.
        // Wait (bounded) for the background thread rather than asserting how fast it is.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.versionCount(id) != 1 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, store.versionCount(id), "background maintenance never vacuumed");
    }
}
