package dev.duet.engine.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.RowStoreOptions;
import dev.duet.rowstore.Transaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta checkpoints after {@code kill -9}: a {@link DeltaCrashWorker} commits upserts and deletes
 * (no DDL, so checkpoints after the first write deltas) while another thread checkpoints
 * almost continuously; it is killed in each of {@link #ROUNDS} rounds, every other round shortly
 * after a checkpoint began. After each kill the database is reopened here and must hold exactly
 * the state after the acknowledged transactions, or after one more (the one in flight): the parent
 * replays the worker's deterministic operations on a model.
 */
class DeltaCrashTest {
    private static final int ROUNDS = 10;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void exactlyTheAcknowledgedStateSurvives() throws Exception {
        Random random = new Random(0xDE17AL);
        Path db = tmp.resolve("db");
        TreeMap<Long, Long> model = new TreeMap<>();
        int killsInCheckpoint = 0;
        int killsWithDeltas = 0;
        List<String> log = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            long seed = random.nextLong();
            long acked = 0;
            boolean inCheckpoint = false;
            try (ChildJvm child = ChildJvm.start(tmp.resolve("delta-" + round + ".err"), "delta", db.toString(),
                    Integer.toString(round), Long.toString(seed))) {
                if (!child.awaitLines(l -> l.startsWith("ACK "), 200, Duration.ofSeconds(120))) {
                    fail("worker of round " + round + " ended early: " + child.drain() + "\n" + child.stderrTail());
                }
                if (round % 2 == 0) {
                    int from = child.lineCount();
                    if (!child.awaitLineAfter(from, l -> l.startsWith("CKPT-BEGIN "), Duration.ofSeconds(60))) {
                        fail("worker of round " + round + " started no checkpoint\n" + child.stderrTail());
                    }
                    Thread.sleep(random.nextInt(5));
                } else {
                    Thread.sleep(random.nextInt(1000));
                }
                child.kill9();
                String lastCkpt = null;
                for (String line : child.drain()) {
                    if (line.startsWith("ERROR")) {
                        fail("worker of round " + round + " failed: " + line + "\n" + child.stderrTail());
                    } else if (line.startsWith("ACK ")) {
                        acked = Math.max(acked, Long.parseLong(line.substring(4).trim()));
                    } else if (line.startsWith("CKPT-")) {
                        lastCkpt = line;
                    }
                }
                inCheckpoint = lastCkpt != null && lastCkpt.startsWith("CKPT-BEGIN");
            }
            long maps;
            try (Stream<Path> files = Files.list(db)) {
                maps = files.filter(p -> p.getFileName().toString().endsWith(".delta")).count();
            }
            killsInCheckpoint += inCheckpoint ? 1 : 0;
            killsWithDeltas += maps > 0 ? 1 : 0;
            for (long seq = 1; seq <= acked; seq++) {
                apply(model, DeltaCrashWorker.ops(seed, seq));
            }
            TreeMap<Long, Long> withInFlight = new TreeMap<>(model);
            apply(withInFlight, DeltaCrashWorker.ops(seed, acked + 1));
            TreeMap<Long, Long> found = new TreeMap<>();
            try (Duet d = Duet.open(db, DuetConfig.defaults().withRowStore(RowStoreOptions.defaults().withCheckpointOnClose(false)));
                    Transaction tx = d.begin(true)) {
                for (Row r : tx.scan("kv")) {
                    found.put((Long) r.get("k"), (Long) r.get("v"));
                }
            }
            boolean inFlightSurvived = !found.equals(model) && found.equals(withInFlight);
            if (!found.equals(model) && !inFlightSurvived) {
                fail("round " + round + ": after " + acked + " acknowledged transactions the database holds "
                        + found.size() + " rows, the model " + model.size() + "; differences: " + differences(model, found));
            }
            if (inFlightSurvived) {
                model = withInFlight;
            }
            log.add(String.format("round %d: %d ACKs, kill %s checkpoint, %d delta files, %d rows%s", round, acked,
                    inCheckpoint ? "during a" : "outside", maps, found.size(), inFlightSurvived ? ", in-flight survived" : ""));
        }
        log.forEach(System.out::println);
        assertTrue(killsInCheckpoint >= 1, "no kill hit a running checkpoint: " + log);
        assertTrue(killsWithDeltas >= 1, "no kill found deltas on disk: " + log);
    }

    private static void apply(Map<Long, Long> state, List<DeltaCrashWorker.Op> ops) {
        for (DeltaCrashWorker.Op op : ops) {
            if (op.value() == null) {
                state.remove(op.key());
            } else {
                state.put(op.key(), op.value());
            }
        }
    }

    private static String differences(Map<Long, Long> expected, Map<Long, Long> found) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            if (!e.getValue().equals(found.get(e.getKey()))) {
                out.add(e.getKey() + ": expected " + e.getValue() + ", found " + found.get(e.getKey()));
            }
        }
        for (Map.Entry<Long, Long> e : found.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                out.add(e.getKey() + ": expected none, found " + e.getValue());
            }
        }
        return out.size() > 20 ? out.subList(0, 20) + " ..." : out.toString();
    }
}
