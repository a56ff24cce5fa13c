package dev.duet.jmh;

import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.Row;
import dev.duet.rowstore.Transaction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to open a file-backed database of 1M {@link SampleTable} rows, as a user sees it: the first
 * {@code Duet.open} in a fresh JVM (which includes Chronicle Map's runtime code generation for the
 * checkpoint), one measurement per fork. The database is produced by a child JVM
 * ({@link DatabaseGenerator}) so that nothing of Duet is loaded or warmed up in the measuring JVM:
 *
 * <ul>
 *   <li>{@code clean}: the child closed the database (final checkpoint of all 1M rows, empty WAL tail);
 *   <li>{@code crash}: the child checkpointed after 500k rows, committed 500k more (each commit
 *       fsync'ed) and died with {@code Runtime.halt(0)}: open loads 500k rows from the checkpoint and
 *       replays 500k from the WAL.
 * </ul>
 *
 * Opening with default settings; after the measurement the database is checked to hold exactly
 * the 1M rows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(5)
public class OpenBenchmark extends DuetBenchmark {
    static final int ROWS = 1_000_000;

    @Param({"clean", "crash"})
    public String shutdown;

    private Path dir;
    private Path dbDir;
    private Duet db;

    @Setup(Level.Trial)
    public void generate() throws IOException, InterruptedException {
        dir = ScratchDir.create("open-" + shutdown);
        dbDir = dir.resolve("db");
        Path log = dir.resolve("generator.log");
        List<String> command = DuetBenchmark.childCommand(List.of(), DatabaseGenerator.class, dbDir.toString(),
                shutdown, Integer.toString(ROWS));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int exit = child.waitFor();
        String output = Files.readString(log);
        if (exit != 0 || !output.contains("generated " + ROWS + " rows")) {
            throw new IllegalStateException("database generator failed (exit " + exit + "):\n" + output);
        }
        System.out.print("[generator] " + output);
        System.out.println("[generator] files: " + listing(dbDir));
    }

    @Benchmark
    public Duet open() {
        db = Duet.open(dbDir, DuetConfig.defaults());
        return db;
    }

    @TearDown(Level.Iteration)
    public void verifyAndClose() {
        try (Transaction tx = db.begin(true)) {
            long count = tx.count(SampleTable.NAME);
            Row last = tx.get(SampleTable.NAME, (long) ROWS - 1);
            if (count != ROWS || last == null || !SampleTable.text(ROWS - 1).equals(last.get("s"))) {
                throw new IllegalStateException("reopened database holds " + count + " rows, last = " + last);
            }
        } finally {
            db.close();
        }
    }

    @TearDown(Level.Trial)
    public void delete() {
        ScratchDir.delete(dir);
    }

    private static String listing(Path dir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                sb.append(dir.relativize(p)).append(' ').append(Files.size(p) / 1024).append(" KiB; ");
            }
        }
        return sb.toString();
    }
}
