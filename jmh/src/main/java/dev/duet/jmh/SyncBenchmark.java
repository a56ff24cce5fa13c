package dev.duet.jmh;

import dev.duet.columnstore.ColumnStore;
import dev.duet.core.DuetException;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import dev.duet.rowstore.RowStore;
import dev.duet.sync.ColumnSync;
import dev.duet.sync.LagHistogram;
import dev.duet.sync.SyncOptions;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * How well the column store keeps up with a writer: one thread inserts single rows through JDBC
 * (autocommit {@link PreparedStatement}, async durability, the {@link JdbcTarget} {@code items}
 * table) as fast as it can while the sync applies them to the column store. The score is
 * inserts/s; the secondary result {@code syncRows} is the rows/s the column store applied during
 * the same iterations. Each iteration prints the backlog (inserted rows not yet applied) at its
 * end, how long the sync then took to drain it, how long the sync waited for segment files
 * ({@link ColumnStore#sealWaitMillis}: the seal thread falling behind), how often the writer
 * waited for the sync ({@link ColumnSync#writerWaits}: backpressure, see
 * {@link dev.duet.sync.SyncOptions}), and two figures of the
 * freshness lag of the iteration's commits (p50 / p90 / p99 / p99.9 / max), and the CPU time per
 * inserted row of the writer, the sync thread, the seal thread, the row store's checkpoint thread
 * and the WAL flusher (from {@link ThreadMXBean}: who is short of CPU on a machine with few
 * cores) with the iteration's GC collections and their time; the trial prints the lags over all
 * measured commits.
 *
 * <p><b>Engine lag</b> (the figure to quote): the sync's own per-commit measurement
 * ({@link dev.duet.sync.ColumnSync#commitLag}, also the Micrometer timer
 * {@code duet.sync.commit.lag}): from the row store handing the commit to the sync, inside the
 * commit (before {@code executeUpdate} returns), to the column store's watermark covering it,
 * i.e. to the moment a column-store scan at that snapshot may run. Every commit of the iteration
 * counts (the iteration's end drains the backlog first); percentiles are log-bucketed, at most
 * 6.25 % high.
 *
 * <p><b>Sampler lag</b> (an upper bound): measured from outside the engine. After each insert the
 * writer records the row store's newest commit timestamp (its own commit: it is the only writer)
 * and {@link System#nanoTime()}. A sampler thread waits on {@link ColumnStore#awaitWatermark} for
 * the oldest unmeasured commit and, when woken, stamps every recorded commit at or below the new
 * watermark with the time of waking. Its clock starts a little later than the engine's (when
 * {@code executeUpdate} has returned) but stops later too: the figures include the sampler's
 * wake-up delay (on two cores it competes with the writer, the sync and the GC threads), which
 * makes them an upper bound of the time from {@code executeUpdate} returning to the watermark
 * covering the commit, and in practice higher than the engine's. {@code -p lagSampler=false} runs without the sampler (engine lag only), to show what
 * it costs the writer and the sync on a machine with few cores.
 *
 * <p>The database is opened with {@link Duet#open} and reached through {@link Duet#connect()}
 * (the same JDBC connection class as {@code jdbc:duet:<dir>?durability=async}), because the
 * figures need the database object, which the driver's URL does not hand out.
 *
 * <pre>java -jar jmh/target/benchmarks.jar SyncBenchmark -f 1 -wi 1 -i 3</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
@Threads(1)
public class SyncBenchmark extends DuetBenchmark {
    @Benchmark
    public int insert(Writer writer, Counters counters) throws SQLException {
        // JMH gives a state that another state's fixture depends on an instance of its own, so the
        // writer's iteration tear-down fills the counters it is handed here.
        writer.counters = counters;
        return writer.insert();
    }

    /**
     * The secondary result: rows the column store applied during the iteration, which JMH turns
     * into rows/s like the primary score. The lag percentiles are printed instead (see the class
     * comment): JMH adds up "event" counters over iterations, which makes no sense for percentiles.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long syncRows;
    }

    /** The database, the writer's statement and the lag sampler of one trial. */
    @State(Scope.Thread)
    public static class Writer {
        /** Whether the lag sampler thread runs ({@code false}: the control without it). */
        @Param({"true", "false"})
        public boolean lagSampler;

        /**
         * The backpressure bound ({@link dev.duet.sync.SyncOptions#maxLag}, ms; 20 is the default).
         * A bound far above the lag ({@code -p maxLagMillis=10000}) takes the backpressure out:
         * whether the sync then still keeps up on its own shows whether it is the bottleneck.
         */
        @Param({"20"})
        public int maxLagMillis;

        /** Commits recorded per iteration at most (a few seconds at 100-200k inserts/s fit easily). */
        private static final int CAPACITY = 1 << 23;
        /**
         * Name prefixes of the engine threads whose CPU time each iteration reports per commit: the
         * sync, the column store's seal thread, the row store's checkpoint thread, the WAL flusher.
         */
        private static final String[] CPU_THREADS = {"duet-sync", "duet-seal", "duet-maintenance", "duet-wal"};
        /** How long the iteration's end waits for the sync to apply what was inserted. */
        private static final Duration DRAIN = Duration.ofSeconds(60);

        private Path dir;
        private Duet db;
        private RowStore rows;
        private ColumnStore columns;
        private Connection connection;
        private PreparedStatement insert;
        private long nextKey;

        /** The benchmark thread's counters (set by every invocation). */
        Counters counters;

        /*
         * Commit records of the current iteration. The writer fills slot i (ts, then nanos) and then
         * publishes count = i + 1 (volatile write); the sampler reads count first, so it sees the slots
         * below it. The sampler alone then overwrites nanos[i] with the lag and advances measured.
         */
        private final long[] commitTs = new long[CAPACITY];
        private final long[] nanos = new long[CAPACITY];
        private volatile int count;
        /** Written by the sampler only; read after it is joined. */
        private int measured;
        private volatile boolean sampling;
        private Thread sampler;
        private long iterationStartNanos;
        private long rowsAppliedAtStart;
        private long insertsAtStart;
        private long sealWaitAtStart;
        private long writerWaitsAtStart;
        private long writerWaitMillisAtStart;
        private ColumnSync sync;
        private LagHistogram engineLag;
        /** The engine's lag histogram at the iteration's start, and at the first measurement iteration's (null before it). */
        private LagHistogram.Snapshot engineLagAtStart;
        private LagHistogram.Snapshot engineLagAtMeasurement;
        /** Lags (ns) of all measurement iterations' commits, for the trial's summary. */
        private long[] allLags = new long[0];
        /** CPU time (ns) of the writer and of the engine threads named by {@link #CPU_THREADS} at the iteration's start. */
        private long[] cpuAtStart;
        private long gcMillisAtStart;
        private long gcCountAtStart;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            dir = ScratchDir.create("sync");
            db = Duet.open(dir.resolve("db"), DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC)
                    .withSync(SyncOptions.defaults().withMaxLag(Duration.ofMillis(maxLagMillis))));
            rows = db.rowStore();
            columns = db.columnStore();
            sync = db.columnSync();
            engineLag = sync.commitLag();
            connection = db.connect();
            JdbcTarget.createTable(connection);
            insert = connection.prepareStatement(JdbcTarget.INSERT);
            // The first checkpoint in a JVM generates Chronicle Map code for seconds: do it here,
            // not in a background checkpoint during measurement.
            db.checkpoint();
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            try {
                if (engineLagAtMeasurement != null) {
                    System.out.printf(Locale.ROOT, "%nSyncBenchmark, all measured commits: engine lag %s%n",
                            summary(engineLag.snapshot().since(engineLagAtMeasurement)));
                }
                if (allLags.length > 0) {
                    System.out.printf(Locale.ROOT, "SyncBenchmark, all measured commits: sampler lag (upper bound) %s%n", summary(allLags));
                }
                try {
                    insert.close();
                    connection.close();
                } finally {
                    db.close();
                }
            } finally {
                ScratchDir.delete(dir);
            }
        }

        @Setup(Level.Iteration)
        public void startSampler(IterationParams iteration) {
            count = 0;
            measured = 0;
            sampling = true;
            rowsAppliedAtStart = columns.rowsApplied();
            insertsAtStart = nextKey;
            sealWaitAtStart = columns.sealWaitMillis();
            writerWaitsAtStart = sync.writerWaits();
            writerWaitMillisAtStart = sync.writerWaitMillis();
            engineLagAtStart = engineLag.snapshot();
            cpuAtStart = cpuNanos();
            gcMillisAtStart = gcMillis(false);
            gcCountAtStart = gcMillis(true);
            if (engineLagAtMeasurement == null && iteration.getType() == IterationType.MEASUREMENT) {
                engineLagAtMeasurement = engineLagAtStart;
            }
            sampler = new Thread(this::sample, "sync-lag-sampler");
            sampler.setDaemon(true);
            if (lagSampler) {
                sampler.start();
            }
            iterationStartNanos = System.nanoTime();
        }

        /**
         * Stops the sampler once the sync has applied the iteration's commits and reports into
         * {@link #counters} (JMH reads them after this tear-down).
         */
        @TearDown(Level.Iteration)
        public void finishIteration(IterationParams iteration) throws InterruptedException {
            boolean measurement = iteration.getType() == IterationType.MEASUREMENT;
            double seconds = (System.nanoTime() - iterationStartNanos) / 1e9;
            long applied = columns.rowsApplied() - rowsAppliedAtStart;
            long inserted = nextKey - insertsAtStart;
            counters.syncRows = applied;
            long backlog = Math.max(0, inserted - applied);
            long[] cpu = cpuNanos();
            long gcMillis = gcMillis(false) - gcMillisAtStart;
            long gcCount = gcMillis(true) - gcCountAtStart;
            int n = count;
            long drainStart = System.nanoTime();
            if (n > 0) {
                columns.awaitWatermark(commitTs[n - 1], DRAIN);
            }
            long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart);
            sampling = false;
            if (lagSampler) {
                sampler.join();
            }
            long[] lags = Arrays.copyOf(nanos, measured);
            Arrays.sort(lags);
            if (measurement && lags.length > 0) {
                long[] all = Arrays.copyOf(allLags, allLags.length + lags.length);
                System.arraycopy(lags, 0, all, allLags.length, lags.length);
                allLags = all;
            }
            System.out.printf(Locale.ROOT, "%n  inserted %,d, applied %,d rows (%,.0f rows/s), backlog at end %,d (drained in %d ms), "
                    + "recorded %,d of them%s; the sync waited %d ms for segment files; the writer waited for the sync %,d times, "
                    + "%d ms in all (its apply cost estimate at the end: %.1f ns per record byte)%n  engine lag %s%n  sampler lag (upper bound) %s%n",
                    inserted, applied, applied / seconds, backlog, drainMillis, n, n == CAPACITY ? " (capacity reached)" : "",
                    columns.sealWaitMillis() - sealWaitAtStart, sync.writerWaits() - writerWaitsAtStart,
                    sync.writerWaitMillis() - writerWaitMillisAtStart, sync.applyNanosPerByte(),
                    summary(engineLag.snapshot().since(engineLagAtStart)),
                    lags.length == 0 ? "-" : summary(lags));
            StringBuilder perCommit = new StringBuilder("writer " + cpuPerCommit(cpu, CPU_THREADS.length, inserted));
            for (int i = 0; i < CPU_THREADS.length; i++) {
                perCommit.append(", ").append(CPU_THREADS[i]).append(' ').append(cpuPerCommit(cpu, i, inserted));
            }
            System.out.printf(Locale.ROOT, "  CPU per inserted row (ns, the iteration's threads' CPU time): %s; GC %d collections, %d ms%n",
                    perCommit, gcCount, gcMillis);
        }

        private String cpuPerCommit(long[] cpu, int i, long inserted) {
            return inserted == 0 ? "-" : String.format(Locale.ROOT, "%.0f", (double) (cpu[i] - cpuAtStart[i]) / inserted);
        }

        /**
         * CPU time (ns) of the threads named by {@link #CPU_THREADS}, summed per prefix, then of the
         * calling (benchmark) thread, which JMH runs the iteration fixtures on as well.
         */
        private static long[] cpuNanos() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long[] cpu = new long[CPU_THREADS.length + 1];
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                for (int i = 0; i < CPU_THREADS.length; i++) {
                    if (t.getName().startsWith(CPU_THREADS[i])) {
                        cpu[i] += Math.max(0, mx.getThreadCpuTime(t.getId()));
                    }
                }
            }
            cpu[CPU_THREADS.length] = mx.getCurrentThreadCpuTime();
            return cpu;
        }

        /** The JVM's collections so far: their count, or their total time in ms. */
        private static long gcMillis(boolean count) {
            long sum = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                sum += Math.max(0, count ? gc.getCollectionCount() : gc.getCollectionTime());
            }
            return sum;
        }

        int insert() throws SQLException {
            JdbcTarget.bind(insert, nextKey++);
            int changed = insert.executeUpdate();
            int i = count;
            if (i < CAPACITY) {
                commitTs[i] = rows.lastCommitTimestamp();
                nanos[i] = System.nanoTime();
                count = i + 1;
            }
            return changed;
        }

        /** The sampler thread: stamps recorded commits with the time the watermark covered them. */
        private void sample() {
            int next = 0;
            while (true) {
                int published = count;
                if (next >= published) {
                    if (!sampling) {
                        break;
                    }
                    LockSupport.parkNanos(100_000);
                    continue;
                }
                try {
                    columns.awaitWatermark(commitTs[next], Duration.ofMillis(100));
                } catch (DuetException notYet) {
                    if (!sampling) {
                        break; // the iteration's end gave up waiting (or the sync failed): it reports that
                    }
                    continue; // not applied within 100 ms: wait again
                }
                long now = System.nanoTime();
                long watermark = columns.watermarkTs();
                while (next < published && commitTs[next] <= watermark) {
                    nanos[next] = now - nanos[next];
                    next++;
                }
                measured = next;
            }
        }

        private static long percentile(long[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }

        private static String summary(LagHistogram.Snapshot lag) {
            return lag.count() == 0 ? "-" : String.format(Locale.ROOT,
                    "%,d commits, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms, mean %.2f ms",
                    lag.count(), lag.percentileNanos(0.5) / 1e6, lag.percentileNanos(0.9) / 1e6, lag.percentileNanos(0.99) / 1e6,
                    lag.percentileNanos(0.999) / 1e6, lag.maxNanos() / 1e6, lag.meanNanos() / 1e6);
        }

        private static String summary(long[] lags) {
            long[] s = lags.clone();
            Arrays.sort(s);
            return String.format(Locale.ROOT, "%,d commits, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                    s.length, percentile(s, 0.5) / 1e6, percentile(s, 0.9) / 1e6, percentile(s, 0.99) / 1e6,
                    percentile(s, 0.999) / 1e6, s[s.length - 1] / 1e6);
        }
    }
}
