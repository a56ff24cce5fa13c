package dev.duet.engine.crash;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.IndexDef;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code index <dir> <round> <seed>} mode of {@link CrashWorker}: writers insert, update and
 * delete rows of table {@code ix}, which has a secondary index on {@code grp} and a unique one on
 * {@code tag}, while a thread checkpoints and another creates and drops an extra index (writers
 * that overlap it fail with 40001 and retry). Each commit prints {@code ACK <txid>}.
 *
 * <p>Transaction {@code txid} (sequence {@code s} of its thread) inserts row {@code txid} with
 * {@code grp = txid % 10} and {@code tag = "t" + txid}; when {@code s % 3 == 0} it also moves the
 * row of {@code s - 1} to {@code grp + 3} and tag {@code "u" + id}; when {@code s % 5 == 0} it
 * deletes the row of {@code s - 2}.
 */
final class IndexCrashWorker {
    static final int THREADS = 2;

    private IndexCrashWorker() {
    }

    static TableDef table() {
        return TableDef.builder("ix").column("id", DataType.BIGINT).column("grp", DataType.INTEGER)
                .column("tag", DataType.TEXT).column("pad", DataType.TEXT).primaryKey("id").build();
    }

    static long txid(int round, int thread, long seq) {
        return round * CrashWorker.ROUND_STRIDE + thread * CrashWorker.THREAD_STRIDE + seq;
    }

    static void run(Path dir, int round, long seed) throws InterruptedException {
        Duet db = Duet.open(dir, CrashWorker.workerConfig());
        CrashWorker.emit("OPENED");
        if (db.catalog().findTable("public", "ix") == null) {
            try (Transaction tx = db.begin()) {
                TableDef t = tx.createTable(table());
                tx.createIndex(IndexDef.on(t, "ix_grp", false, "grp"));
                tx.createIndex(IndexDef.on(t, "ix_tag", true, "tag"));
                tx.commit();
            }
        }
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(new Thread(() -> commitLoop(db, round, thread), "committer-" + t));
        }
        Random random = new Random(seed);
        threads.add(new Thread(() -> {
            while (true) {
                db.checkpoint();
                sleep(random.nextInt(400));
            }
        }, "checkpointer"));
        threads.add(new Thread(() -> {
            for (int n = 0; ; n++) {
                try (Transaction tx = db.begin()) {
                    tx.createIndex(IndexDef.on(tx.table("ix"), "ix_extra_" + round + "_" + n, false, "pad", "grp"));
                    tx.commit();
                }
                sleep(50 + random.nextInt(200));
                try (Transaction tx = db.begin()) {
                    tx.dropIndex("ix_extra_" + round + "_" + n);
                    tx.commit();
                }
                sleep(50 + random.nextInt(200));
            }
        }, "ddl"));
        for (Thread th : threads) {
            th.setUncaughtExceptionHandler((th2, e) -> {
                CrashWorker.emit("ERROR " + th2.getName() + ": " + e);
                e.printStackTrace();
                System.exit(2);
            });
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void commitLoop(Duet db, int round, int thread) {
        for (long seq = 1; ; seq++) {
            long txid = txid(round, thread, seq);
            while (true) {
                try (Transaction tx = db.begin()) {
                    tx.insert("ix", txid, (int) (txid % 10), "t" + txid, "p" + seq % 4);
                    if (seq % 3 == 0) {
                        long id = txid(round, thread, seq - 1);
                        int grp = (int) ((id % 10 + 3) % 10);
                        tx.update("ix", new Object[] {id}, Map.of("grp", grp, "tag", "u" + id));
                    }
                    if (seq % 5 == 0) {
                        tx.delete("ix", txid(round, thread, seq - 2));
                    }
                    tx.commit();
                    break;
                } catch (DuetException e) {
                    if (e.state() != SqlState.SERIALIZATION_FAILURE) {
                        throw e;
                    }
                }
            }
            CrashWorker.emit("ACK " + txid);
        }
    }
}
