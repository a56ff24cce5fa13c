package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.assertFails;
import static dev.duet.rowstore.RowStoreTestSupport.contents;
import static dev.duet.rowstore.RowStoreTestSupport.scanAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duet.core.SqlState;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk load path ({@link Appender}): rows appended value by value or whole become one commit
 * per flush, read back exactly as {@link Transaction#insert} would have stored them, survive a
 * restart (the WAL's INSERT_RUN record is replayed), and every failure leaves nothing of its chunk
 * and the appender usable.
 */
class AppenderTest {
    @TempDir
    Path dir;

    private static TableDef everyType() {
        return TableDef.builder("t")
                .column("id", DataType.BIGINT)
                .column("b", DataType.BOOLEAN)
                .column("s", DataType.SMALLINT)
                .column("i", DataType.INTEGER)
                .column("r", DataType.REAL)
                .column("d", DataType.DOUBLE)
                .column("m", DataType.decimal(12, 2))
                .column("w", DataType.decimal(30, 4))
                .column("v", DataType.varchar(8))
                .column("day", DataType.DATE)
                .column("at", DataType.TIMESTAMP)
                .column("bin", DataType.BYTEA)
                .notNullColumn("nn", DataType.INTEGER)
                .primaryKey("id")
                .build();
    }

    /** Row {@code id} of {@link #everyType()}: every column NULL on some rows (but the NOT NULL one). */
    private static Object[] row(long id) {
        boolean nulls = id % 5 == 0;
        return new Object[] {
            id,
            nulls ? null : id % 2 == 0,
            nulls ? null : (short) (id % 300 - 150),
            nulls ? null : (int) (id * 7919 % 100_000) - 50_000,
            nulls ? null : (float) id / 3,
            nulls ? null : id * 1.25 - 1e6,
            nulls ? null : BigDecimal.valueOf(id * 1234 - 999_999, 2),
            nulls ? null : new BigDecimal("123456789012345678901234.5678").add(BigDecimal.valueOf(id)),
            nulls ? null : "v" + (id % 1000) + (id % 7 == 0 ? "é" : ""),
            nulls ? null : LocalDate.of(1995, 1, 1).plusDays(id % 4000),
            nulls ? null : LocalDateTime.of(2020, 2, 29, 12, 0).plusSeconds(id * 37).plusNanos(id % 1000 * 1000),
            nulls ? null : new byte[] {(byte) id, 0, (byte) (id >> 8)},
            (int) id,
        };
    }

    @Test
    void appendedRowsEqualInsertedRowsAndSurviveRestart() {
        Path a = dir.resolve("appended");
        Path b = dir.resolve("inserted");
        int n = 2_345;
        try (RowStore store = RowStore.open(a, RowStoreOptions.defaults())) {
            create(store, everyType());
            try (Appender app = store.appender("t", 1000)) {
                for (long id = n; id >= 1; id--) { // descending keys: the chunk's duplicate check sorts
                    app.appendRow(row(id));
                }
                assertEquals(2000, app.flushedRows(), "two automatic flushes");
                assertEquals(345, app.pendingRows());
            }
            try (RowStore other = RowStore.open(b, RowStoreOptions.defaults())) {
                create(other, everyType());
                try (Transaction tx = other.begin()) {
                    for (long id = 1; id <= n; id++) {
                        tx.insert("t", row(id));
                    }
                    tx.commit();
                }
                assertEquals(values(other), values(store));
            }
        }
        List<List<Object>> before;
        try (RowStore other = RowStore.open(b, RowStoreOptions.defaults())) {
            before = values(other);
        }
        // reopened without a checkpoint: the WAL's runs are replayed
        RowStoreOptions noCheckpoint = RowStoreOptions.defaults().withCheckpointOnClose(false);
        Path c = dir.resolve("replayed");
        try (RowStore store = RowStore.open(c, noCheckpoint)) {
            create(store, everyType());
            try (Appender app = store.appender("public.t", 700)) {
                for (long id = 1; id <= n; id++) {
                    app.appendRow(row(id));
                }
            }
        }
        try (RowStore store = RowStore.open(c, noCheckpoint)) {
            assertEquals(before, values(store));
            try (Transaction tx = store.begin()) {
                assertFails(SqlState.UNIQUE_VIOLATION, () -> tx.insert("t", row(5)));
            }
        }
    }

    @Test
    void typedAppendsStoreCanonicalValues() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults())) {
            create(store, everyType());
            try (Appender app = store.appender("t", 10)) {
                app.appendLong(1).appendBoolean(true).appendInt(-3).appendInt(42).appendDouble(1.5).appendDouble(2.5)
                        .appendDecimal(new BigDecimal("3.1")).appendLong(7).appendString("abc")
                        .appendDate(LocalDate.of(2000, 1, 2)).appendTimestamp(LocalDateTime.of(2001, 2, 3, 4, 5, 6))
                        .appendBytes(new byte[] {1, 2}).appendString("12");
                app.endRow();
                app.appendLong(2);
                for (int c = 1; c < 12; c++) {
                    app.appendNull();
                }
                app.appendInt(0);
                app.endRow();
            }
            List<Row> rows = scanAll(store, "t");
            assertEquals(2, rows.size());
            Object[] first = rows.get(0).values();
            assertEquals(1L, first[0]);
            assertEquals(true, first[1]);
            assertEquals((short) -3, first[2]);
            assertEquals(42, first[3]);
            assertEquals(1.5f, first[4]);
            assertEquals(2.5, first[5]);
            assertEquals(0, new BigDecimal("3.10").compareTo((BigDecimal) first[6]));
            assertEquals(0, new BigDecimal("7").compareTo((BigDecimal) first[7]));
            assertEquals("abc", first[8]);
            assertEquals(LocalDate.of(2000, 1, 2), first[9]);
            assertEquals(LocalDateTime.of(2001, 2, 3, 4, 5, 6), first[10]);
            assertArrayEquals(new byte[] {1, 2}, (byte[]) first[11]);
            assertEquals(12, first[12]);
            Object[] second = rows.get(1).values();
            for (int c = 1; c < 12; c++) {
                assertNull(second[c], "column " + c);
            }
        }
    }

    @Test
    void badValuesFailTheirRowOnly() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults())) {
            create(store, everyType());
            try (Appender app = store.appender("t", 100)) {
                app.appendRow(row(1));
                assertFails(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, () -> app.appendLong(2).appendBoolean(true).appendLong(1 << 20));
                assertFails(SqlState.STRING_DATA_RIGHT_TRUNCATION, () -> app.appendLong(2).appendNull().appendNull().appendNull()
                        .appendNull().appendNull().appendNull().appendNull().appendString("much too long"));
                assertFails(SqlState.INVALID_TEXT_REPRESENTATION, () -> app.appendLong(2).appendNull().appendString("not a number"));
                assertFails(SqlState.DATATYPE_MISMATCH, () -> app.appendLong(2).appendDate(LocalDate.of(2000, 1, 1)));
                assertFails(SqlState.NOT_NULL_VIOLATION, () -> {
                    Object[] r = row(2);
                    r[12] = null;
                    app.appendRow(r);
                });
                assertFails(SqlState.SYNTAX_ERROR, () -> app.appendLong(2).endRow());
                assertFails(SqlState.SYNTAX_ERROR, () -> app.appendRow(1L, 2L));
                assertEquals(1, app.pendingRows(), "only the failed rows were dropped");
                app.appendRow(row(2));
            }
            assertEquals(2, scanAll(store, "t").size());
        }
    }

    @Test
    void failedFlushCommitsNothingOfItsChunkAndKeepsTheAppender() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults())) {
            create(store, everyType());
            try (Transaction tx = store.begin()) {
                tx.insert("t", row(50));
                tx.commit();
            }
            try (Appender app = store.appender("t", 1000)) {
                for (long id = 1; id <= 60; id++) {
                    app.appendRow(row(id)); // 50 is taken
                }
                assertFails(SqlState.UNIQUE_VIOLATION, app::flush);
                assertEquals(1, scanAll(store, "t").size(), "nothing of the failed chunk");
                assertEquals(0, app.pendingRows(), "the failed chunk is discarded");
                app.appendRow(row(7));
                app.appendRow(row(3));
                app.appendRow(row(7)); // twice in one chunk
                assertFails(SqlState.UNIQUE_VIOLATION, app::flush);
                assertEquals(1, scanAll(store, "t").size());
                app.appendRow(row(7));
                app.flush();
            }
            assertEquals(List.of(7L, 50L), scanAll(store, "t").stream().map(r -> r.get(0)).toList());
        }
    }

    @Test
    void snapshotsSeeAllOfAFlushOrNone() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults())) {
            create(store, everyType());
            try (Transaction before = store.begin(true); Appender app = store.appender("t", 1_000_000)) {
                for (long id = 1; id <= 500; id++) {
                    app.appendRow(row(id));
                }
                assertEquals(0, scanAll(store, "t").size(), "not flushed: not there");
                app.flush();
                assertEquals(0, before.count("t"), "an older snapshot sees none of it");
                assertEquals(500, scanAll(store, "t").size());
            }
        }
    }

    @Test
    void droppedTableFailsTheFlush() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults())) {
            create(store, everyType());
            Appender app = store.appender("t", 100);
            app.appendRow(row(1));
            try (Transaction tx = store.begin()) {
                tx.dropTable("t");
                tx.commit();
            }
            assertFails(SqlState.SERIALIZATION_FAILURE, app::close);
            assertFails(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, () -> app.appendRow(row(2)));
            assertFails(SqlState.UNDEFINED_TABLE, () -> store.appender("t", 100));
        }
    }

    @Test
    void tableWithoutPrimaryKeyAndDiscard() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults())) {
            create(store, TableDef.builder("np").column("a", DataType.INTEGER).column("b", DataType.TEXT).build());
            try (Appender app = store.appender("np", 3)) {
                for (int i = 0; i < 10; i++) {
                    app.appendInt(i % 4).appendString(i % 3 == 0 ? null : "x").endRow();
                }
            }
            Appender dropped = store.appender("np", 100);
            dropped.appendRow(99, "never");
            dropped.discard();
            try (Transaction tx = store.begin()) {
                tx.insert("np", 100, "after");
                tx.commit();
            }
            List<Row> rows = scanAll(store, "np");
            assertEquals(11, rows.size(), "equal rows are kept apart by their row ids");
            assertEquals(100, rows.get(10).get(0), "row ids of a transaction follow the appender's");
        }
    }

    @Test
    void tableWithSecondaryIndexGoesThroughATransaction() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults())) {
            TableDef t = create(store, TableDef.builder("ix").column("id", DataType.BIGINT).column("u", DataType.INTEGER)
                    .primaryKey("id").build());
            try (Transaction tx = store.begin()) {
                tx.createIndex(IndexDef.on(t, "ix_u", true, "u"));
                tx.commit();
            }
            try (Appender app = store.appender("ix", 100)) {
                app.appendRow(1L, 10);
                app.appendRow(2L, 20);
                app.flush();
                app.appendRow(3L, 10);
                assertFails(SqlState.UNIQUE_VIOLATION, app::flush);
                app.appendRow(3L, 30);
            }
            try (Transaction tx = store.begin(true)) {
                assertEquals(List.of(3L), tx.scanIndex("ix_u", KeyRange.prefix(30))
                        .toList().stream().map(r -> r.get(0)).toList());
            }
            assertEquals(3, scanAll(store, "ix").size());
        }
    }

    @Test
    void emptyFlushAndCloseCommitNothing() {
        try (RowStore store = RowStore.inMemory(RowStoreOptions.defaults())) {
            create(store, everyType());
            Map<String, List<Row>> before = contents(store);
            long ts = store.lastCommitTimestamp();
            try (Appender app = store.appender("t", 10)) {
                app.flush();
            }
            assertEquals(ts, store.lastCommitTimestamp());
            assertEquals(before.keySet(), contents(store).keySet());
        }
    }

    private static TableDef create(RowStore store, TableDef spec) {
        try (Transaction tx = store.begin()) {
            TableDef t = tx.createTable(spec);
            tx.commit();
            return t;
        }
    }

    private static List<List<Object>> values(RowStore store) {
        List<List<Object>> out = new ArrayList<>();
        for (Row r : scanAll(store, "t")) {
            List<Object> vs = new ArrayList<>();
            for (Object v : r.values()) {
                vs.add(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v);
            }
            out.add(vs);
        }
        return out;
    }
}
