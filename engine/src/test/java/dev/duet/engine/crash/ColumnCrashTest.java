package dev.duet.engine.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.columnstore.ColumnScan;
import dev.duet.columnstore.ColumnStore;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.QueryContext;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column store after {@code kill -9}: a {@link ColumnCrashWorker} commits inserts, updates and
 * deletes while the sync applies them and seals segments every few dozen rows; it is killed at a
 * random moment in each of {@link #ROUNDS} rounds (during a sync step or a seal, as it falls).
 * After each kill the database is reopened here: the row store must hold exactly the acknowledged
 * transactions (plus at most one in flight per writer), and the column store, once caught up (the
 * scan waits for the watermark), must equal the row store row for row in every table.
 */
class ColumnCrashTest {
    private static final int ROUNDS = 10;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void columnStoreEqualsRowStoreAfterKillNine() throws Exception {
        Random random = new Random(0xC0L);
        Path db = tmp.resolve("db");
        Set<Long> ackedEver = new HashSet<>();
        for (int round = 1; round <= ROUNDS; round++) {
            try (ChildJvm child = ChildJvm.start(tmp.resolve("columns-" + round + ".err"), "columns", db.toString(),
                    Integer.toString(round), Long.toString(random.nextLong()))) {
                ackedEver.addAll(child.ackedUntilKilled(10, 1500, random, Integer.toString(round)));
            }
            // catching up after a kill replays the WAL in a cold JVM (first Parquet use): a generous bound
            DuetConfig config = ColumnCrashWorker.config().withColumnStore(ColumnCrashWorker.config().columnStore()
                    .withScanWait(Duration.ofMinutes(2)));
            try (Duet d = Duet.open(db, config)) {
                ColumnStore cs = d.columnStore();
                assertTrue(cs != null, "the column store is running");
                try (Transaction tx = d.begin(true)) {
                    Set<Long> logged = new HashSet<>();
                    for (Row r : tx.scan("txlog")) {
                        logged.add((Long) r.get("txid"));
                    }
                    assertTrue(logged.containsAll(ackedEver), "every acknowledged transaction is in the row store");
                    long unacked = logged.stream().filter(t -> !ackedEver.contains(t)).count();
                    assertTrue(unacked <= ColumnCrashWorker.THREADS,
                            "only transactions in flight at a kill are there unacknowledged: " + unacked);
                    ackedEver.addAll(logged);
                    int compared = 0;
                    for (TableDef t : tx.catalog().tables()) {
                        compared += assertSameRows(d, cs, tx, t);
                    }
                    System.out.printf("round %d: %d transactions, %d rows compared, %d segments sealed and %d compacted since open,"
                            + " watermark %d%n", round, logged.size(), compared, cs.segmentsSealed(), cs.segmentsCompacted(), cs.watermarkTs());
                }
            }
        }
    }

    /** The column store at {@code tx}'s snapshot equals what {@code tx} sees in {@code t}; returns the row count. */
    static int assertSameRows(Duet d, ColumnStore cs, Transaction tx, TableDef t) {
        List<String> expected = new ArrayList<>();
        for (Row r : tx.scan(t.qualifiedName())) {
            expected.add(Arrays.deepToString(r.values()));
        }
        List<String> actual = new ArrayList<>();
        int[] all = new int[t.columnCount()];
        Arrays.setAll(all, i -> i);
        try (QueryContext ctx = new QueryContext(d.allocator(), 1L << 30)) {
            try (ColumnScan scan = cs.scan(ctx, t.id(), tx.snapshot(), all, List.of())) {
                for (VectorSchemaRoot b = scan.next(); b != null; b = scan.next()) {
                    for (Object[] row : Batches.rows(b)) {
                        actual.add(Arrays.deepToString(row));
                    }
                }
            }
            assertEquals(0, ctx.allocatedBytes(), "the scan freed its batches");
        }
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual, "rows of " + t.name() + " at snapshot " + tx.snapshot());
        return expected.size();
    }
}
