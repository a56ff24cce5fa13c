package dev.duet.engine.crash;

import static dev.duet.engine.crash.CrashWorker.ACCOUNTS;
import static dev.duet.engine.crash.CrashWorker.INITIAL_BALANCE;
import static dev.duet.engine.crash.CrashWorker.PARTS_PER_TX;
import static dev.duet.engine.crash.CrashWorker.THREADS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.core.catalog.TableDef;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance test for durability and atomicity: a {@link CrashWorker} in a child JVM commits
 * transactions (fsync durability, a checkpoint every few hundred KB of WAL plus a thread
 * checkpointing in a loop, 64 KB WAL segments) and prints each acknowledged commit; the test kills
 * it with {@code kill -9} at seeded random moments — every third round shortly after a checkpoint
 * began — and reopens the database in this JVM each time. Every acknowledged commit must be there;
 * no transaction may be half-visible; a commit not acknowledged may be there only if it was in
 * flight at the kill (at most one per committing thread, the one after its last acknowledgement);
 * the money moved between accounts must add up and every counter must match the rows it counts.
 * The worker also creates and drops small tables all the time; the tables present after each kill
 * must match the acknowledged DDL, plus at most the one operation in flight.
 *
 * <p>System properties: {@code duet.crash.seed} (default fixed), {@code duet.crash.rounds}
 * (default 22). Every eighth round kills the worker while it is still starting (loading the
 * checkpoint, replaying the WAL): a crash during recovery, see also {@link CrashDuringRecoveryTest}.
 */
class CrashTest {
    private static final long DEFAULT_SEED = 0x5EED_D0E7L;
    private static final int DEFAULT_ROUNDS = 22;
    /** Acknowledgements to wait for before the kill delay starts: the worker is past recovery and busy. */
    private static final int MIN_ACKS = 20;
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    /** Txids the parent has seen committed in an earlier round: they must stay forever. */
    private final Set<Long> everSeen = new HashSet<>();
    /** Every txid any worker acknowledged. */
    private final Set<Long> allAcked = new HashSet<>();
    /** The ddl_* tables the last verification found (consistent with the acknowledged DDL). */
    private final Set<String> ddlTables = new TreeSet<>();

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void everyAcknowledgedCommitSurvivesKillNine() throws Exception {
        long seed = Long.getLong("duet.crash.seed", DEFAULT_SEED);
        int rounds = Integer.getInteger("duet.crash.rounds", DEFAULT_ROUNDS);
        boolean startupKills = true;
        System.out.printf("CrashTest seed=%d (0x%x) rounds=%d startupKills=%s (rerun with -Dduet.crash.seed=%d)%n",
                seed, seed, rounds, startupKills, seed);
        Random random = new Random(seed);
        Path db = tmp.resolve("db");
        long testStart = System.nanoTime();

        int killsDuringCheckpoint = 0;
        int killsDuringCommits = 0;
        int killsBeforeOpened = 0;
        int inFlightSurvived = 0;
        int ddlAcked = 0;
        int ddlInFlight = 0;
        long totalAcks = 0;
        List<Long> openMillis = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            long roundStart = System.nanoTime();
            // Every third round aims at a checkpoint: kill shortly after a CKPT-BEGIN line. With
            // startupKills, every eighth kills at a random moment of the start (usually recovery:
            // loading the checkpoint, replaying and cutting the WAL) instead of waiting for commits.
            KillMode mode = startupKills && round % 8 == 0 ? KillMode.STARTUP
                    : round % 3 == 0 ? KillMode.CHECKPOINT : KillMode.RANDOM;
            int delayMillis = switch (mode) {
                case STARTUP -> 150 + random.nextInt(1800);
                case CHECKPOINT -> random.nextInt(40);
                case RANDOM -> random.nextInt(1500);
            };
            long workerSeed = random.nextLong();
            Path stderr = tmp.resolve("worker-" + round + ".err");
            List<String> out;
            String tail;
            try (ChildJvm child = ChildJvm.start(stderr, "work", db.toString(), Integer.toString(round), Long.toString(workerSeed))) {
                if (mode != KillMode.STARTUP && !child.awaitLines(l -> l.startsWith("ACK "), MIN_ACKS, STARTUP_TIMEOUT)) {
                    fail("worker of round " + round + " ended before " + MIN_ACKS + " commits: " + child.drain() + "\n" + child.stderrTail());
                }
                if (mode == KillMode.CHECKPOINT) {
                    int from = child.lineCount();
                    if (!child.awaitLineAfter(from, l -> l.startsWith("CKPT-BEGIN "), Duration.ofSeconds(60))) {
                        fail("worker of round " + round + " started no checkpoint within 60 s\n" + child.stderrTail());
                    }
                }
                Thread.sleep(delayMillis);
                if (!child.isAlive()) {
                    fail("worker of round " + round + " died by itself: " + child.drain() + "\n" + child.stderrTail());
                }
                child.kill9();
                out = child.drain();
                tail = child.partialTail();
                for (String line : out) {
                    if (line.startsWith("ERROR")) {
                        fail("worker of round " + round + " failed before the kill: " + line + "\n" + child.stderrTail());
                    }
                }
            }

            Set<Long> acked = new HashSet<>();
            List<String> ddlOps = new ArrayList<>();
            String lastCkpt = null;
            String openedMs = null;
            for (String line : out) {
                if (line.startsWith("ACK ")) {
                    acked.add(Long.parseLong(line.substring(4).trim()));
                } else if (line.startsWith("CKPT-")) {
                    lastCkpt = line;
                } else if (line.startsWith("DDL-")) {
                    ddlOps.add(line);
                } else if (line.startsWith("OPENED ")) {
                    openedMs = line.substring(7);
                }
            }
            boolean inCheckpoint = lastCkpt != null && lastCkpt.startsWith("CKPT-BEGIN");
            if (inCheckpoint) {
                killsDuringCheckpoint++;
            }
            if (openedMs == null) {
                killsBeforeOpened++;
            } else if (!acked.isEmpty()) {
                killsDuringCommits++;
            }
            allAcked.addAll(acked);
            totalAcks += acked.size();
            String files = describeFiles(db);

            long t0 = System.nanoTime();
            RoundResult r;
            try (Duet d = Duet.open(db, parentConfig())) {
                long opened = (System.nanoTime() - t0) / 1_000_000;
                openMillis.add(opened);
                r = verify(d, round, acked);
                ddlInFlight += verifyDdl(d, round, ddlOps) ? 1 : 0;
                ddlAcked += ddlOps.size();
                System.out.printf("round %2d: %s delay %4d ms, %5d ACKs (%d in total), kill %s checkpoint (%s),"
                                + " %d DDL acks, cut line '%s'; files at kill: %s; worker open %s ms, parent open %d ms;"
                                + " %d txns present, %d in-flight survived; round %d ms%n",
                        round, mode.label, delayMillis, acked.size(), allAcked.size(),
                        inCheckpoint ? "DURING" : "outside", lastCkpt == null ? "none started" : lastCkpt,
                        ddlOps.size(), tail, files, openedMs == null ? "(not done)" : openedMs, opened,
                        r.present, r.inFlight, (System.nanoTime() - roundStart) / 1_000_000);
            }
            inFlightSurvived += r.inFlight;
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - testStart);
        System.out.printf("CrashTest done: %d kills (%d while committing, %d during a checkpoint, %d before the worker had"
                        + " opened the database), %d ACKs verified (%d txns present at the end), %d unacknowledged in-flight"
                        + " commits survived, %d DDL acks verified (%d unacknowledged in-flight DDL survived, %d ddl tables at"
                        + " the end), parent open ms %s, %d s in total, seed %d%n",
                rounds, killsDuringCommits, killsDuringCheckpoint, killsBeforeOpened, totalAcks, everSeen.size(),
                inFlightSurvived, ddlAcked, ddlInFlight, ddlTables.size(), openMillis, seconds, seed);
        assertTrue(killsDuringCommits >= 20, "the acceptance test needs at least 20 kills while committing, got "
                + killsDuringCommits + " (rounds: " + rounds + ")");
        assertTrue(killsDuringCheckpoint >= 1, "no kill hit a running checkpoint in " + rounds + " rounds");
    }

    private enum KillMode {
        RANDOM("random    "), CHECKPOINT("ckpt-aimed"), STARTUP("startup   ");

        final String label;

        KillMode(String label) {
            this.label = label;
        }
    }

    /** The parent only reads: it must not checkpoint, so the next worker recovers what the last one left. */
    private static DuetConfig parentConfig() {
        return DuetConfig.defaults().withRowStore(RowStoreOptions.defaults().withCheckpointOnClose(false));
    }

    private record RoundResult(int present, int inFlight) {
    }

    /**
     * Checks the recovered database against everything the workers acknowledged so far. Reads all
     * three tables at one snapshot.
     */
    private RoundResult verify(Duet db, int round, Set<Long> ackedThisRound) {
        Map<Long, Integer> partsByTx = new TreeMap<>();
        List<Row> counters;
        List<Row> accounts;
        try (Transaction tx = db.begin(true)) {
            for (Row row : tx.scan("parts")) {
                long txid = (Long) row.get("txid");
                int part = (Integer) row.get("part");
                String where = "round " + round + ": parts row (" + txid + ", " + part + ")";
                assertTrue(part >= 0 && part < PARTS_PER_TX, where + " has a bad part number");
                assertEquals(CrashWorker.threadOf(txid), (Integer) row.get("thread"), where + " has the wrong thread");
                assertEquals(CrashWorker.payload(txid, part), row.get("payload"), where + " has a damaged payload");
                partsByTx.merge(txid, 1 << part, (a, b) -> a | b);
            }
            counters = tx.scan("counters").toList();
            accounts = tx.scan("accounts").toList();
        }

        // Atomicity: each transaction wrote PARTS_PER_TX rows; all or none must be visible.
        int all = (1 << PARTS_PER_TX) - 1;
        for (Map.Entry<Long, Integer> e : partsByTx.entrySet()) {
            if (e.getValue() != all) {
                fail("round " + round + ": transaction " + e.getKey() + " is half-visible: parts bitmask "
                        + Integer.toBinaryString(e.getValue()));
            }
        }
        Set<Long> present = partsByTx.keySet();

        // Durability: every acknowledged commit, and every commit seen in an earlier round, is there.
        List<Long> lost = new ArrayList<>();
        for (long txid : allAcked) {
            if (!present.contains(txid)) {
                lost.add(txid);
            }
        }
        for (long txid : everSeen) {
            if (!present.contains(txid) && !allAcked.contains(txid)) {
                lost.add(txid);
            }
        }
        if (!lost.isEmpty()) {
            lost.sort(null);
            fail("round " + round + ": " + lost.size() + " committed transactions are lost, e.g. "
                    + lost.subList(0, Math.min(20, lost.size())));
        }

        // Unacknowledged commits: only this round's, only one per thread, right after its last ACK.
        long[] lastAckedSeq = new long[THREADS];
        for (long txid : ackedThisRound) {
            assertEquals(round, CrashWorker.roundOf(txid), "ACK of another round: " + txid);
            int t = CrashWorker.threadOf(txid);
            lastAckedSeq[t] = Math.max(lastAckedSeq[t], CrashWorker.seqOf(txid));
        }
        int inFlight = 0;
        for (long txid : present) {
            if (allAcked.contains(txid) || everSeen.contains(txid)) {
                continue;
            }
            int t = CrashWorker.threadOf(txid);
            if (CrashWorker.roundOf(txid) != round || CrashWorker.seqOf(txid) != lastAckedSeq[t] + 1) {
                fail("round " + round + ": transaction " + txid + " is present but was never acknowledged and was not"
                        + " in flight at the kill (thread " + t + " last acknowledged seq " + lastAckedSeq[t] + ")");
            }
            inFlight++;
        }

        // A thread commits its transactions one after another, each durable before the next begins:
        // per (round, thread) the present sequence numbers are exactly 1..m.
        Map<Long, long[]> seqStats = new HashMap<>(); // key round*THREADS+thread -> {count, max}
        for (long txid : present) {
            long key = CrashWorker.roundOf(txid) * THREADS + CrashWorker.threadOf(txid);
            long[] s = seqStats.computeIfAbsent(key, k -> new long[2]);
            s[0]++;
            s[1] = Math.max(s[1], CrashWorker.seqOf(txid));
        }
        for (Map.Entry<Long, long[]> e : seqStats.entrySet()) {
            if (e.getValue()[0] != e.getValue()[1]) {
                fail("round " + round + ": commits of round " + e.getKey() / THREADS + " thread " + e.getKey() % THREADS
                        + " have a hole: " + e.getValue()[0] + " present but the highest sequence is " + e.getValue()[1]);
            }
        }

        // Counters: each thread's row counts its transactions and names the newest.
        assertEquals(THREADS, counters.size(), "round " + round + ": counters rows");
        for (Row c : counters) {
            int t = (Integer) c.get("thread");
            long n = 0;
            long last = 0;
            for (long txid : present) {
                if (CrashWorker.threadOf(txid) == t) {
                    n++;
                    last = Math.max(last, txid);
                }
            }
            assertEquals(n, (long) (Long) c.get("n"), "round " + round + ": counter n of thread " + t);
            assertEquals(last, (long) (Long) c.get("last_txid"), "round " + round + ": counter last_txid of thread " + t);
        }

        // Accounts: transfers conserve money; each transaction touched exactly two accounts.
        assertEquals(ACCOUNTS, accounts.size(), "round " + round + ": accounts rows");
        long balance = 0;
        long moves = 0;
        for (Row a : accounts) {
            balance += (Long) a.get("balance");
            moves += (Long) a.get("moves");
        }
        assertEquals(ACCOUNTS * INITIAL_BALANCE, balance, "round " + round + ": total balance");
        assertEquals(2L * present.size(), moves, "round " + round + ": account moves vs transactions present");

        everSeen.addAll(present);
        return new RoundResult(present.size(), inFlight);
    }

    /**
     * Checks the ddl_* tables: the state of the last round with this round's acknowledged creates
     * and drops applied, plus possibly the one operation that was in flight at the kill (the DDL
     * thread does one at a time). Each table holds its one row. Returns whether the in-flight
     * operation is visible.
     */
    private boolean verifyDdl(Duet db, int round, List<String> ops) {
        Set<String> expected = new TreeSet<>(ddlTables);
        int lastSeq = 0;
        boolean lastWasCreate = false;
        for (String op : ops) {
            String name = op.substring(op.indexOf(' ') + 1);
            int seq = Integer.parseInt(name.substring(name.lastIndexOf('_') + 1));
            if (op.startsWith("DDL-CREATE ")) {
                assertTrue(expected.add(name), "round " + round + ": acknowledged create of existing " + name);
                lastSeq = seq;
                lastWasCreate = true;
            } else {
                assertTrue(expected.remove(name), "round " + round + ": acknowledged drop of absent " + name);
                lastWasCreate = false;
            }
        }
        Set<String> withNext = new TreeSet<>(expected);
        if (lastWasCreate && lastSeq >= 3) {
            withNext.remove(CrashWorker.ddlTable(round, lastSeq - 2));
        } else {
            withNext.add(CrashWorker.ddlTable(round, lastSeq + 1));
        }
        Set<String> actual = new TreeSet<>();
        try (Transaction tx = db.begin(true)) {
            for (TableDef t : tx.catalog().tables("public")) {
                if (t.name().startsWith("ddl_")) {
                    actual.add(t.name());
                    List<Row> rows = tx.scan(t.name()).toList();
                    assertEquals(1, rows.size(), "round " + round + ": rows of " + t.name());
                    assertEquals(t.name(), rows.get(0).get("v"), "round " + round + ": row of " + t.name());
                }
            }
        }
        if (!actual.equals(expected) && !actual.equals(withNext)) {
            fail("round " + round + ": ddl tables " + actual + " are neither the acknowledged state " + expected
                    + " nor that plus the operation in flight " + withNext);
        }
        ddlTables.clear();
        ddlTables.addAll(actual);
        return !actual.equals(expected);
    }

    /** "3 wal segments, 1 checkpoint map, meta" — to show that segments and checkpoints turn over. */
    private static String describeFiles(Path db) throws IOException {
        long wal = 0;
        if (Files.isDirectory(db.resolve("wal"))) {
            try (Stream<Path> s = Files.list(db.resolve("wal"))) {
                wal = s.filter(p -> p.toString().endsWith(".wal")).count();
            }
        }
        List<String> maps = new ArrayList<>();
        try (Stream<Path> s = Files.list(db)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cmap") || n.endsWith(".delta"))
                    .sorted().forEach(n -> maps.add(n.replaceAll("checkpoint-0*(\\d)", "gen $1").replace(".cmap", "")));
        }
        return wal + " wal segments, maps " + maps + (Files.exists(db.resolve("checkpoint.meta.tmp")) ? ", meta.tmp" : "");
    }
}
