package dev.duet.engine.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.rowstore.Row;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed while it recovers must leave a database that the next process opens. Recovery
 * reads the current checkpoint map, and Chronicle Map takes a segment lock that lives in the
 * mapped file while it iterates; a kill at that moment leaves the lock set on disk.
 *
 * <p>Without care the next open would wait 60 s for that dead lock and fail with Chronicle's
 * {@code InterProcessDeadLockException}, every later open too. {@code duet.lock} records whether
 * the last owner closed cleanly; after an unclean end the checkpoint is opened with Chronicle's
 * recovery, which clears locks of dead processes.
 */

class CrashDuringRecoveryTest {
    private static final int ROWS = 5_000;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void killWhileLoadingTheCheckpointLeavesTheDatabaseOpenable() throws Exception {
        Path db = tmp.resolve("db");
        try (Duet d = Duet.open(db)) {
            d.createTable(TableDef.builder("t").column("id", DataType.BIGINT).column("v", DataType.TEXT).primaryKey("id").build());
            d.run(tx -> {
                for (long i = 0; i < ROWS; i++) {
                    tx.insert("t", i, "v" + i);
                }
            });
            // A first checkpoint is a delta file; one after a dropped table is a full map.
            d.createTable(TableDef.builder("scratch").column("id", DataType.BIGINT).primaryKey("id").build());
            d.checkpoint();
            d.dropTable("scratch");
        } // close writes the checkpoint: a full map

        try (ChildJvm child = ChildJvm.start(tmp.resolve("iterate.err"), "iterate-checkpoint", db.toString())) {
            if (!child.awaitLines(l -> l.startsWith("ITERATING "), 1, Duration.ofSeconds(120))) {
                fail("child ended before iterating the checkpoint: " + child.drain() + "\n" + child.stderrTail());
            }
            child.kill9();
        }

        // Chronicle's own lock timeout is 60 s: a hang past 90 s is not a slow machine.
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try {
            long t0 = System.nanoTime();
            Future<Integer> rows = exec.submit(() -> {
                try (Duet d = Duet.open(db)) {
                    int n = 0;
                    for (Row r : d.scan("t")) {
                        assertEquals("v" + r.get("id"), r.get("v"));
                        n++;
                    }
                    return n;
                }
            });
            try {
                assertEquals(ROWS, rows.get(90, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                throw new AssertionError("open after a kill during checkpoint loading failed after "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("open after a kill during checkpoint loading hangs (> 90 s)");
            }
            System.out.printf("reopened after a kill during checkpoint loading in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        } finally {
            exec.shutdownNow();
        }
    }
}
