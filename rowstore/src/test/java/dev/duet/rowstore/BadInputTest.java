package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.assertFails;
import static dev.duet.rowstore.RowStoreTestSupport.contents;
import static dev.duet.rowstore.RowStoreTestSupport.key;
import static dev.duet.rowstore.RowStoreTestSupport.scanAll;
import static dev.duet.rowstore.RowStoreTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input fails its statement with the right SQLSTATE, changes nothing (also
 * after reopening a file-backed database) and leaves the transaction usable, so that it can still
 * commit its other writes.
 */
class BadInputTest {
    enum Storage {
        MEMORY(null),
        FILE(RowStoreOptions.defaults().withFsync(false)),
        FILE_WAL_REPLAY(RowStoreOptions.defaults().withFsync(false).withCheckpointOnClose(false));

        final RowStoreOptions fileOptions;

        Storage(RowStoreOptions fileOptions) {
            this.fileOptions = fileOptions;
        }
    }

    /** A bad statement against the fixture tables. */
    interface BadStatement {
        void run(Transaction tx);
    }

    record Case(String name, SqlState expected, List<BadStatement> statements) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    Path dir;
    private Storage storage;
    private RowStore store;

    @AfterEach
    void close() {
        if (store != null) {
            assertEquals(0, store.openSnapshots());
            store.close();
        }
    }

    private void open() {
        store = storage == Storage.MEMORY
                ? RowStore.inMemory(RowStoreOptions.defaults())
                : RowStore.open(dir, storage.fileOptions);
    }

    private void reopen() {
        if (storage != Storage.MEMORY) {
            store.close();
            store = null;
            open();
        }
    }

    private void createFixture() {
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("items")
                    .column("id", DataType.INTEGER)
                    .notNullColumn("name", DataType.varchar(5))
                    .column("qty", DataType.SMALLINT)
                    .column("price", DataType.decimal(5, 2))
                    .column("note", DataType.TEXT)
                    .primaryKey("id")
                    .build());
            tx.createTable(TableDef.builder("log")
                    .notNullColumn("msg", DataType.TEXT)
                    .column("n", DataType.INTEGER)
                    .build());
            tx.insert("items", 1, "a", 1, new BigDecimal("1.00"), null);
            tx.insert("items", 2, "b", 2, new BigDecimal("2.50"), "x");
            tx.insert("items", 3, "c", 3, new BigDecimal("3.99"), "y");
            tx.insert("log", "m1", 1);
            tx.insert("log", "m2", 2);
            tx.commit();
        }
    }

    /** A map that keeps its order (the first change is applied before the bad one is seen) and admits null. */
    private static Map<String, Object> changes(Object... nameValue) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], nameValue[i + 1]);
        }
        return m;
    }

    static Stream<Arguments> cases() {
        List<Case> cases = List.of(
                new Case("wrong type", SqlState.DATATYPE_MISMATCH, List.of(
                        tx -> tx.insert("items", "7", "g", 1, null, null),
                        tx -> tx.insert("items", 7, "g", "1", null, null),
                        tx -> tx.insert("items", 7, "g", 1.5, null, null),
                        tx -> tx.insert("items", 7, 42, 1, null, null),
                        tx -> tx.insert("items", Map.of("id", 7, "name", "g", "price", "cheap")),
                        tx -> tx.update("items", key(1), changes("qty", 5, "price", "cheap")),
                        tx -> tx.update("items", key(1), changes("id", 9, "qty", "x")),
                        tx -> tx.insert("log", "m3", "3"),
                        tx -> tx.get("items", "1"))),
                new Case("NULL into NOT NULL", SqlState.NOT_NULL_VIOLATION, List.of(
                        tx -> tx.insert("items", 7, null, 1, null, null),
                        tx -> tx.insert("items", null, "g", 1, null, null),
                        tx -> tx.insert("items", Map.of("id", 7)),
                        tx -> tx.update("items", key(1), changes("qty", 5, "name", null)),
                        tx -> tx.update("items", key(1), changes("id", null)),
                        tx -> tx.update(tx.get("items", 2), changes("note", "z", "name", null)),
                        tx -> tx.insert("log", null, 3))),
                new Case("duplicate key", SqlState.UNIQUE_VIOLATION, List.of(
                        tx -> tx.insert("items", 2, "dup", 1, null, null),
                        tx -> tx.insert("items", Map.of("id", 3, "name", "dup")),
                        tx -> tx.update("items", key(1), changes("qty", 7, "id", 2)),
                        tx -> tx.update(tx.get("items", 1), changes("id", 3)))),
                new Case("oversized VARCHAR", SqlState.STRING_DATA_RIGHT_TRUNCATION, List.of(
                        tx -> tx.insert("items", 7, "toolong", 1, null, null),
                        tx -> tx.insert("items", Map.of("id", 7, "name", "abcdef")),
                        tx -> tx.update("items", key(1), changes("qty", 5, "name", "abcdef")))),
                new Case("number out of range", SqlState.NUMERIC_VALUE_OUT_OF_RANGE, List.of(
                        tx -> tx.insert("items", 7, "g", 40000, null, null),
                        tx -> tx.insert("items", 7, "g", -32769, null, null),
                        tx -> tx.update("items", key(1), changes("qty", 32768)),
                        tx -> tx.insert("items", 7, "g", 1, new BigDecimal("1000.00"), null),
                        tx -> tx.insert("items", 7, "g", 1, new BigDecimal("999.995"), null),
                        tx -> tx.insert("items", Map.of("id", 7, "name", "g", "price", 12345)),
                        tx -> tx.update("items", key(1), changes("qty", 5, "price", -1000)),
                        tx -> tx.insert("items", Long.MAX_VALUE, "g", 1, null, null))),
                new Case("unknown table", SqlState.UNDEFINED_TABLE, List.of(
                        tx -> tx.insert("nope", 1),
                        tx -> tx.insert("nope", Map.of("a", 1)),
                        tx -> tx.insert("other.items", 7, "g", 1, null, null),
                        tx -> tx.get("nope", 1),
                        tx -> tx.scan("nope"),
                        tx -> tx.count("nope"),
                        tx -> tx.update("nope", key(1), Map.of("a", 1)),
                        tx -> tx.delete("nope", 1),
                        tx -> tx.dropTable("nope"))),
                new Case("unknown column", SqlState.UNDEFINED_COLUMN, List.of(
                        tx -> tx.update("items", key(1), changes("qty", 5, "nope", 1)),
                        tx -> tx.update(tx.get("items", 1), changes("Name", "x")),
                        tx -> tx.insert("items", Map.of("id", 7, "name", "g", "nope", 1)),
                        tx -> tx.insert("log", Map.of("msg", "m3", "nope", 1)))),
                new Case("wrong number of values", SqlState.SYNTAX_ERROR, List.of(
                        tx -> tx.insert("items", 7, "g", 1, null),
                        tx -> tx.insert("items", 7, "g", 1, null, null, 1),
                        tx -> tx.insert("log", "m3"),
                        tx -> tx.get("items", 1, 2),
                        tx -> tx.get("items"),
                        tx -> tx.delete("items", 1, 2),
                        tx -> tx.update("items", key(1, 2), Map.of("qty", 1)),
                        tx -> tx.scan("items", KeyRange.prefix(1, 2)))),
                new Case("null key", SqlState.NULL_VALUE_NOT_ALLOWED, List.of(
                        tx -> tx.get("items", (Object) null),
                        tx -> tx.delete("items", (Object) null),
                        tx -> tx.update("items", new Object[] {null}, Map.of("qty", 1)),
                        tx -> tx.scan("items", KeyRange.atLeast((Object) null)))));
        List<Arguments> out = new ArrayList<>();
        for (Storage s : Storage.values()) {
            for (Case c : cases) {
                out.add(Arguments.of(s, c));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void badInputChangesNothing(Storage storage, Case c) {
        this.storage = storage;
        open();
        createFixture();
        Map<String, List<Row>> initial = contents(store);

        // Alone in a transaction: the statement fails, the transaction stays usable and commits nothing.
        for (int i = 0; i < c.statements().size(); i++) {
            BadStatement bad = c.statements().get(i);
            String which = c.name() + " #" + i;
            try (Transaction tx = store.begin()) {
                assertFails(c.expected(), () -> bad.run(tx));
                assertTrue(tx.isActive(), which + ": a failed statement must not end the transaction");
                assertEquals(3, tx.count("items"), which);
                tx.commit();
            }
            assertEquals(initial, contents(store), which + " changed the database");
        }
        reopen();
        assertEquals(initial, contents(store), c.name() + ": database changed after reopen");

        // Between good writes: those commit, the bad statements leave no trace.
        try (Transaction tx = store.begin()) {
            tx.insert("items", 100, "good", 10, new BigDecimal("10.50"), "before");
            assertTrue(tx.update("items", key(2), Map.of("qty", 20)));
            tx.insert("log", "m3", 3);
            for (int i = 0; i < c.statements().size(); i++) {
                BadStatement bad = c.statements().get(i);
                assertFails(c.expected(), () -> bad.run(tx));
                assertTrue(tx.isActive());
                assertNotNull(tx.get("items", 100), "own earlier write lost after a failed statement");
                assertEquals((short) 20, tx.get("items", 2).get("qty"));
            }
            tx.insert("items", 101, "after", null, null, null);
            tx.commit();
        }
        List<List<Object>> expectedItems = new ArrayList<>(List.of(
                Arrays.asList(1, "a", (short) 1, new BigDecimal("1.00"), null),
                Arrays.asList(2, "b", (short) 20, new BigDecimal("2.50"), "x"),
                Arrays.asList(3, "c", (short) 3, new BigDecimal("3.99"), "y"),
                Arrays.asList(100, "good", (short) 10, new BigDecimal("10.50"), "before"),
                Arrays.asList(101, "after", null, null, null)));
        List<List<Object>> expectedLog = List.of(Arrays.asList("m1", 1), Arrays.asList("m2", 2), Arrays.asList("m3", 3));
        assertEquals(expectedItems, values(scanAll(store, "items")));
        assertEquals(expectedLog, values(scanAll(store, "log")));
        Map<String, List<Row>> after = contents(store);
        reopen();
        assertEquals(after, contents(store), c.name() + ": committed writes changed after reopen");
        assertEquals(expectedItems, values(scanAll(store, "items")));
        assertEquals(expectedLog, values(scanAll(store, "log")));
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void failedCommitChangesNothing(Storage storage) {
        this.storage = storage;
        open();
        createFixture();
        Map<String, List<Row>> initial = contents(store);
        Transaction loser = store.begin();
        loser.insert("items", 50, "lose", 1, null, null);
        loser.insert("log", "lost", 0);
        assertTrue(loser.update("items", key(1), Map.of("qty", 99)));
        try (Transaction winner = store.begin()) {
            winner.insert("items", 50, "win", 2, null, null);
            winner.commit();
        }
        Map<String, List<Row>> afterWinner = contents(store);
        assertEquals(initial.size(), afterWinner.size());
        assertFails(SqlState.UNIQUE_VIOLATION, loser::commit);
        loser.close();
        assertEquals(afterWinner, contents(store));
        reopen();
        assertEquals(afterWinner, contents(store));
        List<Object> row50 = values(List.of(scanAll(store, "items").get(3))).get(0);
        assertEquals(Arrays.asList(50, "win", (short) 2, null, null), row50);
        assertEquals(List.of(Arrays.asList("m1", 1), Arrays.asList("m2", 2)), values(scanAll(store, "log")));
        assertEquals(Arrays.asList(1, "a", (short) 1, new BigDecimal("1.00"), null),
                values(List.of(scanAll(store, "items").get(0))).get(0));
    }
}
