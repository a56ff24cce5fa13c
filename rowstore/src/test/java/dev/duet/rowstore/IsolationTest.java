package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.assertFails;
import static dev.duet.rowstore.RowStoreTestSupport.contents;
import static dev.duet.rowstore.RowStoreTestSupport.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshot isolation as the javadoc of {@link Transaction} promises it: no dirty reads, no
 * non-repeatable reads, no phantoms, no lost updates (first committer wins), own writes visible,
 * write skew allowed, and catalog changes isolated the same way.
 */
class IsolationTest {
    private RowStore store;

    @BeforeEach
    void open() {
        store = RowStore.inMemory(RowStoreOptions.defaults());
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("acct")
                    .column("id", DataType.BIGINT)
                    .notNullColumn("balance", DataType.BIGINT)
                    .primaryKey("id")
                    .build());
            tx.insert("acct", 1L, 100L);
            tx.insert("acct", 2L, 200L);
            tx.insert("acct", 3L, 300L);
            tx.commit();
        }
    }

    @AfterEach
    void close() {
        assertEquals(0, store.openSnapshots(), "a test left a transaction open");
        store.close();
    }

    /** Reads and writes by table id see and make the same rows as by name, under the same isolation. */
    @Test
    void readsAndWritesByTableIdBehaveAsByName() {
        long id;
        try (Transaction a = store.begin(); Transaction b = store.begin()) {
            id = a.table("acct").id();
            assertEquals(a.get("acct", 1L), a.get(id, 1L));
            assertNull(a.get(id, 9L));
            a.insert(id, 4L, 400L);
            assertTrue(a.update(id, key(1L), Map.of("balance", 110L)));
            assertFalse(a.update(id, key(9L), Map.of("balance", 1L)));
            assertTrue(a.delete(id, 2L));
            assertFalse(a.delete(id, 2L));
            assertEquals(400L, a.get(id, 4L).get("balance"));
            assertEquals(110L, a.get(id, 1L).get("balance"));
            assertNull(a.get(id, 2L), "own delete");
            assertNull(b.get(id, 4L), "no dirty read");
            assertEquals(200L, b.get(id, 2L).get("balance"));
            assertFails(SqlState.UNIQUE_VIOLATION, () -> a.insert(id, 3L, 1L));
            assertFails(SqlState.UNDEFINED_TABLE, () -> a.get(id + 1000, 1L));
            a.commit();
            assertEquals(100L, b.get(id, 1L).get("balance"), "b's snapshot");
            assertFails(SqlState.SERIALIZATION_FAILURE, () -> b.update(id, key(1L), Map.of("balance", 0L)));
        }
        try (Transaction c = store.begin(true)) {
            assertEquals(List.of(1L, 3L, 4L), ids(c.scan("acct")));
        }
    }

    private static long balance(Transaction tx, long id) {
        Row r = tx.get("acct", id);
        assertNotNull(r, "account " + id + " is missing");
        return (Long) r.get("balance");
    }

    private static List<Long> ids(RowCursor cursor) {
        List<Long> out = new ArrayList<>();
        for (Row r : cursor) {
            out.add((Long) r.get("id"));
        }
        return out;
    }

    private static List<Long> balances(RowCursor cursor) {
        List<Long> out = new ArrayList<>();
        for (Row r : cursor) {
            out.add((Long) r.get("balance"));
        }
        return out;
    }

    private long committedBalance(long id) {
        try (Transaction tx = store.begin(true)) {
            return balance(tx, id);
        }
    }

    // ------------------------------------------------------------------ lost updates

    @Test
    void lostUpdateIsPreventedAtCommit() {
        Transaction t1 = store.begin();
        Transaction t2 = store.begin();
        long seen1 = balance(t1, 1);
        long seen2 = balance(t2, 1);
        assertTrue(t1.update("acct", key(1L), Map.of("balance", seen1 + 10)));
        assertTrue(t2.update("acct", key(1L), Map.of("balance", seen2 + 20)));
        t1.commit();
        assertFails(SqlState.SERIALIZATION_FAILURE, t2::commit);
        assertFalse(t2.isActive(), "a failed commit rolls back");
        t2.close();

        assertEquals(110L, committedBalance(1), "only the first committer's write is applied");
    }

    @Test
    void lostUpdateIsPreventedEarlyAtUpdateAndDelete() {
        Transaction t1 = store.begin();
        Transaction t2 = store.begin();
        long seen2 = balance(t2, 1);
        assertTrue(t1.update("acct", key(1L), Map.of("balance", balance(t1, 1) + 10)));
        assertTrue(t1.update("acct", key(2L), Map.of("balance", 0L)));
        t1.commit();

        // t2 still reads its snapshot, but writing a row changed after it fails at once.
        assertEquals(100L, balance(t2, 1));
        assertFails(SqlState.SERIALIZATION_FAILURE, () -> t2.update("acct", key(1L), Map.of("balance", seen2 + 20)));
        assertFails(SqlState.SERIALIZATION_FAILURE, () -> t2.delete("acct", 2L));
        Row stale = t2.get("acct", 1L);
        assertFails(SqlState.SERIALIZATION_FAILURE, () -> t2.update(stale, Map.of("balance", 0L)));
        assertFails(SqlState.SERIALIZATION_FAILURE, () -> t2.delete(stale));
        // The failed statements changed nothing; the transaction can still commit other work.
        assertTrue(t2.isActive());
        assertTrue(t2.update("acct", key(3L), Map.of("balance", 333L)));
        t2.commit();

        try (Transaction r = store.begin(true)) {
            assertEquals(110L, balance(r, 1));
            assertEquals(0L, balance(r, 2));
            assertEquals(333L, balance(r, 3));
        }
    }

    @Test
    void deleteAgainstConcurrentUpdateFailsForTheSecondCommitter() {
        Transaction t1 = store.begin();
        Transaction t2 = store.begin();
        assertTrue(t1.delete("acct", 1L));
        assertTrue(t2.update("acct", key(1L), Map.of("balance", 1L)));
        t1.commit();
        assertFails(SqlState.SERIALIZATION_FAILURE, t2::commit);
        t2.close();
        try (Transaction r = store.begin(true)) {
            assertNull(r.get("acct", 1L));
        }
    }

    // ------------------------------------------------------------------ dirty reads

    @Test
    void uncommittedWritesAreInvisibleToOthers() {
        Transaction reader1 = store.begin(true);
        Transaction writer = store.begin();
        writer.insert("acct", 4L, 400L);
        writer.insert("acct", 0L, 0L);
        assertTrue(writer.update("acct", key(2L), Map.of("balance", 999L)));
        assertTrue(writer.delete("acct", 3L));
        Transaction reader2 = store.begin();

        for (Transaction r : List.of(reader1, reader2)) {
            assertNull(r.get("acct", 4L));
            assertNull(r.get("acct", 0L));
            assertEquals(200L, balance(r, 2));
            assertEquals(300L, balance(r, 3));
            assertEquals(List.of(1L, 2L, 3L), ids(r.scan("acct")));
            assertEquals(List.of(100L, 200L, 300L), balances(r.scan("acct")));
            assertEquals(List.of(2L, 3L), ids(r.scan("acct", KeyRange.atLeast(2L))));
            assertEquals(3, r.count("acct"));
        }
        writer.rollback();
        reader1.close();
        reader2.close();
        try (Transaction r = store.begin(true)) {
            assertEquals(List.of(100L, 200L, 300L), balances(r.scan("acct")));
        }
    }

    // ------------------------------------------------------------------ repeatable reads, phantoms

    @Test
    void readsAreRepeatableAndWithoutPhantoms() {
        Transaction reader = store.begin();
        assertEquals(3, reader.count("acct"));
        assertEquals(100L, balance(reader, 1));

        try (Transaction w = store.begin()) {
            w.insert("acct", 4L, 400L);
            w.insert("acct", 0L, 5L);
            assertTrue(w.update("acct", key(1L), Map.of("balance", 111L)));
            assertTrue(w.delete("acct", 2L));
            w.commit();
        }

        assertEquals(100L, balance(reader, 1), "non-repeatable read");
        assertEquals(200L, balance(reader, 2), "a row deleted after the snapshot must stay visible");
        assertNull(reader.get("acct", 4L), "phantom row through get");
        assertNull(reader.get("acct", 0L), "phantom row through get");
        assertEquals(List.of(1L, 2L, 3L), ids(reader.scan("acct")), "phantom through scan");
        assertEquals(List.of(100L, 200L, 300L), balances(reader.scan("acct")));
        assertEquals(List.of(2L, 3L), ids(reader.scan("acct", KeyRange.atLeast(2L))));
        assertEquals(List.of(1L), ids(reader.scan("acct", KeyRange.lessThan(2L))));
        assertEquals(List.of(1L, 2L, 3L), ids(reader.scan("acct", KeyRange.between(key(0L), true, key(4L), true))));
        assertEquals(3, reader.count("acct"), "phantom through count");
        reader.commit();

        try (Transaction fresh = store.begin(true)) {
            assertEquals(List.of(0L, 1L, 3L, 4L), ids(fresh.scan("acct")));
            assertEquals(111L, balance(fresh, 1));
            assertNull(fresh.get("acct", 2L));
            assertEquals(4, fresh.count("acct"));
        }
    }

    // ------------------------------------------------------------------ own writes

    @Test
    void transactionSeesItsOwnWritesMergedInKeyOrder() {
        try (Transaction tx = store.begin()) {
            tx.insert("acct", 5L, 500L);
            tx.insert("acct", 0L, 0L);
            tx.insert("acct", 4L, 400L);
            assertTrue(tx.update("acct", key(2L), Map.of("balance", 222L)));
            assertTrue(tx.delete("acct", 3L));
            assertTrue(tx.update("acct", key(5L), Map.of("balance", 555L)), "update of a row inserted here");
            assertTrue(tx.delete("acct", 4L), "delete of a row inserted here");
            assertFalse(tx.delete("acct", 3L), "already deleted here");
            assertFalse(tx.update("acct", key(3L), Map.of("balance", 1L)), "already deleted here");

            assertEquals(222L, balance(tx, 2));
            assertNull(tx.get("acct", 3L));
            assertNull(tx.get("acct", 4L));
            assertEquals(555L, balance(tx, 5));
            assertEquals(List.of(0L, 1L, 2L, 5L), ids(tx.scan("acct")));
            assertEquals(List.of(0L, 100L, 222L, 555L), balances(tx.scan("acct")));
            assertEquals(List.of(1L, 2L), ids(tx.scan("acct", KeyRange.between(key(1L), true, key(5L), false))));
            assertEquals(List.of(2L, 5L), ids(tx.scan("acct", KeyRange.between(key(1L), false, key(5L), true))));
            assertEquals(List.of(5L), ids(tx.scan("acct", KeyRange.prefix(5L))));
            assertEquals(4, tx.count("acct"));

            try (Transaction other = store.begin(true)) {
                assertEquals(List.of(1L, 2L, 3L), ids(other.scan("acct")));
            }
            tx.commit();
        }
        try (Transaction r = store.begin(true)) {
            assertEquals(List.of(0L, 1L, 2L, 5L), ids(r.scan("acct")));
            assertEquals(List.of(0L, 100L, 222L, 555L), balances(r.scan("acct")));
        }
    }

    @Test
    void transactionCanDeleteAndReinsertTheSameKey() {
        try (Transaction tx = store.begin()) {
            assertTrue(tx.delete("acct", 1L));
            assertNull(tx.get("acct", 1L));
            // The key no longer exists as this transaction sees it (PostgreSQL accepts this too).
            tx.insert("acct", 1L, 101L);
            assertEquals(101L, balance(tx, 1));
            tx.commit();
        }
        assertEquals(101L, committedBalance(1));
    }

    @Test
    void transactionCanMoveAKeyAwayAndBack() {
        try (Transaction tx = store.begin()) {
            assertTrue(tx.update("acct", key(1L), Map.of("id", 10L)));
            assertNull(tx.get("acct", 1L));
            assertEquals(100L, balance(tx, 10));
            // Key 1 is free again in this transaction's view: moving the row back must work.
            assertTrue(tx.update("acct", key(10L), Map.of("id", 1L)));
            tx.commit();
        }
        try (Transaction r = store.begin(true)) {
            assertEquals(List.of(1L, 2L, 3L), ids(r.scan("acct")));
            assertEquals(100L, balance(r, 1));
        }
    }

    // ------------------------------------------------------------------ read-only transactions

    @Test
    void readOnlyTransactionsNeverFailBecauseOfWritersAndRejectWrites() {
        Transaction ro = store.begin(true);
        assertTrue(ro.isReadOnly());
        assertEquals(100L, balance(ro, 1));
        for (int i = 0; i < 20; i++) {
            try (Transaction w = store.begin()) {
                assertTrue(w.update("acct", key(1L), Map.of("balance", 1000L + i)));
                w.insert("acct", 10L + i, (long) i);
                w.commit();
            }
        }
        try (Transaction w = store.begin()) {
            w.dropTable("acct");
            w.commit();
        }
        assertEquals(100L, balance(ro, 1));
        assertEquals(3, ro.count("acct"));

        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.insert("acct", 99L, 1L));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.insert("acct", Map.of("id", 99L, "balance", 1L)));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.update("acct", key(2L), Map.of("balance", 1L)));
        Row r2 = ro.get("acct", 2L);
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.update(r2, Map.of("balance", 1L)));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.delete("acct", 2L));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.delete(r2));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.createSchema("s"));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.createTable(
                TableDef.builder("x").column("a", DataType.INTEGER).build()));
        assertFails(SqlState.READ_ONLY_SQL_TRANSACTION, () -> ro.dropTable("acct"));

        assertTrue(ro.isActive());
        assertEquals(List.of(100L, 200L, 300L), balances(ro.scan("acct")));
        ro.commit();
    }

    // ------------------------------------------------------------------ write skew

    @Test
    void writeSkewIsAllowed() {
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("doctors")
                    .column("name", DataType.TEXT)
                    .notNullColumn("on_call", DataType.BOOLEAN)
                    .primaryKey("name")
                    .build());
            tx.insert("doctors", "alice", true);
            tx.insert("doctors", "bob", true);
            tx.commit();
        }
        Transaction alice = store.begin();
        Transaction bob = store.begin();
        // Each checks that someone else stays on call, then leaves; they write different rows.
        assertEquals(2, onCall(alice));
        assertEquals(2, onCall(bob));
        assertTrue(alice.update("doctors", key("alice"), Map.of("on_call", false)));
        assertTrue(bob.update("doctors", key("bob"), Map.of("on_call", false)));
        // Duet gives snapshot isolation, not serializability: disjoint write sets never conflict,
        // so both commits succeed and the invariant "someone is on call" breaks. A serializable
        // database would fail one of them; this test pins the documented behaviour.
        alice.commit();
        bob.commit();
        try (Transaction r = store.begin(true)) {
            assertEquals(0, onCall(r));
        }
    }

    private static int onCall(Transaction tx) {
        int n = 0;
        for (Row r : tx.scan("doctors")) {
            if ((Boolean) r.get("on_call")) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ duplicate keys

    @Test
    void concurrentInsertOfTheSameKeyFailsTheSecondAtCommit() {
        Transaction t1 = store.begin();
        Transaction t2 = store.begin();
        t1.insert("acct", 7L, 1L);
        t2.insert("acct", 7L, 2L);
        t2.insert("acct", 8L, 2L);
        t1.commit();
        assertFails(SqlState.UNIQUE_VIOLATION, t2::commit);
        assertFalse(t2.isActive());
        t2.close();
        try (Transaction r = store.begin(true)) {
            assertEquals(1L, balance(r, 7));
            assertNull(r.get("acct", 8L), "nothing of the failed commit is applied");
        }
    }

    @Test
    void insertOfAKeyCommittedAfterTheSnapshotFailsAtInsert() {
        Transaction t2 = store.begin();
        try (Transaction t1 = store.begin()) {
            t1.insert("acct", 7L, 1L);
            t1.commit();
        }
        assertNull(t2.get("acct", 7L), "t2 cannot see the row");
        assertFails(SqlState.UNIQUE_VIOLATION, () -> t2.insert("acct", 7L, 2L));
        assertFails(SqlState.UNIQUE_VIOLATION, () -> t2.insert("acct", Map.of("id", 7L, "balance", 2L)));
        assertFails(SqlState.UNIQUE_VIOLATION, () -> t2.update("acct", key(3L), Map.of("id", 7L)));
        assertTrue(t2.isActive());
        t2.insert("acct", 8L, 8L);
        t2.commit();
        try (Transaction r = store.begin(true)) {
            assertEquals(1L, balance(r, 7));
            assertEquals(8L, balance(r, 8));
            assertEquals(300L, balance(r, 3));
        }
    }

    // ------------------------------------------------------------------ ending transactions

    @Test
    void rollbackDiscardsEverything() {
        var before = contents(store);
        Transaction tx = store.begin();
        tx.createSchema("s");
        tx.createTable(TableDef.builder("s", "t").column("a", DataType.INTEGER).build());
        tx.insert("s.t", 1);
        tx.insert("acct", 4L, 400L);
        assertTrue(tx.update("acct", key(1L), Map.of("balance", 0L)));
        assertTrue(tx.delete("acct", 2L));
        tx.dropTable("acct");
        tx.rollback();
        assertFalse(tx.isActive());
        assertEquals(before, contents(store));

        // close() without commit rolls back too.
        try (Transaction t = store.begin()) {
            t.insert("acct", 5L, 500L);
            t.createTable(TableDef.builder("u").column("a", DataType.INTEGER).build());
        }
        assertEquals(before, contents(store));
        try (Transaction r = store.begin(true)) {
            assertFails(SqlState.UNDEFINED_TABLE, () -> r.count("u"));
            assertFails(SqlState.UNDEFINED_TABLE, () -> r.count("s.t"));
            assertFalse(r.catalog().hasSchema("s"));
        }
    }

    @Test
    void endedTransactionsRejectUse() {
        Transaction committed = store.begin();
        committed.insert("acct", 4L, 4L);
        committed.commit();
        Transaction rolledBack = store.begin();
        rolledBack.insert("acct", 5L, 5L);
        rolledBack.rollback();
        Transaction t1 = store.begin();
        Transaction conflicted = store.begin();
        t1.update("acct", key(1L), Map.of("balance", 1L));
        conflicted.update("acct", key(1L), Map.of("balance", 2L));
        t1.commit();
        assertFails(SqlState.SERIALIZATION_FAILURE, conflicted::commit);

        for (Transaction tx : List.of(committed, rolledBack, conflicted)) {
            assertFalse(tx.isActive());
            assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> tx.get("acct", 1L));
            assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> tx.scan("acct"));
            assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> tx.count("acct"));
            assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> tx.insert("acct", 9L, 9L));
            assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> tx.update("acct", key(1L), Map.of("balance", 9L)));
            assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> tx.delete("acct", 1L));
            assertFails(SqlState.INVALID_TRANSACTION_STATE, () -> tx.createSchema("s"));
            assertFails(SqlState.INVALID_TRANSACTION_STATE, tx::commit);
            assertFails(SqlState.INVALID_TRANSACTION_STATE, tx::rollback);
            tx.close(); // closing an ended transaction is a no-op
        }
        try (Transaction r = store.begin(true)) {
            assertEquals(List.of(1L, 2L, 3L, 4L), ids(r.scan("acct")));
            assertEquals(1L, balance(r, 1));
        }
    }

    // ------------------------------------------------------------------ catalog changes

    @Test
    void concurrentDdlFailsTheSecondCommitter() {
        Transaction t1 = store.begin();
        Transaction t2 = store.begin();
        TableDef a = t1.createTable(TableDef.builder("a").column("x", DataType.INTEGER).build());
        t1.insert("a", 1);
        t2.createTable(TableDef.builder("b").column("x", DataType.INTEGER).build());
        t2.insert("b", 2);
        t2.insert("acct", 9L, 9L);
        t1.commit();
        assertFails(SqlState.SERIALIZATION_FAILURE, t2::commit);
        t2.close();
        try (Transaction r = store.begin(true)) {
            assertEquals(1, r.count("a"));
            assertEquals(a, r.table("a"));
            assertFails(SqlState.UNDEFINED_TABLE, () -> r.count("b"));
            assertNull(r.get("acct", 9L), "the DML of the failed DDL transaction is not applied");
        }

        // After the conflict, a retry at a new snapshot succeeds.
        try (Transaction retry = store.begin()) {
            retry.createTable(TableDef.builder("b").column("x", DataType.INTEGER).build());
            retry.insert("b", 2);
            retry.commit();
        }
        try (Transaction r = store.begin(true)) {
            assertEquals(1, r.count("b"));
            assertEquals(1, r.count("a"));
        }
    }

    @Test
    void aTableCreatedConcurrentlyDoesNotLeakIntoAnotherNewTable() {
        Transaction t1 = store.begin();
        Transaction t2 = store.begin();
        TableDef a = t1.createTable(TableDef.builder("a").column("k", DataType.INTEGER).primaryKey("k").build());
        TableDef b = t2.createTable(TableDef.builder("b").column("k", DataType.INTEGER).primaryKey("k").build());
        t1.insert("a", 1);
        t1.commit();
        // Both new tables were given the same id at the same snapshot; t2's table b is still empty
        // and private to t2, so inserting key 1 into it is no duplicate. Its commit then fails
        // with 40001 (concurrent DDL), which tells the client to retry.
        assertEquals(a.id(), b.id(), "precondition of this scenario: concurrent creates share an id");
        t2.insert("b", 1);
        assertEquals(1, t2.count("b"));
        assertFails(SqlState.SERIALIZATION_FAILURE, t2::commit);
        t2.close();
    }

    @Test
    void writingToATableDroppedConcurrentlyFails() {
        Transaction writerBefore = store.begin();
        Transaction writerAfter = store.begin();
        assertTrue(writerBefore.update("acct", key(1L), Map.of("balance", 5L)));
        writerBefore.insert("acct", 4L, 4L);
        try (Transaction dropper = store.begin()) {
            dropper.dropTable("acct");
            dropper.commit();
        }
        // Written before the drop committed, and after: both still see the table at their snapshot.
        writerAfter.insert("acct", 5L, 5L);
        assertFails(SqlState.SERIALIZATION_FAILURE, writerBefore::commit);
        assertFails(SqlState.SERIALIZATION_FAILURE, writerAfter::commit);
        try (Transaction r = store.begin(true)) {
            assertFails(SqlState.UNDEFINED_TABLE, () -> r.count("acct"));
            assertTrue(r.catalog().tables().isEmpty());
        }
    }

    @Test
    void anOldSnapshotStillReadsADroppedTable() {
        long tableId;
        Transaction old = store.begin(true);
        tableId = old.table("acct").id();
        try (Transaction dropper = store.begin()) {
            dropper.dropTable("acct");
            dropper.commit();
        }
        store.vacuum();
        try (Transaction fresh = store.begin(true)) {
            assertFails(SqlState.UNDEFINED_TABLE, () -> fresh.get("acct", 1L));
        }
        assertEquals(100L, balance(old, 1));
        assertEquals(List.of(1L, 2L, 3L), ids(old.scan("acct")));
        assertEquals(List.of(2L, 3L), ids(old.scan("acct", KeyRange.atLeast(2L))));
        assertEquals(3, old.count("acct"));
        assertEquals(3, store.versionCount(tableId), "storage kept while a snapshot can read it");
        old.close();

        store.vacuum();
        assertEquals(0, store.versionCount(tableId), "storage of a dropped table is reclaimed");
    }
}
