package dev.duet.columnstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints what a table's first UPDATE costs the sync thread (building its key map from
 * {@value #ROWS} inserted rows: in segment files, frozen and open segments, then again after a
 * reopen, from the files alone) and the heap the map then holds. A measurement, not a test:
 * nothing is asserted about speed or size. Run it with
 * {@code mvn -o -pl columnstore -am test -Dtest=KeyMapBuildTiming -Dduet.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "duet.bench", matches = "true")
class KeyMapBuildTiming {
    private static final int ROWS = 4_000_000;
    private static final int PER_COMMIT = 10_000;
    private static final TableDef T = TableDef.builder("m").column("id", DataType.BIGINT).column("device", DataType.INTEGER)
            .column("reading", DataType.DOUBLE).primaryKey("id").build().withId(3);

    @TempDir
    Path dir;

    private long ts;

    @Test
    void firstUpdateBuildsTheKeyMap() {
        ColumnStoreOptions options = ColumnStoreOptions.defaults();
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            assertTrue(cs.beginCommit(++ts));
            cs.createTable(T);
            cs.endCommit(ts);
            long start = System.nanoTime();
            for (long base = 0; base < ROWS; base += PER_COMMIT) {
                assertTrue(cs.beginCommit(++ts));
                for (long id = base; id < base + PER_COMMIT; id++) {
                    cs.put(T.id(), T.keyCodec().encode(new Object[] {id}), T.rowCodec().encode(new Object[] {id, (int) id, id * 0.5}), true);
                }
                cs.endCommit(ts);
            }
            double insertMs = (System.nanoTime() - start) / 1e6;
            assertFalse(cs.hasKeyMap(T.id()));
            long heapBefore = usedHeap();
            double buildMs = update(cs, 0);
            long heapAfter = usedHeap();
            System.out.printf(Locale.ROOT, "%,d rows inserted in %.0f ms (%d sealed segments); first UPDATE %.1f ms "
                    + "(%.1f ms per million rows); heap %,d -> %,d bytes: the key map holds %.1f bytes per row%n",
                    ROWS, insertMs, cs.sealedSegmentCount(T.id()), buildMs, buildMs * 1e6 / ROWS, heapBefore, heapAfter,
                    (double) (heapAfter - heapBefore) / ROWS);
            cs.persist();
        }
        long open = System.nanoTime();
        try (ColumnStore cs = ColumnStore.open(dir, options)) {
            double openMs = (System.nanoTime() - open) / 1e6;
            assertFalse(cs.hasKeyMap(T.id()));
            double buildMs = update(cs, 1);
            System.out.printf(Locale.ROOT, "reopen %.1f ms (no key column read); first UPDATE after it %.1f ms "
                    + "(%.1f ms per million rows, all from segment files)%n", openMs, buildMs, buildMs * 1e6 / ROWS);
        }
    }

    /** One commit updating row {@code id}; returns its duration in ms, which building the key map dominates. */
    private double update(ColumnStore cs, long id) {
        long before = cs.keyMapsBuilt();
        long start = System.nanoTime();
        assertTrue(cs.beginCommit(++ts));
        cs.put(T.id(), T.keyCodec().encode(new Object[] {id}), T.rowCodec().encode(new Object[] {id, -1, -1.0}), false);
        cs.endCommit(ts);
        double ms = (System.nanoTime() - start) / 1e6;
        assertEquals(before + 1, cs.keyMapsBuilt());
        return ms;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
