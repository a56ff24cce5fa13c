package dev.duet.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.rowstore.KeyRange;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuetBasicsTest {
    @TempDir
    Path dir;

    private static TableDef accounts() {
        return TableDef.builder("accounts")
                .column("id", DataType.BIGINT)
                .column("owner", DataType.varchar(10))
                .column("balance", DataType.decimal(12, 2))
                .primaryKey("id")
                .build();
    }

    @Test
    void insertGetUpdateDeleteScan() {
        try (Duet db = Duet.inMemory()) {
            db.createTable(accounts());
            db.insert("accounts", 1L, "alice", 10);
            db.insert("accounts", 2L, "bob", 20.5);
            db.insert("accounts", 3L, "carol", null);
            Row r = db.get("accounts", 2L);
            assertEquals("bob", r.get("owner"));
            assertEquals(new java.math.BigDecimal("20.50"), r.get("balance"));
            assertTrue(db.update("accounts", new Object[] {2L}, Map.of("balance", 25)));
            assertEquals(new java.math.BigDecimal("25.00"), db.get("accounts", 2L).get("balance"));
            assertTrue(db.delete("accounts", 1L));
            assertFalse(db.delete("accounts", 1L));
            assertNull(db.get("accounts", 1L));
            List<Row> all = db.scan("accounts");
            assertEquals(2, all.size());
            assertEquals(2L, all.get(0).get("id"));
            assertEquals(1, db.scan("accounts", KeyRange.atLeast(3L)).size());
            assertEquals(0, db.rowStore().openSnapshots());
        }
    }

    @Test
    void errorsCarrySqlStates() {
        try (Duet db = Duet.inMemory()) {
            db.createTable(accounts());
            db.insert("accounts", 1L, "alice", 10);
            assertState(SqlState.UNIQUE_VIOLATION, () -> db.insert("accounts", 1L, "again", 1));
            assertState(SqlState.NOT_NULL_VIOLATION, () -> db.insert("accounts", null, "x", 1));
            assertState(SqlState.STRING_DATA_RIGHT_TRUNCATION, () -> db.insert("accounts", 5L, "much too long", 1));
            assertState(SqlState.DATATYPE_MISMATCH, () -> db.insert("accounts", "x", "a", 1));
            assertState(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> db.insert("accounts", 6L, "a", new java.math.BigDecimal("1e12")));
            assertState(SqlState.UNDEFINED_TABLE, () -> db.insert("nope", 1L));
            assertState(SqlState.UNDEFINED_COLUMN, () -> db.update("accounts", new Object[] {1L}, Map.of("nope", 1)));
            assertState(SqlState.DUPLICATE_TABLE, () -> db.createTable(accounts()));
            assertEquals(1, db.scan("accounts").size());
            assertEquals("alice", db.get("accounts", 1L).get("owner"));
        }
    }

    @Test
    void statementErrorLeavesTransactionUsable() {
        try (Duet db = Duet.inMemory()) {
            db.createTable(accounts());
            try (Transaction tx = db.begin()) {
                tx.insert("accounts", 1L, "a", 1);
                assertState(SqlState.UNIQUE_VIOLATION, () -> tx.insert("accounts", 1L, "b", 2));
                tx.insert("accounts", 2L, "b", 2);
                tx.commit();
            }
            assertEquals(2, db.scan("accounts").size());
        }
    }

    @Test
    void survivesReopenWithAndWithoutCheckpoint() {
        try (Duet db = Duet.open(dir)) {
            db.createTable(accounts());
            db.createTable(TableDef.builder("log").column("msg", DataType.TEXT).build());
            for (long i = 0; i < 100; i++) {
                db.insert("accounts", i, "o" + i, i);
                db.insert("log", "m" + i);
            }
            db.delete("accounts", 5L);
        }
        try (Duet db = Duet.open(dir)) {
            assertEquals(99, db.scan("accounts").size());
            assertEquals(100, db.scan("log").size());
            db.insert("log", "after");
            db.update("accounts", new Object[] {7L}, Map.of("owner", "seven"));
        }
        try (Duet db = Duet.open(dir, DuetConfig.defaults().withRowStore(
                dev.duet.rowstore.RowStoreOptions.defaults().withCheckpointOnClose(false)))) {
            assertEquals(101, db.scan("log").size());
            assertEquals("seven", db.get("accounts", 7L).get("owner"));
            db.insert("log", "no checkpoint");
        }
        try (Duet db = Duet.open(dir)) {
            assertEquals(102, db.scan("log").size());
        }
    }

    @Test
    void secondOpenOfDirectoryFails() {
        try (Duet db = Duet.open(dir)) {
            DuetException e = assertThrows(DuetException.class, () -> Duet.open(dir));
            assertEquals(SqlState.OBJECT_IN_USE, e.state());
            assertTrue(e.getMessage().contains(dir.toString()));
        }
        Duet.open(dir).close();
    }

    static void assertState(SqlState state, Runnable r) {
        DuetException e = assertThrows(DuetException.class, r::run);
        assertEquals(state, e.state(), e.getMessage());
    }
}
