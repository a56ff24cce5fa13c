package dev.duet.planner.exec.join;

import dev.duet.core.exec.BatchColumn;
import dev.duet.core.exec.Batches;
import dev.duet.core.exec.Operator;
import dev.duet.core.exec.QueryContext;
import dev.duet.core.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Not a test: a rough throughput probe of {@link HashJoinOperator}, run by hand (performance is
 * measured in the jmh module, never asserted in unit tests). An inner join of 1,000,000 probe rows
 * on 100,000 build rows, BIGINT key plus one BIGINT payload column each side; every probe row
 * matches exactly one build row (as lineitem against orders). Inputs are built before timing.
 *
 * <pre>
 * java --add-opens=java.base/java.nio=ALL-UNNAMED -cp ... dev.duet.planner.exec.join.HashJoinThroughput [probeRows buildRows]
 * </pre>
 */
public final class HashJoinThroughput {
    private HashJoinThroughput() {
    }

    /** Pre-built batches handed out in turn; the source keeps owning them. */
    private static final class PrebuiltSource implements Operator {
        private final List<BatchColumn> columns;
        private final List<VectorSchemaRoot> batches;
        private int next;

        PrebuiltSource(List<BatchColumn> columns, List<VectorSchemaRoot> batches) {
            this.columns = columns;
            this.batches = batches;
        }

        @Override
        public List<BatchColumn> columns() {
            return columns;
        }

        @Override
        public VectorSchemaRoot next() {
            return next < batches.size() ? batches.get(next++) : null;
        }

        @Override
        public void close() {
        }
    }

    private static List<VectorSchemaRoot> batches(BufferAllocator allocator, List<BatchColumn> columns, long[][] data, int batchRows) {
        List<VectorSchemaRoot> out = new ArrayList<>();
        int rows = data[0].length;
        for (int start = 0; start < rows; start += batchRows) {
            int n = Math.min(batchRows, rows - start);
            VectorSchemaRoot root = Batches.create(allocator, columns);
            Batches.allocate(root, n);
            for (int c = 0; c < columns.size(); c++) {
                BigIntVector v = (BigIntVector) root.getVector(c);
                for (int i = 0; i < n; i++) {
                    v.set(i, data[c][start + i]);
                }
            }
            root.setRowCount(n);
            out.add(root);
        }
        return out;
    }

    public static void main(String[] args) {
        int probeRows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int buildRows = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int iterations = 15;
        int warmup = 5;
        SplittableRandom rnd = new SplittableRandom(1);
        long[] buildKeys = new long[buildRows];
        long[] buildPayload = new long[buildRows];
        for (int i = 0; i < buildRows; i++) {
            buildKeys[i] = i * 7L + 3; // spread, not dense: no help from key order
            buildPayload[i] = rnd.nextLong();
        }
        // Shuffle the build side so the table is built in random key order.
        for (int i = buildRows - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = buildKeys[i];
            buildKeys[i] = buildKeys[j];
            buildKeys[j] = t;
        }
        long[] probeKeys = new long[probeRows];
        long[] probePayload = new long[probeRows];
        for (int i = 0; i < probeRows; i++) {
            probeKeys[i] = rnd.nextInt(buildRows) * 7L + 3;
            probePayload[i] = i;
        }
        List<BatchColumn> left = List.of(new BatchColumn("l_key", DataType.BIGINT, false), new BatchColumn("l_v", DataType.BIGINT, false));
        List<BatchColumn> right = List.of(new BatchColumn("r_key", DataType.BIGINT, false), new BatchColumn("r_v", DataType.BIGINT, false));
        try (RootAllocator root = new RootAllocator()) {
            List<VectorSchemaRoot> probe = batches(root, left, new long[][] {probeKeys, probePayload}, 4096);
            List<VectorSchemaRoot> build = batches(root, right, new long[][] {buildKeys, buildPayload}, 4096);
            double[] ms = new double[iterations];
            long outputRows = 0;
            for (int it = 0; it < warmup + iterations; it++) {
                try (QueryContext ctx = new QueryContext(root, 1L << 31)) {
                    long t0 = System.nanoTime();
                    long rows = 0;
                    try (HashJoinOperator join = new HashJoinOperator(ctx,
                            new HashJoinSpec(JoinType.INNER, List.of(new JoinKey(0, 0))).withBuildRowsEstimate(buildRows),
                            new PrebuiltSource(left, probe), new PrebuiltSource(right, build))) {
                        for (VectorSchemaRoot b = join.next(); b != null; b = join.next()) {
                            rows += b.getRowCount();
                        }
                    }
                    long t1 = System.nanoTime();
                    if (it >= warmup) {
                        ms[it - warmup] = (t1 - t0) / 1e6;
                    }
                    outputRows = rows;
                }
            }
            Arrays.sort(ms);
            double median = ms[iterations / 2];
            System.out.printf("inner hash join, BIGINT key: %,d probe rows x %,d build rows -> %,d output rows%n", probeRows, buildRows, outputRows);
            System.out.printf("median %.1f ms (min %.1f, max %.1f) over %d runs after %d warm-up: %.1f M probe rows/s, %.1f M output rows/s%n",
                    median, ms[0], ms[iterations - 1], iterations, warmup, probeRows / median / 1e3, outputRows / median / 1e3);
            for (VectorSchemaRoot b : probe) {
                b.close();
            }
            for (VectorSchemaRoot b : build) {
                b.close();
            }
        }
    }
}
