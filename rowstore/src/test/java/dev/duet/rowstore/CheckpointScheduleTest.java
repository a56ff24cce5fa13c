package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every few checkpoints a full one rewrites every row, so a background checkpoint waits for at
 * least as many bytes of log as the last checkpoint's live rows hold, not only for
 * {@code checkpointWalBytes}: its cost per byte written stays bounded as a table grows.
 */
class CheckpointScheduleTest {
    private static final String PAD = "p".repeat(100);

    @TempDir
    Path dir;

    private static RowStoreOptions options() {
        // Tiny fixed threshold; no background maintenance in the way of the test's own calls.
        return RowStoreOptions.defaults().withFsync(false).withCheckpointWalBytes(4096)
                .withMaintenanceInterval(Duration.ofHours(1)).withCheckpointInterval(Duration.ofHours(1));
    }

    private static void insert(RowStore s, long from, int count) {
        try (Transaction tx = s.begin()) {
            for (long i = from; i < from + count; i++) {
                tx.insert("t", i, PAD);
            }
            tx.commit();
        }
    }

    @Test
    void waitsForAsMuchLogAsTheLastCheckpointHolds() {
        try (RowStore s = RowStore.open(dir, options())) {
            try (Transaction tx = s.begin()) {
                tx.createTable(TableDef.builder("t").column("id", DataType.BIGINT).column("v", DataType.TEXT)
                        .primaryKey("id").build());
                tx.commit();
            }
            assertFalse(s.checkpointDue(), "a new table alone is less than 4096 bytes of log");
            insert(s, 0, 100);
            assertTrue(s.checkpointDue(), "no checkpoint yet: the fixed threshold applies");
            insert(s, 100, 19_900);
            s.checkpoint(); // about 2.3 MB of rows
            assertFalse(s.checkpointDue());
            insert(s, 20_000, 1_000); // ~120 KB of log: above 4096 bytes, far below the checkpoint
            assertFalse(s.checkpointDue(), "a checkpoint of 20,000 rows waits for as many bytes of log");
            insert(s, 21_000, 20_000);
            assertTrue(s.checkpointDue(), "the log has grown by more than the checkpoint holds");
        }
        try (RowStore s = RowStore.open(dir, options())) {
            // The checkpoint on close holds 41,000 rows; reopening knows its size.
            insert(s, 41_000, 1_000);
            assertFalse(s.checkpointDue(), "the size of the loaded checkpoint applies after a reopen");
            try (Transaction tx = s.begin(true)) {
                assertEquals(42_000, tx.count("t"));
            }
        }
    }
}
