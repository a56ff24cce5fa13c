package dev.duet.jmh;

import dev.duet.columnstore.parquet.ParquetBatchWriter;
import dev.duet.columnstore.parquet.ParquetWriteOptions;
import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.types.DataType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The seal thread's cost in isolation: the CPU time of writing 1M rows of (BIGINT, VARCHAR(40),
 * INT, DECIMAL(12,2)) as the column store seals them (files of 128K rows written in one call, row
 * groups of 16K rows, ZSTD level 1 by default), per row, measured with the thread's CPU clock over several rounds
 * after warm-up rounds. Not a JMH benchmark: a plain main, so that the figure is the writer's own
 * CPU and nothing else's.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.duet.jmh.SegmentWriteCost [rounds [zstd|snappy|none [zstd level]]]</pre>
 */
public final class SegmentWriteCost {
    private static final int ROWS = 1_000_000;
    private static final int FILE_ROWS = 1 << 17;
    private static final List<BatchColumn> COLUMNS = List.of(
            new BatchColumn("id", DataType.BIGINT, false),
            new BatchColumn("name", DataType.varchar(40), true),
            new BatchColumn("qty", DataType.INTEGER, true),
            new BatchColumn("price", DataType.decimal(12, 2), true));

    private SegmentWriteCost() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        ParquetWriteOptions.Compression codec = args.length > 1 ? ParquetWriteOptions.Compression.parse(args[1])
                : ParquetWriteOptions.Compression.ZSTD;
        int level = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Path dir = Files.createTempDirectory("segment-write-cost");
        try (BufferAllocator allocator = new RootAllocator(); VectorSchemaRoot batch = fill(allocator)) {
            ParquetWriteOptions options = ParquetWriteOptions.defaults().withRowGroupRows(1 << 14).withOverwrite(true)
                    .withCompression(codec).withZstdLevel(level);
            for (int round = -2; round < rounds; round++) {
                long cpu0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long bytes = 0;
                for (int file = 0; file < ROWS / FILE_ROWS; file++) {
                    Path f = dir.resolve("s" + file + ".parquet");
                    try (ParquetBatchWriter w = ParquetBatchWriter.create(f, COLUMNS, options)) {
                        w.write(batch, 0, FILE_ROWS);
                    }
                    bytes += Files.size(f);
                }
                long cpu = mx.getCurrentThreadCpuTime() - cpu0;
                long wall = System.nanoTime() - t0;
                int rows = ROWS / FILE_ROWS * FILE_ROWS;
                System.out.printf(Locale.ROOT, "%s %d: %.0f ns CPU per row, %d ms wall, %.1f MB%n",
                        round < 0 ? "warm-up" : "round", round, (double) cpu / rows, wall / 1_000_000, bytes / 1e6);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    /** One segment's rows: ascending ids, names of a few thousand distinct values, 1 in 20 quantities NULL. */
    private static VectorSchemaRoot fill(BufferAllocator allocator) {
        VectorSchemaRoot batch = Batches.create(allocator, COLUMNS);
        Batches.allocate(batch, FILE_ROWS);
        BigIntVector id = (BigIntVector) batch.getVector(0);
        VarCharVector name = (VarCharVector) batch.getVector(1);
        IntVector qty = (IntVector) batch.getVector(2);
        DecimalVector price = (DecimalVector) batch.getVector(3);
        Random rnd = new Random(1);
        for (int i = 0; i < FILE_ROWS; i++) {
            id.set(i, 1_000_000L + i);
            name.setSafe(i, ("customer#" + rnd.nextInt(5000) + " " + Long.toHexString(rnd.nextLong()))
                    .getBytes(StandardCharsets.UTF_8));
            if (rnd.nextInt(20) == 0) {
                qty.setNull(i);
            } else {
                qty.set(i, rnd.nextInt(100));
            }
            price.set(i, rnd.nextInt(10_000_000)); // unscaled: 0.00 .. 99,999.99
        }
        batch.setRowCount(FILE_ROWS);
        return batch;
    }
}
