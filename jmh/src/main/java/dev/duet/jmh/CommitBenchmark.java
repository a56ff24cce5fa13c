package dev.duet.jmh;

import dev.duet.core.catalog.TableDef;
import dev.duet.core.types.DataType;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-row insert commits per second into a file-backed database, with 1 and with 16 committing
 * threads, in {@code FSYNC} durability (commit returns once the WAL is forced) and {@code ASYNC}
 * (the WAL is forced by a background thread every 10 ms). With FSYNC one thread is bounded by the
 * fsync rate ({@link FsyncBenchmark}); 16 threads show how many commits group commit shares per
 * fsync. Every thread inserts its own keys (thread index * 2^40 + counter), so commits never
 * conflict.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class CommitBenchmark extends DuetBenchmark {
    static final String VALUE = "commit-benchmark-row";

    /** One database per trial, shared by the benchmark's threads. */
    @State(Scope.Benchmark)
    public static class Db {
        @Param({"FSYNC", "ASYNC"})
        public DuetConfig.Durability durability;

        Path dir;
        Duet db;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            dir = ScratchDir.create("commit");
            db = Duet.open(dir.resolve("db"), DuetConfig.defaults().withDurability(durability));
            db.createTable(TableDef.builder("t")
                    .column("id", DataType.BIGINT).column("v", DataType.TEXT)
                    .primaryKey("id").build());
            // The first checkpoint in a JVM generates Chronicle Map code for seconds: do it here,
            // not in a background checkpoint during measurement.
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

    /** A thread's own key range. */
    @State(Scope.Thread)
    public static class Keys {
        long next;

        @Setup(Level.Trial)
        public void init(Db db) {
            next = (long) db.threads.getAndIncrement() << 40;
        }
    }

    @Benchmark
    @Threads(1)
    public void insertCommit1Thread(Db db, Keys keys) {
        db.db.insert("t", keys.next++, VALUE);
    }

    @Benchmark
    @Threads(16)
    public void insertCommit16Threads(Db db, Keys keys) {
        db.db.insert("t", keys.next++, VALUE);
    }
}
