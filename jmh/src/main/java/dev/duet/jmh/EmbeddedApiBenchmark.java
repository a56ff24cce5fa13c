package dev.duet.jmh;

import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedded API on a file-backed database in ASYNC durability, one thread: {@code get} by
 * primary key on a table of 1M rows (random keys from a pre-generated array; each get is its own
 * read-only transaction) and single-row autocommit {@code insert}. Targets: 500,000 gets/s and
 * 200,000 inserts/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@Threads(1)
public class EmbeddedApiBenchmark extends DuetBenchmark {
    static final int ROWS = 1_000_000;
    private static final int KEY_MASK = (1 << 20) - 1;

    static Duet openAsync(Path dir) {
        Duet db = Duet.open(dir, DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC));
        db.createTable(SampleTable.DEF);
        return db;
    }

    /** A database holding 1M rows, checkpointed, so no background checkpoint runs while measuring. */
    @State(Scope.Benchmark)
    public static class Loaded {
        Path dir;
        Duet db;
        final long[] keys = new long[KEY_MASK + 1];
        int next;

        @Setup(Level.Trial)
        public void load() {
            dir = ScratchDir.create("api-get");
            db = openAsync(dir.resolve("db"));
            SampleTable.load(db, 0, ROWS, 10_000);
            db.checkpoint();
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < keys.length; i++) {
                keys[i] = random.nextInt(ROWS);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                db.close();
            } finally {
                ScratchDir.delete(dir);
            }
        }
    }

    /** An empty table; inserts take ascending keys. */
    @State(Scope.Benchmark)
    public static class Empty {
        Path dir;
        Duet db;
        long next;

        @Setup(Level.Trial)
        public void open() {
            dir = ScratchDir.create("api-insert");
            db = openAsync(dir.resolve("db"));
            // The first checkpoint in a JVM generates Chronicle Map code for seconds: not while measuring.
            db.checkpoint();
        }

        @TearDown(Level.Trial)
        public void close() {
            try {
                db.close();
            } finally {
                ScratchDir.delete(dir);
            }
        }
    }

    @Benchmark
    public Row getByPrimaryKey(Loaded s) {
        return s.db.get(SampleTable.NAME, s.keys[s.next++ & KEY_MASK]);
    }

    @Benchmark
    public void insertAutocommit(Empty s) {
        long k = s.next++;
        s.db.insert(SampleTable.NAME, k, k * 31, SampleTable.text(k), k / 8.0);
    }
}
