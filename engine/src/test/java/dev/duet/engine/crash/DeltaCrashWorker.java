package dev.duet.engine.crash;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.rowstore.Transaction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The {@code delta <dir> <round> <seed>} mode of {@link CrashWorker}: one thread commits
 * transactions of {@link #ops} on table {@code kv} (upserts and deletes of random keys, never DDL,
 * so that checkpoints after the first are deltas) and prints {@code ACK <seq>} after each;
 * another checkpoints in a loop with short gaps, bracketed by {@code CKPT-BEGIN <n>} /
 * {@code CKPT-END <n>}, so that kills land inside delta checkpoints.
 */
final class DeltaCrashWorker {
    static final int KEYS = 3_000;

    private DeltaCrashWorker() {
    }

    /** One change of a transaction: value null deletes the key. */
    record Op(long key, Long value) {
    }

    /** The changes of transaction {@code seq} of the worker started with {@code seed}: what the parent replays. */
    static List<Op> ops(long seed, long seq) {
        Random r = new Random(seed * 1_000_003L + seq);
        int n = 1 + r.nextInt(8);
        Op[] ops = new Op[n];
        for (int i = 0; i < n; i++) {
            long key = r.nextInt(KEYS);
            ops[i] = new Op(key, r.nextInt(4) == 0 ? null : seed % 1_000_000 * 1_000_000_000L + seq * 10 + i);
        }
        return List.of(ops);
    }

    static void run(Path dir, int round, long seed) throws InterruptedException {
        Duet db = Duet.open(dir, CrashWorker.workerConfig());
        CrashWorker.emit("OPENED");
        if (db.catalog().findTable("public", "kv") == null) {
            try (Transaction tx = db.begin()) {
                tx.createTable(TableDef.builder("kv").column("k", DataType.BIGINT).column("v", DataType.BIGINT)
                        .primaryKey("k").build());
                tx.commit();
            }
        }
        Thread committer = new Thread(() -> {
            for (long seq = 1; ; seq++) {
                try (Transaction tx = db.begin()) {
                    for (Op op : ops(seed, seq)) {
                        if (op.value() == null) {
                            tx.delete("kv", op.key());
                        } else if (tx.get("kv", op.key()) != null) {
                            tx.update("kv", new Object[] {op.key()}, Map.of("v", op.value()));
                        } else {
                            tx.insert("kv", op.key(), op.value());
                        }
                    }
                    tx.commit();
                }
                CrashWorker.emit("ACK " + seq);
            }
        }, "committer");
        Random ckptRandom = new Random(seed + 1);
        Thread checkpointer = new Thread(() -> {
            for (long n = 1; ; n++) {
                CrashWorker.emit("CKPT-BEGIN " + n);
                db.checkpoint();
                CrashWorker.emit("CKPT-END " + n);
                try {
                    Thread.sleep(ckptRandom.nextInt(30));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "checkpointer");
        CrashWorker.runUntilKilled(List.of(committer, checkpointer));
    }
}
