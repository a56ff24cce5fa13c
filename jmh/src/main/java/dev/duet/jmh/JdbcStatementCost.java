package dev.duet.jmh;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The statements of {@link JdbcBenchmark} (same table, same rows, same keys) measured as time per
 * statement rather than throughput: the CPU time of the whole process, the CPU time of the calling
 * thread, and the wall time, each target in a fresh database, targets alternating round by round.
 * On a shared machine CPU time per statement stays steady where throughput swings with the load;
 * the gap between the process and the thread figure is the work of background threads (for Duet
 * the column-store sync, which applies every write again, the WAL flusher and maintenance; for H2
 * its store writer) and of the JIT and GC. The heap bytes the calling thread allocates per
 * statement are given too: unlike times they do not depend on the machine's load. Not a JMH benchmark: run it with the benchmark jar on
 * the class path and the JVM flags of {@link DuetBenchmark}:
 * {@code java <flags> -cp jmh/target/benchmarks.jar dev.duet.jmh.JdbcStatementCost [select,update,insert,batch] [rounds] [targets]}.
 * Figures are microseconds (and bytes) per statement (per row for {@code batch}); the summary gives medians.
 */
public final class JdbcStatementCost {
    private static final OperatingSystemMXBean OS = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The same bean, for the bytes a thread allocates. */
    private static final com.sun.management.ThreadMXBean ALLOCATIONS = (com.sun.management.ThreadMXBean) THREADS;
    private static final int STATEMENTS = 100_000;
    private static final int WARMUP = 60_000;
    private static final int KEY_MASK = (1 << 16) - 1;

    private JdbcStatementCost() {
    }

    @FunctionalInterface
    private interface Statement {
        void run(long i) throws SQLException;
    }

    public static void main(String[] args) throws SQLException {
        String[] kinds = (args.length > 0 ? args[0] : "select,update,insert,batch").split(",");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String[] targets = (args.length > 2 ? args[2] : "duet-async,h2").split(",");
        Map<String, List<double[]>> results = new TreeMap<>();
        for (String kind : kinds) {
            for (int r = 0; r < rounds; r++) {
                for (String target : targets) {
                    double[] m = measure(JdbcTarget.of(target), kind);
                    results.computeIfAbsent(kind + " " + target, k -> new ArrayList<>()).add(m);
                    System.out.printf("%s %-10s round %d: process %.2f us, thread %.2f us, wall %.2f us, allocated %.0f bytes%n",
                            kind, target, r, m[0], m[1], m[2], m[3]);
                }
            }
        }
        System.out.println("median per statement:   process us  thread us  wall us  allocated bytes");
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            System.out.printf("%-22s %10.2f %10.2f %8.2f %16.0f%n", e.getKey(),
                    median(e.getValue(), 0), median(e.getValue(), 1), median(e.getValue(), 2), median(e.getValue(), 3));
        }
    }

    private static double median(List<double[]> runs, int field) {
        double[] v = runs.stream().mapToDouble(x -> x[field]).sorted().toArray();
        return v[v.length / 2];
    }

    /**
     * {process, thread, wall} microseconds and the calling thread's allocated bytes per statement
     * of {@code kind} on a fresh database of {@code target}.
     */
    private static double[] measure(JdbcTarget target, String kind) throws SQLException {
        Path dir = ScratchDir.create("cost-" + target.label);
        try (Connection c = target.connect(dir)) {
            JdbcTarget.createTable(c);
            if (kind.equals("select") || kind.equals("update")) {
                target.load(c, JdbcBenchmark.PRELOADED);
            }
            SplittableRandom random = new SplittableRandom(42);
            long[] keys = new long[KEY_MASK + 1];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = random.nextInt(JdbcBenchmark.PRELOADED);
            }
            try (PreparedStatement insert = c.prepareStatement(JdbcTarget.INSERT);
                 PreparedStatement select = c.prepareStatement(JdbcTarget.SELECT_BY_ID);
                 PreparedStatement update = c.prepareStatement(JdbcTarget.UPDATE_BY_ID)) {
                long[] nextInsert = {0};
                Statement s = switch (kind) {
                    case "insert" -> i -> {
                        JdbcTarget.bind(insert, nextInsert[0]++);
                        insert.executeUpdate();
                    };
                    case "batch" -> i -> {
                        for (int b = 0; b < JdbcBenchmark.BATCH; b++) {
                            JdbcTarget.bind(insert, nextInsert[0]++);
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    };
                    case "select" -> i -> {
                        select.setLong(1, keys[(int) (i & KEY_MASK)]);
                        try (ResultSet rs = select.executeQuery()) {
                            if (!rs.next() || rs.getLong(1) < 0 || rs.getString(2) == null || rs.getBigDecimal(4) == null) {
                                throw new IllegalStateException(target.label + ": no row for key " + keys[(int) (i & KEY_MASK)]);
                            }
                            rs.getInt(3);
                        }
                    };
                    case "update" -> i -> {
                        update.setInt(1, (int) i);
                        update.setLong(2, keys[(int) (i & KEY_MASK)]);
                        if (update.executeUpdate() != 1) {
                            throw new IllegalStateException(target.label + ": UPDATE by primary key changed no row");
                        }
                    };
                    default -> throw new IllegalArgumentException("unknown statement kind " + kind);
                };
                int perStatement = kind.equals("batch") ? JdbcBenchmark.BATCH : 1;
                long warmup = WARMUP / perStatement;
                long n = STATEMENTS / perStatement;
                for (long i = 0; i < warmup; i++) {
                    s.run(i);
                }
                long self = Thread.currentThread().getId();
                long allocated = ALLOCATIONS.getThreadAllocatedBytes(self);
                long process = OS.getProcessCpuTime();
                long thread = THREADS.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (long i = warmup; i < warmup + n; i++) {
                    s.run(i);
                }
                double rows = (double) n * perStatement * 1000;
                double[] m = {(OS.getProcessCpuTime() - process) / rows,
                    (THREADS.getCurrentThreadCpuTime() - thread) / rows, (System.nanoTime() - wall) / rows, 0};
                m[3] = (ALLOCATIONS.getThreadAllocatedBytes(self) - allocated) * 1000.0 / rows;
                return m;
            }
        } finally {
            ScratchDir.delete(dir);
        }
    }
}
