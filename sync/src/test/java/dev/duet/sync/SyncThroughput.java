package dev.duet.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.columnstore.ColumnStore;
import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.rowstore.RowStore;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints rows/s the sync applies to the column store (sealing, on its own thread, included) while a writer commits
 * 1M rows in transactions of 1,000 (async durability, so that the writer is not the bottleneck).
 * A measurement, not a test:
 * nothing is asserted about speed. Run it with
 * {@code mvn -o -pl sync -am test -Dtest=SyncThroughput -Dduet.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "duet.bench", matches = "true")
class SyncThroughput {
    private static final int ROWS = 1_000_000;
    private static final int PER_TX = 1_000;

    @TempDir
    Path dir;

    @Test
    void applyRate() {
        RowStoreOptions ro = RowStoreOptions.defaults().withFsync(false);
        ColumnStoreOptions co = ColumnStoreOptions.defaults().withScanWait(Duration.ofMinutes(5));
        try (RowStore rows = RowStore.open(dir.resolve("db"), ro)) {
            try (ColumnStore cs = ColumnStore.open(dir.resolve("columns"), co)) {
                ColumnSync sync = ColumnSync.start(rows, cs, SyncOptions.defaults().withMaxReplayBytes(1L << 40));
                try (Transaction tx = rows.begin()) {
                    tx.createTable(TableDef.builder("m").column("id", DataType.BIGINT).column("device", DataType.INTEGER)
                            .column("reading", DataType.DOUBLE).column("label", DataType.TEXT)
                            .column("amount", DataType.decimal(12, 2)).column("day", DataType.DATE).primaryKey("id").build());
                    tx.commit();
                }
                long t0 = System.nanoTime();
                for (int base = 0; base < ROWS; base += PER_TX) {
                    try (Transaction tx = rows.begin()) {
                        for (int i = base; i < base + PER_TX; i++) {
                            tx.insert("m", (long) i, i % 1000, i * 0.5, "device-" + (i % 1000),
                                    BigDecimal.valueOf(i % 100000, 2), LocalDate.ofEpochDay(18000 + i % 3000));
                        }
                        tx.commit();
                    }
                }
                long written = System.nanoTime() - t0;
                cs.awaitWatermark(rows.lastCommitTimestamp(), Duration.ofMinutes(5));
                long applied = System.nanoTime() - t0;
                System.out.printf("writer: %,.0f rows/s; sync caught up after %.2f s: %,.0f rows/s applied, %d segments sealed,"
                        + " the sync waited %d ms for segment files%n",
                        ROWS / (written / 1e9), applied / 1e9, ROWS / (applied / 1e9), cs.segmentsSealed(), cs.sealWaitMillis());
                assertEquals(ROWS, cs.rowsApplied());
                sync.abandon();
            }
        }
    }
}
