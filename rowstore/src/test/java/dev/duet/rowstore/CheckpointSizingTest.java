package dev.duet.rowstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints hold rows whose sizes differ by orders of magnitude (sizing is from averages). */
class CheckpointSizingTest {
    @TempDir
    Path dir;

    @Test
    void oneHugeRowAmongTinyOnes() {
        String huge = "y".repeat(4 << 20);
        try (RowStore s = RowStore.open(dir, RowStoreOptions.defaults().withFsync(false))) {
            try (Transaction tx = s.begin()) {
                tx.createTable(TableDef.builder("t").column("id", DataType.BIGINT).column("v", DataType.TEXT)
                        .primaryKey("id").build());
                for (long i = 0; i < 5_000; i++) {
                    tx.insert("t", i, "x");
                }
                tx.insert("t", -1L, huge);
                tx.commit();
            }
            s.checkpoint();
        }
        try (RowStore s = RowStore.open(dir, RowStoreOptions.defaults().withFsync(false).withCheckpointOnClose(false))) {
            try (Transaction tx = s.begin(true)) {
                assertEquals(5_001, tx.count("t"));
                assertEquals(huge, tx.get("t", -1L).get("v"));
            }
        }
    }
}
