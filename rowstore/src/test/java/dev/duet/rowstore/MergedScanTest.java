package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The merged view a transaction reads (committed versions at its snapshot plus its own writes) is
 * checked against a model: random commits, then a transaction at an older snapshot that inserts,
 * updates (also moving rows to new keys) and deletes, while later commits it must not see land
 * meanwhile; every read path (point lookups, single ranges, range lists, the decoded scan, count)
 * must give exactly the model's rows, in key order.
 */
class MergedScanTest {
    private static final long KEYS = 400;
    private RowStore store;

    @BeforeEach
    void open() {
        store = RowStore.inMemory(RowStoreOptions.defaults().withFsync(false));
        try (Transaction tx = store.begin()) {
            tx.createTable(TableDef.builder("t")
                    .column("id", DataType.BIGINT)
                    .notNullColumn("v", DataType.BIGINT)
                    .primaryKey("id")
                    .build());
            tx.commit();
        }
    }

    @AfterEach
    void close() {
        assertEquals(0, store.openSnapshots(), "a test left a transaction open");
        store.close();
    }

    /** One random commit of inserts, updates and deletes, applied to {@code model} too. */
    private void randomCommit(Random random, TreeMap<Long, Long> model, int writes) {
        try (Transaction tx = store.begin()) {
            for (int i = 0; i < writes; i++) {
                long id = random.nextInt((int) KEYS);
                long v = random.nextLong();
                if (model.containsKey(id)) {
                    if (random.nextBoolean()) {
                        tx.update("t", key(id), Map.of("v", v));
                        model.put(id, v);
                    } else {
                        tx.delete("t", id);
                        model.remove(id);
                    }
                } else {
                    tx.insert("t", id, v);
                    model.put(id, v);
                }
            }
            tx.commit();
        }
    }

    @Test
    void everyReadPathMatchesTheModelWithOwnWritesAndLaterCommits() {
        Random random = new Random(7);
        TreeMap<Long, Long> committed = new TreeMap<>();
        for (int round = 0; round < 30; round++) {
            for (int c = 0; c < 5; c++) {
                randomCommit(random, committed, 1 + random.nextInt(60));
            }
            if (round % 3 == 0) {
                store.vacuum(); // deleted keys leave the indexes; later inserts make new slots
            }
            TreeMap<Long, Long> expected = new TreeMap<>(committed);
            try (Transaction tx = store.begin()) {
                for (int i = 0; i < 40; i++) {
                    long id = random.nextInt((int) KEYS + 20);
                    long v = random.nextLong();
                    switch (random.nextInt(4)) {
                        case 0 -> {
                            if (!expected.containsKey(id)) {
                                tx.insert("t", id, v);
                                expected.put(id, v);
                            }
                        }
                        case 1 -> {
                            assertEquals(expected.containsKey(id), tx.update("t", key(id), Map.of("v", v)));
                            if (expected.containsKey(id)) {
                                expected.put(id, v);
                            }
                        }
                        case 2 -> {
                            long to = KEYS + random.nextInt(20);
                            if (expected.containsKey(id) && !expected.containsKey(to)) {
                                assertEquals(true, tx.update("t", key(id), Map.of("id", to)), "moves the row to key " + to);
                                expected.put(to, expected.remove(id));
                            }
                        }
                        default -> {
                            assertEquals(expected.containsKey(id), tx.delete("t", id));
                            expected.remove(id);
                        }
                    }
                }
                // a commit after the snapshot, of keys nobody holds: invisible to the transaction
                try (Transaction other = store.begin()) {
                    for (long id = round % 37; id < KEYS; id += 37) {
                        if (!committed.containsKey(id) && other.get("t", id) == null) {
                            other.insert("t", id, -1L);
                            committed.put(id, -1L);
                        }
                    }
                    other.commit();
                }
                assertMatches(tx, expected, random);
            }
        }
    }

    private static void assertMatches(Transaction tx, TreeMap<Long, Long> expected, Random random) {
        TableDef t = tx.table("t");
        assertEquals(List.copyOf(expected.keySet()), ids(tx.scan("t").toList()));
        assertEquals(expected.size(), tx.count("t"));
        for (long id = 0; id < KEYS + 20; id++) {
            Row r = tx.get("t", id);
            if (expected.containsKey(id)) {
                assertEquals(expected.get(id), r.get("v"), "row " + id);
            } else {
                assertNull(r, "row " + id);
            }
        }
        for (int i = 0; i < 25; i++) {
            long a = random.nextInt((int) KEYS + 30) - 5;
            long b = a + random.nextInt(120) - 10;
            boolean ai = random.nextBoolean();
            boolean bi = random.nextBoolean();
            KeyRange range = switch (i % 4) {
                case 0 -> KeyRange.between(new Object[] {a}, ai, new Object[] {b}, bi);
                case 1 -> KeyRange.atLeast(a);
                case 2 -> KeyRange.lessThan(b);
                default -> KeyRange.prefix(a);
            };
            NavigableMap<Long, Long> want = switch (i % 4) {
                case 0 -> a > b || a == b && !(ai && bi) ? new TreeMap<>() : expected.subMap(a, ai, b, bi);
                case 1 -> expected.tailMap(a, true);
                case 2 -> expected.headMap(b, false);
                default -> expected.subMap(a, true, a, true);
            };
            assertEquals(List.copyOf(want.values()), values(t, tx.encodedScan(t, range)), "range " + i);
            assertEquals(List.copyOf(want.keySet()), ids(tx.scan("t", range).toList()), "range " + i);
        }
        // a list of ranges: points (hash lookups) and ranges, overlapping, each row once in key order
        List<KeyRange> ranges = new ArrayList<>();
        TreeMap<Long, Long> want = new TreeMap<>();
        for (int i = 0; i < 6; i++) {
            long a = random.nextInt((int) KEYS + 20);
            if (random.nextBoolean()) {
                ranges.add(KeyRange.prefix(a));
                if (expected.containsKey(a)) {
                    want.put(a, expected.get(a));
                }
            } else {
                long b = a + random.nextInt(30);
                ranges.add(KeyRange.between(new Object[] {a}, true, new Object[] {b}, false));
                want.putAll(expected.subMap(a, true, b, false));
            }
        }
        assertEquals(List.copyOf(want.values()), values(t, tx.encodedScan(t, ranges)), "ranges " + ranges.size());
    }

    @Test
    void aCursorAtItsEndStaysThere() {
        try (Transaction tx = store.begin()) {
            tx.insert("t", 1L, 10L);
            EncodedRows rows = tx.encodedScan(tx.table("t"), KeyRange.all());
            assertEquals(true, rows.next());
            assertEquals(10L, tx.table("t").rowCodec().decode(rows.row())[1]);
            assertFalse(rows.next());
            assertNull(rows.key());
            assertFalse(rows.next());
        }
    }

    private static List<Long> values(TableDef t, EncodedRows rows) {
        List<Long> out = new ArrayList<>();
        while (rows.next()) {
            Object[] row = t.rowCodec().decode(rows.row());
            assertEquals(row[0], t.keyCodec().decode(rows.key())[0], "the key belongs to the row");
            out.add((Long) row[1]);
        }
        return out;
    }

    private static List<Long> ids(List<Row> rows) {
        List<Long> out = new ArrayList<>();
        for (Row r : rows) {
            out.add((Long) r.get("id"));
        }
        return out;
    }
}
