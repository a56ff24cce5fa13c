package dev.duet.engine.crash;

import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import dev.duet.sync.SyncOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code columns <dir> <round> <seed>} mode of {@link CrashWorker}: writers insert, update and
 * delete rows of {@code cs} (primary key, NULLs in every other column) and of {@code np} (no
 * primary key), and record each transaction in {@code txlog}, while the sync applies them to a
 * column store that seals a segment every {@link #SEAL_ROWS} rows (so kills land during seals as
 * well as between them), compacts segments every 16 commits when enough of their rows are deleted,
 * and a thread checkpoints (so WAL retention is exercised). Each commit
 * prints {@code ACK <txid>}.
 */
final class ColumnCrashWorker {
    static final int THREADS = 2;
    static final int SEAL_ROWS = 64;

    private ColumnCrashWorker() {
    }

    static DuetConfig config() {
        return CrashWorker.workerConfig().withColumnStore(ColumnStoreOptions.defaults().withSealRows(SEAL_ROWS).withRowGroupRows(16))
                .withSync(SyncOptions.defaults().withCompactEveryCommits(16));
    }

    static void run(Path dir, int round, long seed) throws InterruptedException {
        Duet db = Duet.open(dir, config());
        CrashWorker.emit("OPENED");
        if (db.catalog().findTable("public", "cs") == null) {
            try (Transaction tx = db.begin()) {
                tx.createTable(TableDef.builder("cs").column("id", DataType.BIGINT).column("grp", DataType.INTEGER)
                        .column("val", DataType.TEXT).column("amount", DataType.decimal(12, 2))
                        .column("at", DataType.TIMESTAMP).primaryKey("id").build());
                tx.createTable(TableDef.builder("np").column("txid", DataType.BIGINT).column("note", DataType.TEXT).build());
                tx.createTable(TableDef.builder("txlog").column("txid", DataType.BIGINT).primaryKey("txid").build());
                tx.commit();
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Random random = new Random(seed * 31 + t);
            threads.add(new Thread(() -> commitLoop(db, round, thread, random), "committer-" + t));
        }
        Random ckpt = new Random(seed);
        threads.add(new Thread(() -> {
            while (true) {
                db.checkpoint();
                sleep(ckpt.nextInt(300));
            }
        }, "checkpointer"));
        CrashWorker.runUntilKilled(threads);
    }

    private static void commitLoop(Duet db, int round, int thread, Random random) {
        for (long seq = 1; ; seq++) {
            long txid = round * CrashWorker.ROUND_STRIDE + thread * CrashWorker.THREAD_STRIDE + seq;
            while (true) {
                try (Transaction tx = db.begin()) {
                    for (int i = 0; i < 1 + random.nextInt(8); i++) {
                        long id = random.nextInt(400);
                        Row old = tx.get("cs", id);
                        int what = random.nextInt(10);
                        if (old == null) {
                            tx.insert("cs", id, random.nextInt(5) == 0 ? null : random.nextInt(20),
                                    random.nextInt(5) == 0 ? null : "v" + txid,
                                    random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextInt(100000), 2),
                                    random.nextInt(5) == 0 ? null : LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(random.nextInt(1 << 20)));
                        } else if (what < 3) {
                            tx.delete("cs", id);
                        } else {
                            tx.update("cs", new Object[] {id}, Map.of("val", "u" + txid, "grp", random.nextInt(20)));
                        }
                    }
                    tx.insert("np", txid, random.nextInt(3) == 0 ? null : "n" + seq);
                    if (seq % 4 == 0) {
                        for (Row r : tx.scan("np")) {
                            if (random.nextInt(3) == 0) {
                                tx.delete(r);
                                break;
                            }
                        }
                    }
                    tx.insert("txlog", txid);
                    tx.commit();
                    break;
                } catch (DuetException e) {
                    if (e.state() != SqlState.SERIALIZATION_FAILURE && e.state() != SqlState.UNIQUE_VIOLATION) {
                        throw e;
                    }
                }
            }
            CrashWorker.emit("ACK " + txid);
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
