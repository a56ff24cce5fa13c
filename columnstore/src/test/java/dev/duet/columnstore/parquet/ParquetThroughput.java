package dev.duet.columnstore.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Write and read speed of 1M rows × 5 columns (BIGINT, DOUBLE, DECIMAL(12,2), TEXT, TIMESTAMP)
 * per compression codec, printed, never asserted; DuckDB (threads=1) writes the same rows for a
 * same-run comparison. Off by default; run with {@code mvn -pl columnstore -am test
 * -Dtest=ParquetThroughput -Dduet.throughput=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "duet.throughput", matches = "true")
class ParquetThroughput {
    private static final int ROWS = 1_000_000;
    private static final int BATCH = 65_536;
    private static final int RUNS = Integer.getInteger("duet.throughput.runs", 3);
    private static final List<BatchColumn> COLUMNS = List.of(
            new BatchColumn("id", DataType.BIGINT, false),
            new BatchColumn("x", DataType.DOUBLE, true),
            new BatchColumn("price", DataType.decimal(12, 2), true),
            new BatchColumn("name", DataType.TEXT, true),
            new BatchColumn("ts", DataType.TIMESTAMP, true));

    @TempDir
    Path dir;

    @Test
    void writeAndRead() throws Exception {
        try (BufferAllocator allocator = new RootAllocator()) {
            for (ParquetWriteOptions.Compression c : ParquetWriteOptions.Compression.values()) {
                Path file = dir.resolve("t-" + c + ".parquet");
                for (int run = 0; run < RUNS; run++) {
                    long t0 = System.nanoTime();
                    write(file, c, allocator);
                    long t1 = System.nanoTime();
                    long read = read(file, allocator);
                    long t2 = System.nanoTime();
                    assertEquals(ROWS, read);
                    System.out.printf("%-6s run %d: write %5d ms, read %5d ms, %6.1f MB%n", c, run,
                            (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, Files.size(file) / 1e6);
                }
            }
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute("SET threads = 1");
            s.execute("CREATE TABLE t AS SELECT range AS id, range * 0.5 AS x, (range % 100000 / 100.0)::DECIMAL(12,2)"
                    + " AS price, 'name-' || (range % 1000) AS name, TIMESTAMP '2024-01-01' + range * INTERVAL 1 SECOND AS ts"
                    + " FROM range(" + ROWS + ")");
            for (int run = 0; run < RUNS; run++) {
                Path file = dir.resolve("duck" + run + ".parquet");
                long t0 = System.nanoTime();
                s.execute("COPY t TO '" + file + "' (FORMAT parquet, COMPRESSION zstd)");
                long t1 = System.nanoTime();
                s.execute("SELECT sum(id), sum(x), sum(price), max(name), max(ts) FROM read_parquet('" + file + "')");
                long t2 = System.nanoTime();
                System.out.printf("DuckDB ZSTD run %d: write %5d ms, read+aggregate %5d ms, %6.1f MB%n", run,
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, Files.size(file) / 1e6);
            }
        }
    }

    private static void write(Path file, ParquetWriteOptions.Compression c, BufferAllocator allocator) {
        try (ParquetBatchWriter w = ParquetBatchWriter.create(file, COLUMNS,
                ParquetWriteOptions.defaults().withCompression(c).withOverwrite(true));
                VectorSchemaRoot batch = Batches.create(allocator, COLUMNS)) {
            Batches.allocate(batch, BATCH);
            BigIntVector id = (BigIntVector) batch.getVector(0);
            Float8Vector x = (Float8Vector) batch.getVector(1);
            DecimalVector price = (DecimalVector) batch.getVector(2);
            VarCharVector name = (VarCharVector) batch.getVector(3);
            TimeStampMicroVector ts = (TimeStampMicroVector) batch.getVector(4);
            byte[][] names = new byte[1000][];
            for (int i = 0; i < names.length; i++) {
                names[i] = ("name-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            for (int from = 0; from < ROWS; from += BATCH) {
                int n = Math.min(BATCH, ROWS - from);
                batch.clear();
                Batches.allocate(batch, n);
                for (int i = 0; i < n; i++) {
                    long r = from + i;
                    id.set(i, r);
                    x.set(i, r * 0.5);
                    price.set(i, r % 100_000); // unscaled: 0.00 .. 999.99
                    name.setSafe(i, names[(int) (r % 1000)]);
                    ts.set(i, 1_704_067_200_000_000L + r * 1_000_000);
                }
                batch.setRowCount(n);
                w.write(batch);
            }
        }
    }

    private static long read(Path file, BufferAllocator allocator) {
        long rows = 0;
        try (ParquetBatchReader r = ParquetBatchReader.open(file)) {
            for (int g = 0; g < r.rowGroupCount(); g++) {
                try (VectorSchemaRoot b = r.readRowGroup(g, new int[] {0, 1, 2, 3, 4}, allocator)) {
                    rows += b.getRowCount();
                }
            }
        }
        return rows;
    }
}
