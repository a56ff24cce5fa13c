package dev.duet.jmh;

import dev.duet.datasets.tpch.TpchGenerator;
import dev.duet.datasets.tpch.TpchLoader;
import dev.duet.datasets.tpch.TpchSchema;
import dev.duet.engine.Duet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
 * Loading TPC-H at {@link #sf} into a new file-backed database, single shot: Duet ({@code duet},
 * {@code TpchLoader} through the bulk path, {@code Duet.appender}, one commit per 50,000 rows;
 * {@code duet-insert}, the same through {@code Transaction.insert} row by row, the path before the
 * bulk one; both with async durability; the
 * time ends when the last transaction has committed, the column store's catching up afterwards is
 * printed, not measured) beside DuckDB ({@code duckdb}, the datasets test-jar's Appender load,
 * primary keys added after each table's rows). Both consume the same generator, whose text pool
 * is built before the first measurement so neither pays for it. The database is closed and
 * deleted after each load, outside the measurement.
 *
 * <pre>java -jar jmh/target/benchmarks.jar TpchLoadBenchmark -p sf=1 -jvmArgs -Xmx16g</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(1)
public class TpchLoadBenchmark extends DuetBenchmark {
    @Param({"1"})
    public double sf;

    @Param({"duet", "duet-insert", "duckdb"})
    public String target;

    private Path dir;
    private Duet duet;
    private Connection duck;

    @Setup(Level.Trial)
    public void warmGenerator() {
        // run without forks after TpchBenchmark, this JVM may still hold its databases
        TpchDatabases.closeShared();
        // the first generated row builds the generator's shared text pool (about a second)
        TpchGenerator.rows(TpchSchema.LINEITEM, sf).iterator().next();
    }

    @Setup(Level.Iteration)
    public void createDir() {
        dir = ScratchDir.create("load-" + target);
    }

    @Benchmark
    public void load() throws SQLException {
        switch (target) {
            case "duet" -> {
                duet = Duet.open(dir.resolve("duet"), TpchDatabases.asyncDurability());
                TpchLoader.load(duet, sf);
            }
            case "duet-insert" -> {
                duet = Duet.open(dir.resolve("duet"), TpchDatabases.asyncDurability());
                TpchLoader.load(duet, sf, TpchLoader.DEFAULT_BATCH_ROWS, TpchLoader.Listener.NONE, TpchLoader.Method.INSERT);
            }
            case "duckdb" -> duck = TpchDatabases.loadDuckDb(dir, sf);
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
    }

    @TearDown(Level.Iteration)
    public void closeAndDelete() throws SQLException {
        try {
            if (duet != null) {
                long start = System.nanoTime();
                TpchDatabases.awaitColumnStore(duet);
                System.out.printf(Locale.ROOT, "%nDuet: column store caught up %.1f s after the load%n",
                        (System.nanoTime() - start) / 1e9);
                duet.close();
                duet = null;
            }
            if (duck != null) {
                duck.close();
                duck = null;
            }
        } finally {
            ScratchDir.delete(dir);
        }
    }
}
