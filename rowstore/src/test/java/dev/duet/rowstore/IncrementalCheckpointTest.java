package dev.duet.rowstore;

import static dev.duet.rowstore.RowStoreTestSupport.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints write deltas (only the rows changed and the keys deleted since the checkpoint
 * before; the first one every row), up to {@link Checkpointer#MAX_DELTAS} after a full map; a
 * dropped table, too many deltas or mostly replaced rows make the next one full. Every reopen must
 * see exactly the committed rows.
 */
class IncrementalCheckpointTest {
    @TempDir
    Path dir;

    private static RowStoreOptions options() {
        return RowStoreOptions.defaults().withFsync(false).withCheckpointOnClose(false);
    }

    private static void createTable(RowStore s) {
        try (Transaction tx = s.begin()) {
            tx.createTable(TableDef.builder("t").column("id", DataType.BIGINT).column("v", DataType.TEXT)
                    .primaryKey("id").build());
            tx.commit();
        }
    }

    private long[] files() {
        return new Checkpointer(dir).readMeta().files();
    }

    /** Deltas in force after the full map (or after none). */
    private int deltas() {
        return files().length - 1;
    }

    private boolean fullMap() {
        return files()[0] != Checkpointer.NO_MAP;
    }

    private long mapFilesOnDisk() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+\\.(cmap|delta)")).count();
        }
    }

    @Test
    void deltasRecordUpdatesInsertsAndDeletions() throws IOException {
        try (RowStore s = RowStore.open(dir, options())) {
            createTable(s);
            try (Transaction tx = s.begin()) {
                for (long i = 0; i < 100; i++) {
                    tx.insert("t", i, "a" + i);
                }
                tx.commit();
            }
            s.checkpoint();
            assertEquals(1, deltas());
            assertEquals(false, fullMap());
            try (Transaction tx = s.begin()) {
                tx.update("t", key(5L), Map.of("v", "b5"));
                tx.delete("t", 7L);
                tx.insert("t", 1000L, "new");
                tx.commit();
            }
            s.checkpoint();
            assertEquals(2, deltas());
            assertEquals(2, mapFilesOnDisk());
        }
        try (RowStore s = RowStore.open(dir, options())) {
            try (Transaction tx = s.begin(true)) {
                assertEquals(100, tx.count("t"));
                assertEquals("b5", tx.get("t", 5L).get("v"));
                assertNull(tx.get("t", 7L));
                assertEquals("new", tx.get("t", 1000L).get("v"));
                assertEquals("a6", tx.get("t", 6L).get("v"));
            }
        }
    }

    @Test
    void damagedDeltaRefusesToOpen() throws IOException {
        try (RowStore s = RowStore.open(dir, options())) {
            createTable(s);
            try (Transaction tx = s.begin()) {
                tx.insert("t", 1L, "one");
                tx.commit();
            }
            s.checkpoint();
            try (Transaction tx = s.begin()) {
                tx.insert("t", 2L, "two");
                tx.commit();
            }
            s.checkpoint();
        }
        Path delta;
        try (Stream<Path> files = Files.list(dir)) {
            delta = files.filter(p -> p.toString().endsWith(".delta")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(delta);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(delta, bytes);
        RowStoreTestSupport.assertFails(SqlState.DATA_CORRUPTED, () -> RowStore.open(dir, options()).close());
    }

    /** Vacuum must keep a deleted key until a checkpoint has recorded the deletion. */
    @Test
    void deletionVacuumedBeforeTheDeltaStillReachesIt() {
        try (RowStore s = RowStore.open(dir, options())) {
            createTable(s);
            try (Transaction tx = s.begin()) {
                tx.insert("t", 1L, "one");
                tx.insert("t", 2L, "two");
                tx.commit();
            }
            s.checkpoint();
            try (Transaction tx = s.begin()) {
                tx.delete("t", 1L);
                tx.commit();
            }
            s.vacuum();
            s.checkpoint();
            assertEquals(2, deltas());
            // Now recorded: vacuum may reclaim the deleted key.
            s.vacuum();
            long id;
            try (Transaction tx = s.begin(true)) {
                id = tx.table("t").id();
            }
            assertEquals(1, s.versionCount(id));
        }
        try (RowStore s = RowStore.open(dir, options())) {
            try (Transaction tx = s.begin(true)) {
                assertNull(tx.get("t", 1L));
                assertEquals("two", tx.get("t", 2L).get("v"));
            }
        }
    }

    /** A deletion replayed from the WAL on open must reach the next delta too. */
    @Test
    void deletionReplayedFromTheLogReachesTheNextDelta() {
        try (RowStore s = RowStore.open(dir, options())) {
            createTable(s);
            try (Transaction tx = s.begin()) {
                for (long i = 0; i < 100; i++) {
                    tx.insert("t", i, "a" + i);
                }
                tx.commit();
            }
            s.checkpoint();
            try (Transaction tx = s.begin()) {
                tx.delete("t", 3L);
                tx.commit();
            }
        }
        try (RowStore s = RowStore.open(dir, options())) {
            try (Transaction tx = s.begin()) {
                tx.insert("t", 500L, "b");
                tx.commit();
            }
            s.vacuum();
            s.checkpoint();
            assertEquals(2, deltas());
        }
        try (RowStore s = RowStore.open(dir, options())) {
            try (Transaction tx = s.begin(true)) {
                assertNull(tx.get("t", 3L));
                assertEquals(100, tx.count("t"));
            }
        }
    }

    @Test
    void deletedAndInsertedAgainAcrossCheckpoints() {
        try (RowStore s = RowStore.open(dir, options())) {
            createTable(s);
            try (Transaction tx = s.begin()) {
                tx.insert("t", 1L, "first");
                for (long i = 10; i < 100; i++) {
                    tx.insert("t", i, "filler");
                }
                tx.commit();
            }
            s.checkpoint();
            try (Transaction tx = s.begin()) {
                tx.delete("t", 1L);
                tx.commit();
            }
            s.checkpoint();
            s.vacuum(); // the slot goes; the key is now only a deletion in the delta
            try (Transaction tx = s.begin()) {
                tx.insert("t", 1L, "second");
                tx.commit();
            }
            s.checkpoint();
            assertEquals(3, deltas());
        }
        try (RowStore s = RowStore.open(dir, options())) {
            try (Transaction tx = s.begin(true)) {
                assertEquals("second", tx.get("t", 1L).get("v"));
                assertEquals(91, tx.count("t"));
            }
        }
    }

    @Test
    void droppedTableAndTooManyDeltasMakeAFullCheckpoint() throws IOException {
        try (RowStore s = RowStore.open(dir, options())) {
            createTable(s);
            for (int round = 0; round <= Checkpointer.MAX_DELTAS + 1; round++) {
                try (Transaction tx = s.begin()) {
                    tx.insert("t", (long) round, "r" + round);
                    tx.commit();
                }
                s.checkpoint();
                // Deltas after no full map, up to MAX_DELTAS; then a full map, then deltas again.
                int expected = round < Checkpointer.MAX_DELTAS ? round + 1 : round - Checkpointer.MAX_DELTAS;
                assertEquals(expected, deltas(), "round " + round);
                assertEquals(round >= Checkpointer.MAX_DELTAS, fullMap(), "round " + round);
                assertEquals(deltas() + (fullMap() ? 1 : 0), mapFilesOnDisk());
            }
            try (Transaction tx = s.begin()) {
                tx.createTable(TableDef.builder("u").column("id", DataType.BIGINT).primaryKey("id").build());
                tx.insert("u", 7L);
                tx.commit();
            }
            s.checkpoint();
            assertEquals(2, deltas()); // a new table's rows are changes like any other
            try (Transaction tx = s.begin()) {
                tx.dropTable("u");
                tx.commit();
            }
            s.checkpoint();
            assertEquals(0, deltas());
            assertEquals(1, mapFilesOnDisk());
        }
        try (RowStore s = RowStore.open(dir, options())) {
            try (Transaction tx = s.begin(true)) {
                assertEquals(Checkpointer.MAX_DELTAS + 2, tx.count("t"));
                assertNull(tx.catalog().findTable("public", "u"));
            }
        }
    }

    @Test
    void mostlyReplacedRowsMakeAFullCheckpoint() {
        try (RowStore s = RowStore.open(dir, options())) {
            createTable(s);
            try (Transaction tx = s.begin()) {
                for (long i = 0; i < 100; i++) {
                    tx.insert("t", i, "a");
                }
                tx.commit();
            }
            s.checkpoint();
            List<Integer> counts = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                try (Transaction tx = s.begin()) {
                    for (long i = 0; i < 100; i++) {
                        tx.update("t", key(i), Map.of("v", "b" + round));
                    }
                    tx.commit();
                }
                s.checkpoint();
                counts.add(files().length);
            }
            // A delta replacing every row; then the replaced bytes outweigh the live ones, and a
            // full map replaces both.
            assertEquals(3, counts.get(0), counts::toString);
            assertEquals(1, counts.get(1), counts::toString);
        }
    }

    /** Random inserts, updates and deletes with checkpoints, vacuums and reopens against a model. */
    @Test
    void randomChangesMatchAModelAfterEveryReopen() {
        Random random = new Random(42);
        TreeMap<Long, String> model = new TreeMap<>();
        List<Integer> fileCounts = new ArrayList<>();
        try (RowStore s = RowStore.open(dir, options())) {
            createTable(s);
        }
        for (int reopen = 0; reopen < 6; reopen++) {
            try (RowStore s = RowStore.open(dir, options())) {
                assertModel(s, model);
                for (int round = 0; round < 4; round++) {
                    try (Transaction tx = s.begin()) {
                        for (int op = 0; op < 60; op++) {
                            long k = random.nextInt(300);
                            String v = "v" + random.nextInt(1_000_000);
                            if (random.nextInt(3) == 0) {
                                tx.delete("t", k);
                                model.remove(k);
                            } else if (model.containsKey(k)) {
                                tx.update("t", key(k), Map.of("v", v));
                                model.put(k, v);
                            } else {
                                tx.insert("t", k, v);
                                model.put(k, v);
                            }
                        }
                        tx.commit();
                    }
                    if (random.nextBoolean()) {
                        s.vacuum();
                    }
                    if (random.nextInt(4) != 0) {
                        s.checkpoint();
                        fileCounts.add(files().length);
                    }
                }
                assertModel(s, model);
            }
        }
        // Deltas were written, and the map count stayed bounded.
        assertEquals(true, fileCounts.stream().anyMatch(n -> n > 2), fileCounts::toString);
        assertEquals(true, fileCounts.stream().allMatch(n -> n <= Checkpointer.MAX_DELTAS + 1), fileCounts::toString);
    }

    private static void assertModel(RowStore s, TreeMap<Long, String> model) {
        try (Transaction tx = s.begin(true)) {
            List<Object[]> expected = new ArrayList<>();
            model.forEach((k, v) -> expected.add(new Object[] {k, v}));
            List<Row> rows = tx.scan("t").toList();
            assertEquals(expected.size(), rows.size());
            for (int i = 0; i < rows.size(); i++) {
                assertArrayEquals(expected.get(i), rows.get(i).values());
            }
            for (Long k : model.keySet()) {
                assertNotNull(tx.get("t", k));
            }
        }
    }
}
