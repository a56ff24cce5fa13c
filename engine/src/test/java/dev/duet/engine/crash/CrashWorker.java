package dev.duet.engine.crash;

import dev.duet.core.DuetException;
import dev.duet.core.SqlState;
import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;

/**
 * The child process of the crash tests, run in its own JVM and killed with {@code kill -9}.
 *
 * <p>{@code work <dir> <round> <seed>}: opens the database, creates the schema if absent, then
 * runs {@link #THREADS} committing threads and a thread that checkpoints in a loop. Every
 * transaction writes three {@code parts} rows, bumps its thread's {@code counters} row and moves
 * money between two {@code accounts}; once {@code commit()} has returned it prints {@code ACK
 * <txid>}. Checkpoints are bracketed by {@code CKPT-BEGIN <n>} / {@code CKPT-END <n> <ms>}. A
 * fifth thread creates and drops small tables ({@code DDL-CREATE <name>} / {@code DDL-DROP
 * <name>}), so that recovery of catalog changes is killed too. It never exits by itself; any
 * unexpected error prints {@code ERROR} and exits with status 2.
 *
 * <p>{@code hold <dir> <firstId> <count>}: opens the database, inserts {@code count} rows into
 * {@code held} (ids from {@code firstId}, one commit each, each acknowledged), prints {@code
 * READY} and keeps the database open until killed.
 *
 * <p>{@code iterate-checkpoint <dir>}: see {@link #iterateCheckpoint}.
 *
 * <p>{@code index <dir> <round> <seed>}: see {@link IndexCrashWorker}.
 *
 * <p>{@code columns <dir> <round> <seed>}: see {@link ColumnCrashWorker}.
 *
 * <p>{@code bulk <dir> <round> <seed>}: see {@link BulkCrashWorker}.
 *
 * <p>{@code delta <dir> <round> <seed>}: see {@link DeltaCrashWorker}.
 *
 * <p>Every line is written with one write and flushed, so the parent never sees an acknowledgement
 * before the commit returned; a line cut by the kill has no newline and is ignored by the parent.
 */
public final class CrashWorker {
    static final int THREADS = 3;
    static final int ACCOUNTS = 100;
    static final long INITIAL_BALANCE = 1_000;
    static final int PARTS_PER_TX = 3;
    /** txid = round * ROUND_STRIDE + thread * THREAD_STRIDE + seq (seq from 1). */
    static final long ROUND_STRIDE = 1_000_000_000L;
    static final long THREAD_STRIDE = 100_000_000L;

    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), false,
            StandardCharsets.US_ASCII);

    private CrashWorker() {
    }

    /** The settings the worker runs with: checkpoints and WAL segment turnover happen constantly. */
    /**
     * Starts {@code threads} and waits for them: they loop until the parent kills this JVM. A thread
     * that fails reports {@code ERROR} and ends the JVM with status 2, so the parent sees the failure.
     */
    static void runUntilKilled(List<Thread> threads) throws InterruptedException {
        for (Thread th : threads) {
            th.setUncaughtExceptionHandler((failed, e) -> {
                emit("ERROR " + failed.getName() + ": " + e);
                e.printStackTrace();
                System.exit(2);
            });
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
    }

    static DuetConfig workerConfig() {
        return DuetConfig.defaults().withRowStore(RowStoreOptions.defaults()
                .withFsync(true)
                .withCheckpointWalBytes(256 << 10)
                .withWalSegmentBytes(64 << 10)
                .withCheckpointInterval(Duration.ofMillis(500))
                .withMaintenanceInterval(Duration.ofMillis(50)));
    }

    static TableDef partsTable() {
        return TableDef.builder("parts")
                .column("txid", DataType.BIGINT)
                .column("part", DataType.INTEGER)
                .column("thread", DataType.INTEGER)
                .column("payload", DataType.TEXT)
                .primaryKey("txid", "part")
                .build();
    }

    static TableDef countersTable() {
        return TableDef.builder("counters")
                .column("thread", DataType.INTEGER)
                .column("n", DataType.BIGINT)
                .column("last_txid", DataType.BIGINT)
                .primaryKey("thread")
                .build();
    }

    static TableDef accountsTable() {
        return TableDef.builder("accounts")
                .column("id", DataType.INTEGER)
                .column("balance", DataType.BIGINT)
                .column("moves", DataType.BIGINT)
                .primaryKey("id")
                .build();
    }

    /** The payload of one parts row: derived from its key, so that a damaged row is detected. */
    static String payload(long txid, int part) {
        StringBuilder sb = new StringBuilder(96);
        sb.append(txid).append('/').append(part).append(':');
        long h = txid * 0x9E3779B97F4A7C15L + part;
        while (sb.length() < 90) {
            h ^= h >>> 29;
            h *= 0xBF58476D1CE4E5B9L;
            sb.append((char) ('a' + (int) ((h >>> 40) % 26)));
        }
        return sb.toString();
    }

    static int threadOf(long txid) {
        return (int) ((txid % ROUND_STRIDE) / THREAD_STRIDE);
    }

    static long roundOf(long txid) {
        return txid / ROUND_STRIDE;
    }

    static long seqOf(long txid) {
        return txid % THREAD_STRIDE;
    }

    static void emit(String line) {
        synchronized (OUT) {
            OUT.print(line + "\n");
            OUT.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            switch (args[0]) {
                case "work" -> work(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
                case "hold" -> hold(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
                case "iterate-checkpoint" -> iterateCheckpoint(Path.of(args[1]));
                case "index" -> IndexCrashWorker.run(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
                case "columns" -> ColumnCrashWorker.run(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
                case "bulk" -> BulkCrashWorker.run(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
                case "delta" -> DeltaCrashWorker.run(Path.of(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Throwable t) {
            emit("ERROR " + t);
            t.printStackTrace();
            System.exit(2);
        }
    }

    /** Creates the three tables and their initial rows in one transaction, so they exist all or none. */
    static void createSchemaIfAbsent(Duet db) {
        if (db.catalog().findTable("public", "parts") != null) {
            return;
        }
        try (Transaction tx = db.begin()) {
            tx.createTable(partsTable());
            tx.createTable(countersTable());
            tx.createTable(accountsTable());
            for (int t = 0; t < THREADS; t++) {
                tx.insert("counters", t, 0L, 0L);
            }
            for (int a = 0; a < ACCOUNTS; a++) {
                tx.insert("accounts", a, INITIAL_BALANCE, 0L);
            }
            tx.commit();
        }
    }

    private static void work(Path dir, int round, long seed) throws Exception {
        long t0 = System.nanoTime();
        Duet db = Duet.open(dir, workerConfig());
        emit("OPENED " + (System.nanoTime() - t0) / 1_000_000);
        createSchemaIfAbsent(db);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Random random = new Random(seed * 31 + t);
            threads.add(new Thread(() -> commitLoop(db, round, thread, random), "committer-" + t));
        }
        Random ckptRandom = new Random(seed * 31 + 97);
        threads.add(new Thread(() -> checkpointLoop(db, ckptRandom), "checkpointer"));
        Random ddlRandom = new Random(seed * 31 + 98);
        threads.add(new Thread(() -> ddlLoop(db, round, ddlRandom), "ddl"));
        for (Thread th : threads) {
            th.setUncaughtExceptionHandler((th2, e) -> {
                emit("ERROR " + th2.getName() + ": " + e);
                e.printStackTrace();
                System.exit(2);
            });
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
    }

    private static void commitLoop(Duet db, int round, int thread, Random random) {
        for (long seq = 1; ; seq++) {
            long txid = round * ROUND_STRIDE + thread * THREAD_STRIDE + seq;
            int from = random.nextInt(ACCOUNTS);
            int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            long amount = 1 + random.nextInt(50);
            while (true) {
                try {
                    commitOne(db, thread, txid, from, to, amount);
                    break;
                } catch (DuetException e) {
                    if (e.state() != SqlState.SERIALIZATION_FAILURE) {
                        throw e;
                    }
                    // first committer won; nothing of ours was applied, so retry the same txid
                }
            }
            emit("ACK " + txid);
        }
    }

    private static void commitOne(Duet db, int thread, long txid, int from, int to, long amount) {
        try (Transaction tx = db.begin()) {
            for (int p = 0; p < PARTS_PER_TX; p++) {
                tx.insert("parts", txid, p, thread, payload(txid, p));
            }
            Row c = tx.get("counters", thread);
            tx.update("counters", new Object[] {thread}, Map.of("n", (Long) c.get("n") + 1, "last_txid", txid));
            Row a = tx.get("accounts", from);
            Row b = tx.get("accounts", to);
            tx.update("accounts", new Object[] {from},
                    Map.of("balance", (Long) a.get("balance") - amount, "moves", (Long) a.get("moves") + 1));
            tx.update("accounts", new Object[] {to},
                    Map.of("balance", (Long) b.get("balance") + amount, "moves", (Long) b.get("moves") + 1));
            tx.commit();
        }
    }

    private static void checkpointLoop(Duet db, Random random) {
        for (long n = 1; ; n++) {
            emit("CKPT-BEGIN " + n);
            long t0 = System.nanoTime();
            db.checkpoint();
            emit("CKPT-END " + n + " " + (System.nanoTime() - t0) / 1_000_000 + "ms");
            try {
                // Idle gaps, so that a random kill lands outside a checkpoint about as often as inside.
                Thread.sleep(random.nextInt(600));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static String ddlTable(int round, int seq) {
        return "ddl_r" + round + "_" + seq;
    }

    /**
     * Catalog churn: creates table {@code ddl_r<round>_<seq>} holding one row (one transaction),
     * and drops the table created two steps earlier (another transaction); one operation at a time,
     * each acknowledged with {@code DDL-CREATE <name>} / {@code DDL-DROP <name>}.
     */
    private static void ddlLoop(Duet db, int round, Random random) {
        try {
            for (int seq = 1; ; seq++) {
                String name = ddlTable(round, seq);
                try (Transaction tx = db.begin()) {
                    tx.createTable(TableDef.builder(name).column("id", DataType.INTEGER).column("v", DataType.TEXT)
                            .primaryKey("id").build());
                    tx.insert(name, 1, name);
                    tx.commit();
                }
                emit("DDL-CREATE " + name);
                Thread.sleep(random.nextInt(150));
                if (seq > 2) {
                    String old = ddlTable(round, seq - 2);
                    db.dropTable(old);
                    emit("DDL-DROP " + old);
                    Thread.sleep(random.nextInt(150));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Opens the database (so this process owns it, as a recovering process does), then does what
     * recovery does to the current checkpoint map — opens it as {@code Checkpointer.load} does and
     * iterates it — but stops inside the iteration (Chronicle Map holds the segment's lock while it
     * hands out the segment's entries), prints {@code ITERATING} and waits to be killed: a crash
     * during recovery, at a deterministic point.
     */
    private static void iterateCheckpoint(Path dir) throws Exception {
        Duet db = Duet.open(dir);
        emit("OPENED " + db.rowStore().lastCommitTimestamp());
        Path map;
        try (Stream<Path> s = Files.list(dir)) {
            map = s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+\\.cmap")).sorted()
                    .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("no checkpoint map in " + dir));
        }
        ChronicleMap<byte[], byte[]> m = ChronicleMapBuilder.of(byte[].class, byte[].class)
                .name("duet-checkpoint")
                .createPersistedTo(map.toFile());
        m.forEachEntry(e -> {
            emit("ITERATING " + map.getFileName());
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static void hold(Path dir, long firstId, int count) throws Exception {
        Duet db = Duet.open(dir);
        for (int i = 0; i < count; i++) {
            db.insert("held", firstId + i, "child-" + (firstId + i));
            emit("ACK " + (firstId + i));
        }
        emit("READY");
        Thread.sleep(Long.MAX_VALUE);
    }
}
