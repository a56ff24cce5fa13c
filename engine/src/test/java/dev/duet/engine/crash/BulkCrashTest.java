package dev.duet.engine.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.columnstore.ColumnStore;
import dev.duet.core.catalog.TableDef;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bulk load path after {@code kill -9}: a {@link BulkCrashWorker} loads chunks through
 * appenders (fsync durability) and is killed at a random moment in each of {@link #ROUNDS} rounds.
 * After each kill the database is reopened here: every acknowledged chunk is there whole, at most
 * one unacknowledged chunk per loader (the one in flight) is there, also whole, no chunk is there
 * in part, and the column store, once caught up, equals the row store row for row.
 */
class BulkCrashTest {
    private static final int ROUNDS = 6;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void flushedChunksSurviveWholeAndNothingElse() throws Exception {
        Random random = new Random(0xB0L);
        Path db = tmp.resolve("db");
        Set<Long> ackedEver = new HashSet<>();
        Set<Long> presentEver = new HashSet<>();
        for (int round = 1; round <= ROUNDS; round++) {
            try (ChildJvm child = ChildJvm.start(tmp.resolve("bulk-" + round + ".err"), "bulk", db.toString(),
                    Integer.toString(round), Long.toString(random.nextLong()))) {
                ackedEver.addAll(child.ackedUntilKilled(4, 1500, random, Integer.toString(round)));
            }
            DuetConfig config = BulkCrashWorker.config().withColumnStore(BulkCrashWorker.config().columnStore()
                    .withScanWait(Duration.ofMinutes(2)));
            try (Duet d = Duet.open(db, config)) {
                ColumnStore cs = d.columnStore();
                assertTrue(cs != null, "the column store is running");
                try (Transaction tx = d.begin(true)) {
                    Set<Long> present = new HashSet<>();
                    for (String table : new String[] {"bulk", "bulk_np"}) {
                        Map<Long, Integer> rows = new HashMap<>();
                        Map<Long, Integer> sizes = new HashMap<>();
                        for (Row r : tx.scan(table)) {
                            long chunk = (Long) r.get("chunk");
                            rows.merge(chunk, 1, Integer::sum);
                            sizes.put(chunk, (Integer) r.get("size"));
                        }
                        for (Map.Entry<Long, Integer> e : rows.entrySet()) {
                            assertEquals(sizes.get(e.getKey()), e.getValue(), "chunk " + e.getKey() + " of " + table + " is whole");
                        }
                        present.addAll(rows.keySet());
                    }
                    assertTrue(present.containsAll(ackedEver), "every acknowledged chunk is there");
                    assertTrue(present.containsAll(presentEver), "a chunk once recovered stays");
                    long unacked = present.stream().filter(c -> !ackedEver.contains(c)).count();
                    assertTrue(unacked <= BulkCrashWorker.THREADS, "only chunks in flight at a kill are there unacknowledged: " + unacked);
                    ackedEver.addAll(present);
                    presentEver.addAll(present);
                    int compared = 0;
                    for (TableDef t : tx.catalog().tables()) {
                        compared += ColumnCrashTest.assertSameRows(d, cs, tx, t);
                    }
                    System.out.printf("round %d: %d chunks, %d rows compared with the column store%n", round, present.size(), compared);
                }
            }
        }
    }
}
