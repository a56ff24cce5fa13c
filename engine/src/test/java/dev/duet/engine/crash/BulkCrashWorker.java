package dev.duet.engine.crash;

import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Appender;
import dev.duet.rowstore.Transaction;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The {@code bulk <dir> <round> <seed>} mode of {@link CrashWorker}: {@link #THREADS} threads load
 * rows through {@link Appender}s, one into {@code bulk} (primary key) and one into {@code bulk_np}
 * (none), in chunks of random size; every row carries its chunk's id and size, and after each
 * {@code flush()} returns the thread prints {@code ACK <chunk>}. The column store seals every
 * {@link #SEAL_ROWS} rows and a thread checkpoints, so kills land in WAL writes, sync steps, seals
 * and checkpoints.
 */
final class BulkCrashWorker {
    static final int THREADS = 2;
    static final int SEAL_ROWS = 2_000;
    /** Row ids of a chunk: chunk * CHUNK_STRIDE + row. */
    static final long CHUNK_STRIDE = 10_000;

    private BulkCrashWorker() {
    }

    static DuetConfig config() {
        return CrashWorker.workerConfig().withColumnStore(ColumnStoreOptions.defaults().withSealRows(SEAL_ROWS).withRowGroupRows(500));
    }

    static TableDef table(String name, boolean key) {
        TableDef.Builder b = TableDef.builder(name).column("id", DataType.BIGINT).column("chunk", DataType.BIGINT)
                .column("size", DataType.INTEGER).column("note", DataType.TEXT).column("amount", DataType.decimal(12, 2))
                .column("day", DataType.DATE);
        return (key ? b.primaryKey("id") : b).build();
    }

    static void run(Path dir, int round, long seed) throws InterruptedException {
        Duet db = Duet.open(dir, config());
        CrashWorker.emit("OPENED");
        if (db.catalog().findTable("public", "bulk") == null) {
            try (Transaction tx = db.begin()) {
                tx.createTable(table("bulk", true));
                tx.createTable(table("bulk_np", false));
                tx.commit();
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Random random = new Random(seed * 31 + t);
            threads.add(new Thread(() -> load(db, thread == 0 ? "bulk" : "bulk_np", round, thread, random), "loader-" + t));
        }
        threads.add(new Thread(() -> {
            Random r = new Random(seed);
            while (true) {
                db.checkpoint();
                sleep(r.nextInt(400));
            }
        }, "checkpointer"));
        CrashWorker.runUntilKilled(threads);
    }

    private static void load(Duet db, String table, int round, int thread, Random random) {
        try (Appender a = db.appender(table, Integer.MAX_VALUE)) {
            for (long seq = 1; ; seq++) {
                long chunk = round * 1_000_000L + thread * 100_000L + seq;
                int size = 1 + random.nextInt(3_000);
                for (int i = 0; i < size; i++) {
                    a.appendLong(chunk * CHUNK_STRIDE + i).appendLong(chunk).appendInt(size)
                            .appendString(random.nextInt(7) == 0 ? null : "n" + i)
                            .appendDecimal(random.nextInt(9) == 0 ? null : BigDecimal.valueOf(random.nextInt(1_000_000), 2))
                            .appendDate(LocalDate.of(2000, 1, 1).plusDays(i))
                            .endRow();
                }
                a.flush();
                CrashWorker.emit("ACK " + chunk);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
