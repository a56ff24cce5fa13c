package dev.duet.jmh;

import dev.duet.datasets.tpch.TpchGenerator;
import dev.duet.datasets.tpch.TpchLoader;
import dev.duet.datasets.tpch.TpchSchema;
import dev.duet.engine.Duet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Duet's memory with TPC-H at a scale factor loaded and all 22 queries run, next to the size of
 * the data on disk: a harness, not a JMH benchmark (it measures one process's peaks, not a time).
 * It loads TPC-H into a new file-backed Duet database (async durability, as the benchmarks do),
 * waits for the column store, then runs the 22 queries through JDBC on each route ({@code auto},
 * {@code column}, {@code row}, or those given) reading every value. A sampler thread reads every 5 ms the heap in
 * use, the Arrow root allocator's bytes, and the JDK's direct and mapped buffer pools; each phase
 * reports their peaks, the heap still live after a full GC at its end, and the process's peak
 * resident set ({@code VmHWM}, all native memory included). Sampled peaks can miss a shorter
 * spike; the Arrow figure also reports the allocator's own exact peak. A baseline line gives the
 * heap live before Duet opens, the generator's text pool (about 300 MiB) included: subtract it
 * for Duet's own share. The data size is the database directory's once Duet has closed it.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.duet.jmh.TpchMemoryReport 1 12g</pre>
 *
 * runs the measurement in a child JVM with Duet's JVM flags and {@code -Xmx12g} (arguments:
 * scale factor, default 1; maximum heap, default 12g; routes, default {@code auto,column,row})
 * and prints a markdown table.
 */
public final class TpchMemoryReport {
    private static final String IN_PROCESS = "--in-process";
    private static final long SAMPLE_MILLIS = 5;
    private static final List<String> ROUTES = List.of("auto", "column", "row");

    /** One phase's peaks in bytes. */
    record Phase(String name, long peakHeap, long liveHeapAfterGc, long peakArrow, long peakDirect, long peakMapped,
            long peakRss) {
    }

    /** What {@link #measure} found: the phases, the rows loaded and the database's files by top-level entry. */
    record Report(double sf, long rows, long maxHeap, List<Phase> phases, TreeMap<String, Long> diskBytes) {
        long totalDiskBytes() {
            return diskBytes.values().stream().mapToLong(Long::longValue).sum();
        }

        String markdown() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "Duet, TPC-H SF %s: %,d rows, %s on disk once closed (%s); JVM maximum heap %s%n%n",
                    sf, rows, mib(totalDiskBytes()), diskBreakdown(), mib(maxHeap)));
            sb.append("| phase | peak heap used | heap live after full GC | peak Arrow (allocator) | peak direct buffers | peak mapped buffers | process peak RSS |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            for (Phase p : phases) {
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", p.name(), mib(p.peakHeap()),
                        mib(p.liveHeapAfterGc()), mib(p.peakArrow()), mib(p.peakDirect()), mib(p.peakMapped()),
                        p.peakRss() < 0 ? "n/a" : mib(p.peakRss())));
            }
            return sb.toString();
        }

        private String diskBreakdown() {
            StringBuilder sb = new StringBuilder();
            diskBytes.forEach((name, bytes) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ').append(mib(bytes)));
            return sb.toString();
        }
    }

    private TpchMemoryReport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(IN_PROCESS)) {
            double sf = Double.parseDouble(args[1]);
            Path dir = ScratchDir.create("memory");
            try {
                System.out.println(measure(sf, dir, List.of(args[2].split(","))).markdown());
            } finally {
                ScratchDir.delete(dir);
            }
            return;
        }
        String sf = args.length > 0 ? args[0] : "1";
        String heap = args.length > 1 ? args[1] : "12g";
        String routes = args.length > 2 ? args[2] : String.join(",", ROUTES);
        List<String> command = DuetBenchmark.childCommand(List.of("-Xmx" + heap), TpchMemoryReport.class, IN_PROCESS, sf,
                routes);
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        System.exit(exit);
    }

    /** Loads TPC-H at {@code sf} into a new database in {@code dir}, runs the 22 queries on each of {@code routes} and reports. */
    static Report measure(double sf, Path dir, List<String> routes) throws SQLException, InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<Phase> phases = new ArrayList<>();
        long rows;
        TreeMap<String, Long> disk;
        // the generator's shared text pool (about 300 MiB, kept for the JVM's life) is not Duet's:
        // build it first and report the heap live then as the baseline
        TpchGenerator.rows(TpchSchema.LINEITEM, sf).iterator().next();
        System.gc();
        phases.add(new Phase("baseline: JVM and TPC-H generator, before opening Duet",
                -1, memory.getHeapMemoryUsage().getUsed(), -1, -1, -1, peakRss()));
        try (Duet duet = Duet.open(dir, TpchDatabases.asyncDurability())) {
            BufferAllocator arrow = duet.allocator();
            try (Sampler s = new Sampler(arrow::getAllocatedMemory)) {
                rows = TpchLoader.load(duet, sf).totalRows();
                TpchDatabases.awaitColumnStore(duet);
                phases.add(s.phase("SF " + sf + " loaded, column store caught up"));
            }
            try (Sampler s = new Sampler(arrow::getAllocatedMemory);
                 Connection c = duet.connect()) {
                for (String route : routes) {
                    try (Statement set = c.createStatement()) {
                        set.execute("SET duet.route = '" + route + "'");
                    }
                    for (int q = 1; q <= 22; q++) {
                        try (PreparedStatement p = c.prepareStatement(TpchDatabases.query(q))) {
                            TpchDatabases.rows(p);
                        }
                    }
                }
                phases.add(s.phase("22 queries on each route (" + String.join(", ", routes) + ")"));
            }
            phases.add(new Phase("Arrow allocator's exact peak, whole run", -1, -1, arrow.getPeakMemoryAllocation(),
                    -1, -1, -1));
        }
        // at rest: what a closed database keeps on disk
        disk = diskBytes(dir);
        return new Report(sf, rows, memory.getHeapMemoryUsage().getMax(), phases, disk);
    }

    private static TreeMap<String, Long> diskBytes(Path dir) {
        TreeMap<String, Long> bytes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                // checkpoint-0…1.cmap and checkpoint.meta count as "checkpoint"
                String top = dir.relativize(f).getName(0).toString().split("[-.]")[0];
                bytes.merge(top, Files.size(f), Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes;
    }

    /** The process's peak resident set in bytes since it started ({@code VmHWM}), or -1 where /proc has none. */
    private static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "" : String.format(Locale.ROOT, "%,.0f MiB", bytes / (1024.0 * 1024));
    }

    /**
     * Samples memory on a daemon thread until closed. The peaks are written by the sampler thread
     * only and read by the caller after {@link #phase} has joined it (the join orders them).
     */
    private static final class Sampler implements AutoCloseable {
        private final LongSupplier arrow;
        private final MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
        private final BufferPoolMXBean direct = pool("direct");
        private final BufferPoolMXBean mapped = pool("mapped");
        private final Thread thread;
        private volatile boolean stop;
        private long peakHeap;
        private long peakArrow;
        private long peakDirect;
        private long peakMapped;

        Sampler(LongSupplier arrow) {
            this.arrow = arrow;
            thread = new Thread(this::sampleUntilStopped, "memory-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private static BufferPoolMXBean pool(String name) {
            return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                    .filter(b -> b.getName().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + name + " buffer pool"));
        }

        private void sampleUntilStopped() {
            while (!stop) {
                sample();
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            sample();
        }

        private void sample() {
            peakHeap = Math.max(peakHeap, heap.getHeapMemoryUsage().getUsed());
            peakArrow = Math.max(peakArrow, arrow.getAsLong());
            peakDirect = Math.max(peakDirect, direct.getMemoryUsed());
            peakMapped = Math.max(peakMapped, mapped.getMemoryUsed());
        }

        /** Stops sampling and reports the peaks, plus the heap live after a full GC now. */
        Phase phase(String name) throws InterruptedException {
            close();
            System.gc();
            return new Phase(name, peakHeap, heap.getHeapMemoryUsage().getUsed(), peakArrow, peakDirect, peakMapped,
                    peakRss());
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }
}
