package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.assertFails;
import static dev.duet.rowstore.RowStoreTestSupport.contents;
import static dev.duet.rowstore.RowStoreTestSupport.key;
import static dev.duet.rowstore.RowStoreTestSupport.rowId;
import static dev.duet.rowstore.RowStoreTestSupport.scanAll;
import static dev.duet.rowstore.RowStoreTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.SqlState;
import dev.duet.core.catalog.ColumnDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Schemas, table definitions (every type, NOT NULL, defaults, composite and hidden keys), drops
 * and rows survive close and reopen, whether the reopen loads a checkpoint or replays the WAL.
 */
class CatalogPersistenceTest {
    enum CloseMode {
        /** The default: close writes a checkpoint, reopen replays nothing. */
        CHECKPOINT_ON_CLOSE(RowStoreOptions.defaults().withFsync(false)),
        /** No checkpoint ever: reopen replays the whole WAL. */
        WAL_REPLAY(RowStoreOptions.defaults().withFsync(false).withCheckpointOnClose(false)),
        /** A checkpoint part-way through each test, none on close: reopen loads it and replays the rest. */
        CHECKPOINT_THEN_WAL(RowStoreOptions.defaults().withFsync(false).withCheckpointOnClose(false));

        final RowStoreOptions options;

        CloseMode(RowStoreOptions options) {
            this.options = options;
        }
    }

    @TempDir
    Path dir;
    private CloseMode mode;
    private RowStore store;

    @AfterEach
    void close() {
        if (store != null) {
            assertEquals(0, store.openSnapshots());
            store.close();
        }
    }

    private void open(CloseMode m) {
        mode = m;
        store = RowStore.open(dir, m.options);
    }

    /** Called between a test's first and second batch of changes. */
    private void midpoint() {
        if (mode == CloseMode.CHECKPOINT_THEN_WAL) {
            store.checkpoint();
        }
    }

    private void reopen() {
        store.close();
        store = null;
        boolean checkpointed = Files.exists(dir.resolve(Checkpointer.META));
        if (mode == CloseMode.WAL_REPLAY) {
            assertFalse(checkpointed, "no checkpoint may exist, or the WAL replay path is not tested");
        } else {
            assertTrue(checkpointed);
        }
        store = RowStore.open(dir, mode.options);
    }

    private static List<Object> valuesOf(Row r) {
        return r == null ? null : Arrays.asList(r.values());
    }

    // ------------------------------------------------------------------ every type

    private static final TableDef ALL_TYPES = TableDef.builder("s", "all_types")
            .column("b", DataType.BOOLEAN)
            .column("si", DataType.SMALLINT)
            .column("i", DataType.INTEGER)
            .column("bi", DataType.BIGINT)
            .column("r", DataType.REAL)
            .column("d", DataType.DOUBLE)
            .column("dec", DataType.decimal(12, 3))
            .column("vc", DataType.varchar(10))
            .column("tx", DataType.TEXT)
            .column("dt", DataType.DATE)
            .column("ts", DataType.TIMESTAMP)
            .column("by", DataType.BYTEA)
            .primaryKey("i")
            .build();

    @ParameterizedTest
    @EnumSource(CloseMode.class)
    void everyTypeSurvives(CloseMode m) {
        open(m);
        TableDef created;
        String longText = "x".repeat(10_000) + "\u00e9\u2713\uD83D\uDE00";
        try (Transaction tx = store.begin()) {
            tx.createSchema("s");
            created = tx.createTable(ALL_TYPES);
            tx.insert("s.all_types", true, (short) -32768, 1, Long.MIN_VALUE, 3.5f, Double.MAX_VALUE,
                    new BigDecimal("-123456789.123"), "h\u00e9llo \u2713", longText,
                    LocalDate.of(1, 1, 1), LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000),
                    new byte[] {0, -1, 127});
            tx.commit();
        }
        midpoint();
        try (Transaction tx = store.begin()) {
            tx.insert("s.all_types", false, Short.MAX_VALUE, -7, Long.MAX_VALUE, Float.NaN, Double.NEGATIVE_INFINITY,
                    new BigDecimal("0.001"), "", "\uD83D\uDE00", LocalDate.of(9999, 12, 31),
                    LocalDateTime.of(1900, 1, 1, 0, 0), new byte[0]);
            tx.insert("s.all_types", null, null, 0, null, null, null, null, null, null, null, null, null);
            tx.commit();
        }
        Map<String, List<Row>> before = contents(store);
        List<Row> rows = scanAll(store, "s.all_types");
        assertEquals(3, rows.size());

        reopen();
        assertEquals(before, contents(store));
        try (Transaction tx = store.begin(true)) {
            assertEquals(created, tx.table("s.all_types"), "table definition changed");
            Row r = tx.get("s.all_types", 1);
            assertEquals(rows.get(2), r);
            assertInstanceOf(Short.class, r.get("si"));
            assertInstanceOf(Float.class, r.get("r"));
            assertEquals(new BigDecimal("-123456789.123"), r.get("dec"));
            assertEquals(longText, r.get("tx"));
            assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000), r.get("ts"));
            assertArrayEquals(new byte[] {0, -1, 127}, (byte[]) r.get("by"));
            Row nulls = tx.get("s.all_types", 0);
            assertEquals(Arrays.asList(null, null, 0, null, null, null, null, null, null, null, null, null),
                    valuesOf(nulls));
            assertTrue(Float.isNaN((Float) tx.get("s.all_types", -7).get("r")));
        }

        try (Transaction tx = store.begin()) {
            tx.insert("s.all_types", true, (short) 1, 2, 2L, 2f, 2d, BigDecimal.ONE, "two", "two",
                    LocalDate.of(2000, 1, 1), LocalDateTime.of(2000, 1, 1, 1, 1), new byte[] {2});
            tx.commit();
        }
        Map<String, List<Row>> after = contents(store);
        reopen();
        assertEquals(after, contents(store));
        assertEquals(List.of(-7, 0, 1, 2), scanAll(store, "s.all_types").stream().map(r -> r.get("i")).toList());
    }

    // ------------------------------------------------------------------ schemas

    @ParameterizedTest
    @EnumSource(CloseMode.class)
    void schemasSurvive(CloseMode m) {
        open(m);
        try (Transaction tx = store.begin()) {
            tx.createSchema("analytics");
            tx.createSchema("tmp");
            tx.createTable(TableDef.builder("analytics", "events").column("a", DataType.INTEGER).primaryKey("a").build());
            tx.createTable(TableDef.builder("events").column("a", DataType.TEXT).primaryKey("a").build());
            tx.insert("analytics.events", 1);
            tx.insert("events", "public one");
            tx.commit();
        }
        midpoint();
        try (Transaction tx = store.begin()) {
            tx.createSchema("empty_schema");
            tx.dropSchema("tmp");
            tx.insert("analytics.events", 2);
            tx.commit();
        }
        reopen();
        try (Transaction tx = store.begin(true)) {
            assertEquals(Set.of("analytics", "empty_schema", "public"), tx.catalog().schemaNames());
            assertEquals(2, tx.count("analytics.events"));
            assertEquals(1, tx.count("events"));
            assertEquals(1, tx.count("public.events"));
            assertEquals("public one", tx.get("events", "public one").get("a"));
            assertTrue(tx.catalog().tables("empty_schema").isEmpty());
        }
        // The catalog still enforces what it did before the reopen.
        try (Transaction tx = store.begin()) {
            assertFails(SqlState.DUPLICATE_SCHEMA, () -> tx.createSchema("analytics"));
            assertFails(SqlState.INVALID_SCHEMA_NAME, () -> tx.createTable(
                    TableDef.builder("tmp", "t").column("a", DataType.INTEGER).build()));
            assertFails(SqlState.DUPLICATE_TABLE, () -> tx.createTable(
                    TableDef.builder("analytics", "events").column("a", DataType.INTEGER).build()));
            assertFails(SqlState.DEPENDENT_OBJECTS_STILL_EXIST, () -> tx.dropSchema("analytics"));
            tx.createSchema("tmp");
            tx.commit();
        }
        reopen();
        try (Transaction tx = store.begin(true)) {
            assertEquals(Set.of("analytics", "empty_schema", "public", "tmp"), tx.catalog().schemaNames());
        }
    }

    // ------------------------------------------------------------------ NOT NULL and defaults

    @ParameterizedTest
    @EnumSource(CloseMode.class)
    void notNullAndDefaultsSurvive(CloseMode m) {
        open(m);
        TableDef created;
        try (Transaction tx = store.begin()) {
            created = tx.createTable(TableDef.builder("orders")
                    .column("id", DataType.BIGINT)
                    .column(ColumnDef.notNull("status", DataType.varchar(10)).withDefault("new"))
                    .column(ColumnDef.of("qty", DataType.INTEGER).withDefault(1))
                    .column(ColumnDef.of("price", DataType.decimal(8, 2)).withDefault(new BigDecimal("9.99")))
                    .column(ColumnDef.of("day", DataType.DATE).withDefault(LocalDate.of(2024, 1, 1)))
                    .column(ColumnDef.of("at", DataType.TIMESTAMP).withDefault(LocalDateTime.of(2024, 1, 1, 12, 0)))
                    .column(ColumnDef.of("flag", DataType.BOOLEAN).withDefault(false))
                    .column(ColumnDef.of("ratio", DataType.DOUBLE).withDefault(0.5))
                    .column(ColumnDef.notNull("code", DataType.SMALLINT))
                    .column("note", DataType.TEXT)
                    .primaryKey("id")
                    .build());
            tx.insert("orders", Map.of("id", 1L, "code", 1));
            tx.commit();
        }
        List<Object> defaultsRow = Arrays.asList(1L, "new", 1, new BigDecimal("9.99"), LocalDate.of(2024, 1, 1),
                LocalDateTime.of(2024, 1, 1, 12, 0), false, 0.5, (short) 1, null);
        assertEquals(defaultsRow, valuesOf(getCommitted("orders", 1L)));
        midpoint();

        reopen();
        try (Transaction tx = store.begin()) {
            TableDef t = tx.table("orders");
            assertEquals(created, t);
            assertTrue(t.column(t.requireColumn("status")).notNull());
            assertTrue(t.column(t.requireColumn("id")).notNull(), "key columns are NOT NULL");
            assertFalse(t.column(t.requireColumn("note")).notNull());
            assertEquals(new BigDecimal("9.99"), t.column(t.requireColumn("price")).defaultValue());
            assertNull(t.column(t.requireColumn("note")).defaultValue());

            tx.insert("orders", Map.of("id", 2L, "code", 2));
            tx.insert("orders", Map.of("id", 3L, "code", 3, "status", "paid", "qty", 5, "note", "n"));
            assertFails(SqlState.NOT_NULL_VIOLATION, () -> tx.insert("orders", Map.of("id", 4L)));
            Map<String, Object> nullStatus = new java.util.HashMap<>();
            nullStatus.put("id", 4L);
            nullStatus.put("code", 4);
            nullStatus.put("status", null);
            assertFails(SqlState.NOT_NULL_VIOLATION, () -> tx.insert("orders", nullStatus));
            assertFails(SqlState.NOT_NULL_VIOLATION, () -> tx.insert("orders", 4L, "x", 1, null, null, null, null, null, null, null));
            assertFails(SqlState.STRING_DATA_RIGHT_TRUNCATION,
                    () -> tx.insert("orders", Map.of("id", 4L, "code", 4, "status", "much too long")));
            tx.commit();
        }
        assertEquals(Arrays.asList(2L, "new", 1, new BigDecimal("9.99"), LocalDate.of(2024, 1, 1),
                LocalDateTime.of(2024, 1, 1, 12, 0), false, 0.5, (short) 2, null), valuesOf(getCommitted("orders", 2L)));
        assertEquals(Arrays.asList(3L, "paid", 5, new BigDecimal("9.99"), LocalDate.of(2024, 1, 1),
                LocalDateTime.of(2024, 1, 1, 12, 0), false, 0.5, (short) 3, "n"), valuesOf(getCommitted("orders", 3L)));
        Map<String, List<Row>> before = contents(store);
        reopen();
        assertEquals(before, contents(store));
        assertEquals(defaultsRow, valuesOf(getCommitted("orders", 1L)));
        assertNull(getCommitted("orders", 4L));
    }

    private Row getCommitted(String table, Object... key) {
        try (Transaction tx = store.begin(true)) {
            return tx.get(table, key);
        }
    }

    // ------------------------------------------------------------------ composite keys

    private static final int[] YEARS = {2023, 2024, 2025};
    private static final long[] IDS = {-5, 1, 10, 11, 200};

    private static List<String> keysOf(RowCursor cursor) {
        List<String> out = new ArrayList<>();
        for (Row r : cursor) {
            out.add(r.get("year") + "/" + r.get("id"));
        }
        return out;
    }

    private static List<String> keys(int year, long... ids) {
        List<String> out = new ArrayList<>();
        for (long id : ids) {
            out.add(year + "/" + id);
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @ParameterizedTest
    @EnumSource(CloseMode.class)
    void compositeKeysAndRangeScansSurvive(CloseMode m) {
        open(m);
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("sales")
                    .column("year", DataType.INTEGER)
                    .column("id", DataType.BIGINT)
                    .column("amount", DataType.decimal(10, 2))
                    .primaryKey("year", "id")
                    .build());
            tx.commit();
        }
        // Inserted out of key order, across the midpoint, so order comes from the key and not from history.
        for (int pass = 0; pass < 2; pass++) {
            try (Transaction tx = store.begin()) {
                for (int y = YEARS.length - 1; y >= 0; y--) {
                    for (int i = IDS.length - 1; i >= 0; i--) {
                        if ((i + y) % 2 == pass) {
                            tx.insert("sales", YEARS[y], IDS[i], BigDecimal.valueOf(IDS[i] * 100 + YEARS[y], 2));
                        }
                    }
                }
                tx.commit();
            }
            if (pass == 0) {
                midpoint();
            }
        }
        reopen();
        List<String> y2023 = keys(2023, IDS);
        List<String> y2024 = keys(2024, IDS);
        List<String> y2025 = keys(2025, IDS);
        try (Transaction tx = store.begin(true)) {
            assertEquals(concat(concat(y2023, y2024), y2025), keysOf(tx.scan("sales")));
            assertEquals(y2024, keysOf(tx.scan("sales", KeyRange.prefix(2024))));
            assertEquals(keys(2024, 10), keysOf(tx.scan("sales", KeyRange.prefix(2024, 10L))));
            assertEquals(keys(2024, 10, 11, 200),
                    keysOf(tx.scan("sales", KeyRange.between(key(2024, 10L), true, key(2025), false))));
            assertEquals(concat(keys(2024, 11, 200), y2025),
                    keysOf(tx.scan("sales", KeyRange.between(key(2024, 10L), false, key(2025), true))));
            assertEquals(concat(y2024, keys(2025, -5, 1)),
                    keysOf(tx.scan("sales", KeyRange.between(key(2024), true, key(2025, 1L), true))));
            assertEquals(y2025, keysOf(tx.scan("sales", KeyRange.atLeast(2025))));
            assertEquals(y2023, keysOf(tx.scan("sales", KeyRange.lessThan(2024))));
            assertEquals(List.of(), keysOf(tx.scan("sales", KeyRange.prefix(2026))));
            assertEquals(BigDecimal.valueOf(10 * 100 + 2024, 2), tx.get("sales", 2024, 10L).get("amount"));
            assertNull(tx.get("sales", 2024, 12L));
        }

        try (Transaction tx = store.begin()) {
            assertTrue(tx.delete("sales", 2024, 10L));
            tx.insert("sales", 2024, 12L, BigDecimal.ONE);
            assertTrue(tx.update("sales", key(2024, 1L), Map.of("id", 13L)));
            assertTrue(tx.update("sales", key(2025, 200L), Map.of("amount", BigDecimal.TEN)));
            assertEquals(keys(2024, -5, 11, 12, 13, 200), keysOf(tx.scan("sales", KeyRange.prefix(2024))));
            tx.commit();
        }
        Map<String, List<Row>> before = contents(store);
        reopen();
        assertEquals(before, contents(store));
        try (Transaction tx = store.begin(true)) {
            assertEquals(keys(2024, -5, 11, 12, 13, 200), keysOf(tx.scan("sales", KeyRange.prefix(2024))));
            assertEquals(keys(2024, 11, 12),
                    keysOf(tx.scan("sales", KeyRange.between(key(2024, 10L), true, key(2024, 13L), false))));
            assertEquals(new BigDecimal("10.00"), tx.get("sales", 2025, 200L).get("amount"));
            assertEquals(BigDecimal.valueOf(1 * 100 + 2024, 2), tx.get("sales", 2024, 13L).get("amount"));
        }
    }

    // ------------------------------------------------------------------ tables without a primary key

    @ParameterizedTest
    @EnumSource(CloseMode.class)
    void keylessTablesSurviveAndNeverReuseRowIds(CloseMode m) {
        open(m);
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("log").column("msg", DataType.TEXT).column("n", DataType.INTEGER).build());
            for (int i = 0; i < 5; i++) {
                tx.insert("log", "m" + i, i);
            }
            tx.commit();
        }
        long maxIssued;
        try (Transaction tx = store.begin()) {
            List<Row> rows = tx.scan("log").toList();
            maxIssued = rowId(rows.get(4));
            assertTrue(tx.update(rows.get(1), Map.of("msg", "m1*")));
            assertTrue(tx.delete(rows.get(4)), "delete the row with the highest row id");
            assertTrue(tx.update(rows.get(3), Map.of("n", 33)));
            tx.commit();
        }
        midpoint();
        try (Transaction tx = store.begin()) {
            assertTrue(tx.delete(tx.scan("log").toList().get(3)));
            tx.commit();
        }
        List<List<Object>> expected = List.of(Arrays.asList("m0", 0), Arrays.asList("m1*", 1), Arrays.asList("m2", 2));
        assertEquals(expected, values(scanAll(store, "log")));

        reopen();
        assertEquals(expected, values(scanAll(store, "log")));
        try (Transaction tx = store.begin()) {
            assertFails(SqlState.FEATURE_NOT_SUPPORTED, () -> tx.get("log", 1L));
            List<Row> rows = tx.scan("log").toList();
            assertTrue(tx.delete(rows.get(0)));
            assertTrue(tx.update(rows.get(2), Map.of("msg", "m2*")));
            tx.insert("log", "new", 9);
            tx.commit();
        }
        List<Row> rows = scanAll(store, "log");
        assertEquals(List.of(Arrays.asList("m1*", 1), Arrays.asList("m2*", 2), Arrays.asList("new", 9)), values(rows));
        assertTrue(rowId(rows.get(2)) > maxIssued,
                "row id " + rowId(rows.get(2)) + " of a new row reuses an id already issued (max " + maxIssued + ")");

        Map<String, List<Row>> before = contents(store);
        reopen();
        assertEquals(before, contents(store));
    }

    @ParameterizedTest
    @EnumSource(CloseMode.class)
    void rowIdsAreNotReusedAfterEveryRowWasDeleted(CloseMode m) {
        open(m);
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("q").column("job", DataType.TEXT).build());
            tx.insert("q", "a");
            tx.insert("q", "b");
            tx.commit();
        }
        long maxIssued;
        try (Transaction tx = store.begin()) {
            List<Row> rows = tx.scan("q").toList();
            maxIssued = rowId(rows.get(1));
            for (Row r : rows) {
                assertTrue(tx.delete(r));
            }
            tx.commit();
        }
        midpoint();
        reopen();
        try (Transaction tx = store.begin()) {
            assertEquals(0, tx.count("q"));
            tx.insert("q", "c");
            tx.commit();
        }
        Row c = scanAll(store, "q").get(0);
        assertTrue(rowId(c) > maxIssued, "row id " + rowId(c) + " reuses an id already issued (max " + maxIssued + ")");
    }

    // ------------------------------------------------------------------ drop table

    @ParameterizedTest
    @EnumSource(CloseMode.class)
    void droppedTablesStayDropped(CloseMode m) {
        open(m);
        TableDef a;
        TableDef b;
        TableDef c;
        try (Transaction tx = store.begin()) {
            a = tx.createTable(TableDef.builder("a").column("k", DataType.INTEGER).primaryKey("k").build());
            b = tx.createTable(TableDef.builder("b").column("k", DataType.INTEGER).primaryKey("k").build());
            c = tx.createTable(TableDef.builder("c").column("k", DataType.INTEGER).build());
            for (int i = 0; i < 3; i++) {
                tx.insert("a", i);
                tx.insert("b", i);
                tx.insert("c", i);
            }
            tx.commit();
        }
        try (Transaction tx = store.begin()) {
            tx.dropTable("b");
            tx.commit();
        }
        midpoint();
        TableDef b2;
        try (Transaction tx = store.begin()) {
            tx.dropTable("c"); // the table with the highest id
            b2 = tx.createTable(TableDef.builder("b").column("k", DataType.TEXT).column("v", DataType.INTEGER)
                    .primaryKey("k").build());
            tx.insert("b", "new", 1);
            tx.commit();
        }
        // A table created and dropped in one transaction leaves nothing behind.
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("ephemeral").column("k", DataType.INTEGER).build());
            tx.insert("ephemeral", 1);
            tx.dropTable("ephemeral");
            tx.commit();
        }
        assertTrue(b2.id() > c.id());
        Map<String, List<Row>> before = contents(store);

        reopen();
        assertEquals(before, contents(store));
        try (Transaction tx = store.begin()) {
            assertEquals(3, tx.count("a"));
            assertEquals(a, tx.table("a"));
            assertEquals(b2, tx.table("b"), "the new table b replaced the dropped one");
            assertEquals(List.of(Arrays.asList("new", 1)), values(tx.scan("b").toList()));
            assertFails(SqlState.UNDEFINED_TABLE, () -> tx.count("c"));
            assertFails(SqlState.UNDEFINED_TABLE, () -> tx.count("ephemeral"));
            assertEquals(List.of(a.id(), b2.id()), tx.catalog().tables().stream().map(TableDef::id).toList());
            // Ids are never reused, even of the dropped table that had the highest one.
            TableDef d = tx.createTable(TableDef.builder("d").column("k", DataType.INTEGER).build());
            assertTrue(d.id() > b2.id() + 1, "table id " + d.id() + " reused (ephemeral had " + (b2.id() + 1) + ")");
            tx.insert("d", 1);
            tx.dropTable("a");
            tx.commit();
        }
        assertEquals(0, store.versionCount(b.id()));
        assertEquals(0, store.versionCount(c.id()));

        Map<String, List<Row>> after = contents(store);
        reopen();
        assertEquals(after, contents(store));
        try (Transaction tx = store.begin(true)) {
            assertFails(SqlState.UNDEFINED_TABLE, () -> tx.count("a"));
            assertEquals(1, tx.count("d"));
            assertNotNull(tx.catalog().findTable("public", "b"));
        }
        assertEquals(0, store.versionCount(a.id()));
    }
}
