package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.assertFails;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.catalog.ViewDef;
import dev.duet.core.types.DataType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secondary indexes in the row store: lookups, maintenance by insert/update/delete in the writing
 * transaction, snapshot visibility of entries, unique enforcement (also across concurrent
 * transactions), rebuild on reopen; views as catalog objects; multi-range primary-key reads.
 */
class SecondaryIndexTest {
    @TempDir
    Path dir;
    private RowStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private RowStore open(boolean checkpointOnClose) {
        store = RowStore.open(dir, RowStoreOptions.defaults().withFsync(false).withCheckpointOnClose(checkpointOnClose));
        return store;
    }

    private void reopen(boolean checkpointOnClose) {
        store.close();
        open(checkpointOnClose);
    }

    /** t(id bigint pk, b text, c integer) with 10 rows: b = 'b' + id % 3, c = id (c null for id 10). */
    private TableDef createTable() {
        TableDef t;
        try (Transaction tx = store.begin()) {
            t = tx.createTable(TableDef.builder("t").column("id", DataType.BIGINT).column("b", DataType.TEXT)
                    .column("c", DataType.INTEGER).primaryKey("id").build());
            for (long i = 1; i <= 10; i++) {
                tx.insert("t", i, "b" + i % 3, i == 10 ? null : (int) i);
            }
            tx.commit();
        }
        return t;
    }

    private IndexDef createIndex(String name, boolean unique, String... columns) {
        try (Transaction tx = store.begin()) {
            IndexDef i = tx.createIndex(IndexDef.on(tx.table("t"), name, unique, columns));
            tx.commit();
            return i;
        }
    }

    /** The ids of the rows index {@code name} finds for {@code b = value} in {@code tx}. */
    private static List<Long> lookup(Transaction tx, String name, Object... values) {
        TableDef t = tx.table("t");
        List<Long> ids = new ArrayList<>();
        for (EncodedRows it = tx.indexScan(t, tx.findIndex(name), List.of(KeyRange.prefix(values))); it.next(); ) {
            ids.add((Long) t.rowCodec().decode(it.row())[0]);
        }
        return ids;
    }

    private List<Long> lookup(String name, Object... values) {
        try (Transaction tx = store.begin(true)) {
            return lookup(tx, name, values);
        }
    }

    @Test
    void lookupsFollowWritesAndSnapshots() {
        open(true);
        createTable();
        createIndex("t_b", false, "b");
        assertEquals(List.of(3L, 6L, 9L), lookup("t_b", "b0"));
        assertEquals(List.of(), lookup("t_b", "nope"));

        Transaction old = store.begin(true);
        try (Transaction tx = store.begin()) {
            tx.update("t", new Object[] {3L}, Map.of("b", "b1"));
            tx.delete("t", 6L);
            tx.insert("t", 12L, "b0", 12);
            // own writes: the new row is found; the changed row is a candidate the caller filters
            assertEquals(List.of(12L), lookup(tx, "t_b", "b0").stream().filter(id -> id != 3 && id != 9).toList());
            assertEquals(List.of(1L, 3L, 4L, 7L, 10L), lookup(tx, "t_b", "b1"));
            tx.commit();
        }
        assertEquals(List.of(9L, 12L), lookup("t_b", "b0"));
        assertEquals(List.of(1L, 3L, 4L, 7L, 10L), lookup("t_b", "b1"));
        // a snapshot from before the change still sees the entries of its rows
        assertEquals(List.of(3L, 6L, 9L), lookup(old, "t_b", "b0"));
        old.close();
        store.vacuum();
        assertEquals(List.of(9L, 12L), lookup("t_b", "b0"));
    }

    @Test
    void uniqueIndexesRejectDuplicatesButNotNulls() {
        open(true);
        createTable();
        try (Transaction tx = store.begin()) {
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.createIndex(IndexDef.on(tx.table("t"), "t_b", true, "b")));
        }
        createIndex("t_c", true, "c");
        try (Transaction tx = store.begin()) {
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.insert("t", 20L, "x", 5));
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.update("t", new Object[] {1L}, Map.of("c", 2)));
            tx.insert("t", 20L, "x", null); // NULLs are distinct
            tx.insert("t", 21L, "x", null);
            tx.delete("t", 5L);
            tx.insert("t", 22L, "x", 5); // 5 was freed by this transaction
            tx.update("t", new Object[] {1L}, Map.of("c", 100));
            tx.update("t", new Object[] {2L}, Map.of("c", 1)); // 1 was freed by the update before
            tx.commit();
        }
        assertEquals(List.of(22L), lookup("t_c", 5));
        assertEquals(List.of(2L), lookup("t_c", 1));

        // two transactions insert the same value: the second to commit fails
        Transaction a = store.begin();
        Transaction b = store.begin();
        a.insert("t", 30L, "x", 300);
        b.insert("t", 31L, "x", 300);
        a.commit();
        assertFails(SqlState.UNIQUE_VIOLATION, b::commit);
        try (Transaction tx = store.begin()) {
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.insert("t", 32L, "x", 300));
        }
        assertEquals(List.of(30L), lookup("t_c", 300));
    }

    @Test
    void aWriterThatMissedANewIndexFailsAndDdlIsTransactional() {
        open(true);
        createTable();
        Transaction writer = store.begin();
        writer.insert("t", 50L, "b0", 50);
        createIndex("t_b", false, "b");
        assertFails(SqlState.SERIALIZATION_FAILURE, writer::commit);

        try (Transaction tx = store.begin()) {
            IndexDef c = tx.createIndex(IndexDef.on(tx.table("t"), "t_c", true, "c"));
            tx.insert("t", 60L, "b0", 60);
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.insert("t", 61L, "b0", 60));
            assertNotNull(tx.findIndex("t_c"));
            assertEquals(c, tx.findIndex("public.t_c"));
            tx.rollback();
        }
        try (Transaction tx = store.begin()) {
            assertNull(tx.findIndex("t_c"));
            assertFails(SqlState.UNDEFINED_OBJECT, () -> tx.dropIndex("t_c"));
            tx.dropIndex("t_b");
            tx.commit();
        }
        try (Transaction tx = store.begin()) {
            assertNull(tx.findIndex("t_b"));
        }
    }

    @Test
    void anIndexCreatedInTheSameTransactionFindsOnlyMatchingRows() {
        open(true);
        createTable();
        try (Transaction tx = store.begin()) {
            tx.insert("t", 11L, "b2", 11);
            tx.createIndex(IndexDef.on(tx.table("t"), "t_b", false, "b"));
            tx.update("t", new Object[] {2L}, Map.of("b", "b0"));
            assertEquals(List.of(2L, 3L, 6L, 9L), lookup(tx, "t_b", "b0"));
            assertEquals(List.of(5L, 8L, 11L), lookup(tx, "t_b", "b2"));
            assertEquals(List.of(5L, 8L, 11L), tx.scanIndex("t_b", KeyRange.prefix("b2")).toList().stream()
                    .map(r -> (Long) r.get("id")).toList());
            tx.commit();
        }
        assertEquals(List.of(2L, 3L, 6L, 9L), lookup("t_b", "b0"));
        assertEquals(List.of(5L, 8L, 11L), lookup("t_b", "b2"));
    }

    /**
     * Every row of t is found through {@code index} (on {@code column}) under its value, and the
     * index holds nothing else: per value a lookup equals a scan, and a full index read has one
     * entry per row (rows with NULL values have entries too).
     */
    private void assertIndexMatchesScan(String index, String column) {
        try (Transaction tx = store.begin(true)) {
            Map<Object, List<Long>> scanned = new LinkedHashMap<>();
            List<Row> rows = tx.scan("t").toList();
            for (Row r : rows) {
                if (r.get(column) != null) {
                    scanned.computeIfAbsent(r.get(column), v -> new ArrayList<>()).add((Long) r.get("id"));
                }
            }
            for (Map.Entry<Object, List<Long>> e : scanned.entrySet()) {
                assertEquals(e.getValue(), lookup(tx, index, e.getKey()), index + " at " + e.getKey());
            }
            int entries = 0;
            for (EncodedRows it = tx.indexScan(tx.table("t"), tx.findIndex(index), List.of(KeyRange.all())); it.next(); ) {
                entries++;
            }
            assertEquals(rows.size(), entries, index + " entries");
        }
    }

    @Test
    void rollingBackToASavepointTakesBackIndexEntriesAndUniqueChecks() {
        open(true);
        createTable();
        createIndex("t_b", false, "b");
        createIndex("t_c", true, "c");
        try (Transaction tx = store.begin()) {
            tx.insert("t", 11L, "b2", 11);
            tx.update("t", new Object[] {3L}, Map.of("b", "b1"));
            Transaction.Savepoint sp = tx.savepoint();
            // a statement that writes index entries, then fails
            tx.insert("t", 12L, "b0", 12);
            tx.delete("t", 9L);
            tx.update("t", new Object[] {1L}, Map.of("c", 100, "b", "b9"));
            tx.update("t", new Object[] {11L}, Map.of("id", 111L));
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.insert("t", 13L, "b0", 12));
            tx.rollbackTo(sp);
            tx.release(sp);
            // the values the failed statement took are free again
            tx.insert("t", 14L, "b0", 12);
            tx.insert("t", 15L, "b0", 100);
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.insert("t", 16L, "b0", 9)); // row 9 is back
            tx.commit();
        }
        assertIndexMatchesScan("t_b", "b");
        assertIndexMatchesScan("t_c", "c");
        assertEquals(List.of(9L), lookup("t_c", 9));
        assertEquals(List.of(), lookup("t_b", "b9"));

        // a value taken back leaves no unique check for commit behind
        Transaction a = store.begin();
        Transaction.Savepoint sp = a.savepoint();
        a.insert("t", 40L, "x", 400);
        a.rollbackTo(sp);
        a.insert("t", 41L, "x", 401);
        try (Transaction b = store.begin()) {
            b.insert("t", 42L, "x", 400);
            b.commit();
        }
        a.commit();
        assertEquals(List.of(42L), lookup("t_c", 400));
        assertEquals(List.of(41L), lookup("t_c", 401));
        assertIndexMatchesScan("t_c", "c");
    }

    @Test
    void rollingBackToASavepointTakesBackIndexDdl() {
        open(true);
        createTable();
        createIndex("t_b", false, "b");
        try (Transaction tx = store.begin()) {
            tx.insert("t", 11L, "b2", 11);
            Transaction.Savepoint sp = tx.savepoint();
            tx.dropIndex("t_b");
            tx.createIndex(IndexDef.on(tx.table("t"), "t_x", true, "c"));
            tx.insert("t", 12L, "b0", 12);
            tx.createView(new ViewDef("public", "v", "SELECT id FROM t",
                    List.of(new ColumnDef("id", DataType.BIGINT, true, null)), List.of("public.t")), false);
            tx.rollbackTo(sp);
            assertNull(tx.findIndex("t_x"));
            assertNull(tx.findView("v"));
            assertNotNull(tx.findIndex("t_b"));
            // the index id handed out to t_x goes to an index over another column now
            tx.createIndex(IndexDef.on(tx.table("t"), "t_y", false, "c"));
            tx.insert("t", 13L, "b1", 11);
            tx.update("t", new Object[] {2L}, Map.of("b", "b1"));
            tx.release(sp);
            tx.commit();
        }
        assertIndexMatchesScan("t_b", "b");
        assertIndexMatchesScan("t_y", "c");
        assertEquals(List.of(11L, 13L), lookup("t_y", 11));
        try (Transaction tx = store.begin(true)) {
            assertNull(tx.findIndex("t_x"));
        }
    }

    @Test
    void rollingBackADropTableRestoresItsIndexWrites() {
        open(true);
        createTable();
        createIndex("t_b", false, "b");
        createIndex("t_c", true, "c");
        try (Transaction tx = store.begin()) {
            Transaction.Savepoint outer = tx.savepoint();
            tx.insert("t", 11L, "b2", 11);
            tx.update("t", new Object[] {4L}, Map.of("b", "b0", "c", 44));
            tx.delete("t", 5L);
            Transaction.Savepoint sp = tx.savepoint();
            tx.dropTable("t");
            tx.rollbackTo(sp);
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.insert("t", 12L, "b0", 44));
            tx.insert("t", 12L, "b0", 5); // freed by the delete before the savepoint
            tx.release(outer);
            tx.commit();
        }
        assertIndexMatchesScan("t_b", "b");
        assertIndexMatchesScan("t_c", "c");
        assertEquals(List.of(3L, 4L, 6L, 9L, 12L), lookup("t_b", "b0"));
        assertEquals(List.of(2L, 8L, 11L), lookup("t_b", "b2"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void indexesAndViewsSurviveReopen(boolean checkpointOnClose) {
        open(checkpointOnClose);
        createTable();
        createIndex("t_b", false, "b");
        createIndex("t_c", true, "c");
        try (Transaction tx = store.begin()) {
            tx.createView(new ViewDef("public", "v", "SELECT id FROM t", List.of(ColumnDef.notNull("id", DataType.BIGINT)), List.of("public.t")), false);
            tx.update("t", new Object[] {3L}, Map.of("b", "b1"));
            tx.commit();
        }
        if (!checkpointOnClose) {
            store.checkpoint(); // half the history in the checkpoint, the rest in the WAL
        }
        try (Transaction tx = store.begin()) {
            tx.insert("t", 11L, "b0", 11);
            tx.dropIndex("t_b");
            tx.createIndex(IndexDef.on(tx.table("t"), "t_b2", false, "b", "c"));
            tx.commit();
        }
        reopen(checkpointOnClose);
        assertEquals(List.of(6L, 9L, 11L), lookup("t_b2", "b0"));
        assertEquals(List.of(9L), lookup("t_b2", "b0", 9));
        assertEquals(List.of(11L), lookup("t_c", 11));
        try (Transaction tx = store.begin()) {
            assertNull(tx.findIndex("t_b"));
            assertEquals("SELECT id FROM t", tx.findView("v").query());
            assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.insert("t", 12L, "x", 11));
            assertFails(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, () -> tx.dropTable("t"));
            tx.dropView("v");
            assertFails(SqlState.UNDEFINED_TABLE, () -> tx.dropView("v"));
            tx.dropTable("t");
            tx.commit();
        }
        reopen(checkpointOnClose);
        try (Transaction tx = store.begin()) {
            assertNull(tx.findIndex("t_c"));
            assertNull(tx.findView("v"));
            assertEquals(0, tx.catalog().indexes().size());
        }
    }

    @Test
    void keyRangeListsReadEachRowOnceInKeyOrder() {
        store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false));
        createTable();
        try (Transaction tx = store.begin()) {
            tx.insert("t", 40L, "own", 1);
            tx.delete("t", 2L);
            TableDef t = tx.table("t");
            List<KeyRange> ranges = List.of(KeyRange.prefix(7L), KeyRange.prefix(2L), KeyRange.prefix(7L),
                    KeyRange.prefix(40L), KeyRange.between(new Object[] {3L}, true, new Object[] {5L}, false),
                    KeyRange.between(new Object[] {4L}, false, new Object[] {8L}, true), KeyRange.prefix(99L),
                    KeyRange.between(new Object[] {9L}, false, new Object[] {9L}, false));
            List<Long> ids = new ArrayList<>();
            for (EncodedRows it = tx.encodedScan(t, ranges); it.next(); ) {
                ids.add((Long) t.rowCodec().decode(it.row())[0]);
            }
            assertEquals(List.of(3L, 4L, 5L, 6L, 7L, 8L, 40L), ids);
            ids.clear();
            for (EncodedRows it = tx.encodedScan(t, List.of(KeyRange.lessThan(3L),
                    KeyRange.lessThan(2L), KeyRange.atLeast(10L))); it.next(); ) {
                ids.add((Long) t.rowCodec().decode(it.row())[0]);
            }
            assertEquals(List.of(1L, 10L, 40L), ids);
        }
    }
}
