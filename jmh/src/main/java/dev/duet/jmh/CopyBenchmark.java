package dev.duet.jmh;

import dev.duet.engine.Duet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
 * {@code COPY lineitem TO '<dir>/l.parquet' (FORMAT parquet)} through JDBC, Duet ({@code duet})
 * beside DuckDB ({@code duckdb}, 2 threads), each file-backed and loaded with the same TPC-H rows
 * at {@link #sf}; one export per measurement (single shot), the file deleted after each. Each
 * engine writes with its own defaults (compression, row group size), so the file sizes are
 * printed after each export; the benchmark measures the statement, not identical files.
 *
 * <pre>java -jar jmh/target/benchmarks.jar CopyBenchmark -p sf=1 -f 1 -wi 1 -i 3</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class CopyBenchmark extends DuetBenchmark {
    @Param({"1"})
    public double sf;

    @Param({"duet", "duckdb"})
    public String target;

    private Path dir;
    private Path file;
    private Duet duet;
    private Connection connection;
    private String copy;
    private long copied;

    @Setup(Level.Trial)
    public void load() throws SQLException {
        dir = ScratchDir.create("copy-" + target);
        file = dir.resolve("l.parquet");
        switch (target) {
            case "duet" -> {
                duet = TpchDatabases.loadDuet(dir.resolve("duet"), sf);
                connection = duet.connect();
            }
            case "duckdb" -> connection = TpchDatabases.loadDuckDb(dir, sf);
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
        copy = "COPY lineitem TO '" + file.toAbsolutePath() + "' (FORMAT parquet)";
    }

    @TearDown(Level.Invocation)
    public void deleteFile() throws IOException {
        System.out.printf(Locale.ROOT, "%s wrote %,d rows, %,d bytes%n", target, copied, Files.size(file));
        Files.delete(file);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        try {
            try {
                connection.close();
            } finally {
                if (duet != null) {
                    duet.close();
                }
            }
        } finally {
            ScratchDir.delete(dir);
        }
    }

    @Benchmark
    public long copy() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(copy);
            copied = s.getUpdateCount();
            return copied;
        }
    }
}
