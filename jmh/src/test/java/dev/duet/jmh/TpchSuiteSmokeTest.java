package dev.duet.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The CI smoke run of the TPC-H suite, so that it cannot rot: {@link TpchBenchmark} for all 22
 * queries on {@code duet} and {@code duckdb} and {@link TpchLoadBenchmark} on both, at SF 0.01,
 * no warm-up and one short iteration, in this JVM without forks (as {@link UnforkedRun} runs the
 * full suite: one load for all trials); then {@link BenchmarkReport} on the JSON result, and
 * {@link TpchMemoryReport}'s measurement. Each Duet trial fails unless its answer equals DuckDB's,
 * and the runner fails on any failed trial. The timings are not asserted (no timing assertions in
 * tests); the full run is documented in docs/benchmarks.md.
 */
class TpchSuiteSmokeTest {
    private static final String SF = "0.01";

    @TempDir
    static Path tmp;

    private static String previousLock;

    @BeforeAll
    static void ignoreJmhLock() {
        // CI runs alone, but a developer's machine may run a JMH benchmark at the same time
        previousLock = System.setProperty("jmh.ignoreLock", "true");
    }

    @AfterAll
    static void restore() {
        TpchDatabases.closeShared();
        if (previousLock == null) {
            System.clearProperty("jmh.ignoreLock");
        } else {
            System.setProperty("jmh.ignoreLock", previousLock);
        }
    }

    @Test
    void all22QueriesOnDuetAndDuckDbThenTheReport() throws Exception {
        Path json = tmp.resolve("smoke.json");
        Options options = new OptionsBuilder()
                .include(TpchBenchmark.class.getName() + "\\.run$")
                .include(TpchLoadBenchmark.class.getName() + "\\.load$")
                .param("sf", SF)
                .param("target", "duet", "duckdb")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .build();
        Collection<RunResult> results = new Runner(options).run();
        assertEquals(22 * 2 + 2, results.size(), "trials: 22 queries × 2 targets, and 2 loads");

        String report = BenchmarkReport.markdown(BenchmarkReport.read(List.of(json)), "smoke");
        for (int q = 1; q <= 22; q++) {
            assertTrue(report.contains("| Q" + q + " |"), "Q" + q + " in the report:\n" + report);
        }
        assertFalse(report.contains("failed"), report);
        assertTrue(report.contains("| duet | duckdb | duet / duckdb |"), report);
        assertTrue(report.contains("**geometric mean of ratios**"), report);
        assertTrue(report.contains("TPC-H SF " + SF + " load"), report);
        assertTrue(report.contains("- Command: `smoke`"), report);
        System.out.println(report);
    }

    @Test
    void memoryReportAfterLoadingAndAllQueries() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("memory"));
        TpchMemoryReport.Report report = TpchMemoryReport.measure(Double.parseDouble(SF), dir, List.of("auto", "column", "row"));
        assertEquals(86_805, report.rows(), "rows of TPC-H SF 0.01");
        assertTrue(report.totalDiskBytes() > 0, "the database's files have a size");
        assertEquals(4, report.phases().size());
        assertTrue(report.phases().get(0).liveHeapAfterGc() > 0, "baseline heap");
        for (TpchMemoryReport.Phase p : report.phases().subList(1, 3)) {
            assertTrue(p.peakHeap() >= p.liveHeapAfterGc() && p.liveHeapAfterGc() > 0, p.toString());
        }
        assertTrue(report.phases().get(3).peakArrow() > 0, "the queries allocated Arrow memory");
        System.out.println(report.markdown());
    }
}
