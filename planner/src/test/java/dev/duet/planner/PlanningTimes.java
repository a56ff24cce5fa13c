package dev.duet.planner;

import dev.duet.core.catalog.Catalog;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Prints the planning time (parse + validate + convert + optimize) of TPC-H queries: cold (the
 * first plan in this JVM, class loading and Calcite's static initialisation included) and warm
 * (median of 20 after warm-up; wall time, and the planning thread's CPU time, which a loaded
 * machine disturbs less). Run it in a fresh JVM: {@link PlanningTimeTest} forks one.
 * Arguments: query numbers (default 1 and 9); the first is the cold one.
 */
public final class PlanningTimes {
    private static final int WARMUP = Integer.getInteger("duet.warmup", 200);
    private static final int RUNS = 20;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PlanningTimes() {
    }

    private static double median(double[] sorted) {
        return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    public static void main(String[] args) {
        long jvmStart = System.nanoTime();
        int[] queries = args.length == 0 ? new int[] {1, 9} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        Catalog catalog = TpchCatalog.catalog();
        SqlFrontEnd frontEnd = new SqlFrontEnd();
        for (int i = 0; i < queries.length; i++) {
            String sql = TpchQueries.query(queries[i]);
            long t0 = System.nanoTime();
            frontEnd.planSingle(sql, catalog);
            long first = System.nanoTime() - t0;
            System.out.printf("q%d %s: %.1f ms%n", queries[i], i == 0 ? "cold (first plan in the JVM)" : "first plan after q" + queries[0],
                    first / 1e6);
        }
        for (int q : queries) {
            String sql = TpchQueries.query(q);
            for (int i = 0; i < WARMUP; i++) {
                frontEnd.planSingle(sql, catalog);
            }
            double[] ms = new double[RUNS];
            double[] cpu = new double[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                frontEnd.planSingle(sql, catalog);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
            }
            Arrays.sort(ms);
            Arrays.sort(cpu);
            System.out.printf("q%d warm: median %.2f ms (min %.2f, max %.2f), thread CPU median %.2f ms; "
                    + "%d runs after %d warm-up plans%n",
                    q, median(ms), ms[0], ms[RUNS - 1], median(cpu), RUNS, WARMUP);
        }
        System.out.printf("total %.0f ms%n", (System.nanoTime() - jvmStart) / 1e6);
    }
}
