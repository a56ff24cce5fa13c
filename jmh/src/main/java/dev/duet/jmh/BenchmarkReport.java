package dev.duet.jmh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns JMH JSON results ({@code -rf json -rff FILE}) into the markdown of docs/benchmarks.md:
 * the JDK (as the forks reported it), the machine (this one's {@code /proc/cpuinfo} and
 * {@code /proc/meminfo}: run it where the benchmarks ran), the command, then
 *
 * <ul>
 *   <li>per scale factor, a {@link TpchBenchmark} table: each query's milliseconds per target
 *       ({@code duet}, {@code duet-column}, {@code duet-row}, {@code duckdb}, those present), each
 *       Duet target's ratio to DuckDB, the total (sum of the times, ratio of the sums), the
 *       geometric mean of the per-query ratios and the largest ratio; a query a target has no
 *       result for (its trial failed) shows as "failed" and counts in none of the aggregates;
 *   <li>per scale factor, {@link TpchLoadBenchmark}: seconds per load and Duet / DuckDB;
 *   <li>every other result as benchmark, parameters, score ± error, unit.
 * </ul>
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.duet.jmh.BenchmarkReport [--command 'CMD'] result.json... &gt; table.md</pre>
 */
public final class BenchmarkReport {
    private static final String TPCH = TpchBenchmark.class.getName() + ".run";
    private static final String LOAD = TpchLoadBenchmark.class.getName() + ".load";
    private static final String DUCKDB = "duckdb";

    private BenchmarkReport() {
    }

    public static void main(String[] args) throws IOException {
        String command = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--command") && i + 1 < args.length) {
                command = args[++i];
            } else {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            System.err.println("usage: BenchmarkReport [--command 'the command that ran JMH'] result.json...");
            System.exit(2);
        }
        System.out.print(markdown(read(files), command));
    }

    /** Every result object of the given JMH JSON files, in file order. */
    static List<JsonNode> read(List<Path> files) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> results = new ArrayList<>();
        for (Path f : files) {
            JsonNode root = json.readTree(Files.readString(f));
            if (!root.isArray()) {
                throw new IOException(f + " is not a JMH JSON result (an array of results)");
            }
            root.forEach(results::add);
        }
        return results;
    }

    /** The whole report; {@code command} may be null (then the report says it was not given). */
    static String markdown(List<JsonNode> results, String command) {
        StringBuilder md = new StringBuilder();
        md.append(environment(results, command)).append('\n');
        List<JsonNode> tpch = new ArrayList<>();
        List<JsonNode> load = new ArrayList<>();
        List<JsonNode> other = new ArrayList<>();
        for (JsonNode r : results) {
            String name = r.path("benchmark").asText();
            (name.equals(TPCH) ? tpch : name.equals(LOAD) ? load : other).add(r);
        }
        for (Map.Entry<String, List<JsonNode>> bySf : bySf(tpch).entrySet()) {
            md.append(tpchTable(bySf.getKey(), bySf.getValue())).append('\n');
        }
        for (Map.Entry<String, List<JsonNode>> bySf : bySf(load).entrySet()) {
            md.append(loadTable(bySf.getKey(), bySf.getValue())).append('\n');
        }
        if (!other.isEmpty()) {
            md.append(otherTable(other)).append('\n');
        }
        return md.toString();
    }

    private static String environment(List<JsonNode> results, String command) {
        Set<String> jdks = new LinkedHashSet<>();
        Set<String> jvmArgs = new LinkedHashSet<>();
        for (JsonNode r : results) {
            jdks.add(String.format("%s %s (JDK %s), JMH %s", r.path("vmName").asText(), r.path("vmVersion").asText(),
                    r.path("jdkVersion").asText(), r.path("jmhVersion").asText()));
            List<String> args = new ArrayList<>();
            r.path("jvmArgs").forEach(a -> args.add(a.asText()));
            // Duet's fixed flags are in every fork; only what the command added is worth printing
            args.removeAll(DuetBenchmark.jvmFlags());
            jvmArgs.add(args.isEmpty() ? "(none)" : String.join(" ", args));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("- JDK: ").append(String.join("; ", jdks)).append('\n');
        sb.append("- JVM options besides Duet's flags: ").append(String.join("; ", jvmArgs)).append('\n');
        sb.append("- Machine: ").append(Machine.describe()).append('\n');
        sb.append("- Command: ").append(command == null ? "(not given; pass --command)" : "`" + command + "`").append('\n');
        return sb.toString();
    }

    private static TreeMap<String, List<JsonNode>> bySf(List<JsonNode> results) {
        TreeMap<String, List<JsonNode>> out = new TreeMap<>((a, b) -> Double.compare(Double.parseDouble(a), Double.parseDouble(b)));
        for (JsonNode r : results) {
            out.computeIfAbsent(r.path("params").path("sf").asText("1"), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    /** The TPC-H table of one scale factor. Package-private for the smoke test's check of its shape. */
    static String tpchTable(String sf, List<JsonNode> results) {
        TreeMap<Integer, Map<String, Double>> ms = new TreeMap<>();
        Set<String> targets = new TreeSet<>(BenchmarkReport::compareTargets);
        JsonNode any = results.get(0);
        for (JsonNode r : results) {
            String target = r.path("params").path("target").asText();
            String threads = r.path("params").path("threads").asText("0");
            if (!threads.equals("0") && !target.equals(DUCKDB)) {
                target += " threads=" + threads; // runs with -p threads=1,2 compare the settings side by side
            }
            targets.add(target);
            ms.computeIfAbsent(r.path("params").path("query").asInt(), q -> new TreeMap<>()).put(target, millis(r));
        }
        List<String> duets = targets.stream().filter(t -> !t.equals(DUCKDB)).toList();
        boolean ratios = targets.contains(DUCKDB);
        StringBuilder sb = new StringBuilder();
        int forks = any.path("forks").asInt();
        sb.append(String.format(Locale.ROOT, "TPC-H SF %s, ms per query (mean of %d × %s iterations after %d × %s warm-up, %s)%n%n",
                sf, any.path("measurementIterations").asInt(), any.path("measurementTime").asText(),
                any.path("warmupIterations").asInt(), any.path("warmupTime").asText(),
                forks == 0 ? "all trials in one JVM" : forks + " fork(s) per query and target"));
        sb.append("| query |");
        targets.forEach(t -> sb.append(' ').append(t).append(" |"));
        if (ratios) {
            duets.forEach(t -> sb.append(' ').append(t).append(" / duckdb |"));
        }
        sb.append('\n').append("|---|");
        targets.forEach(t -> sb.append("---|"));
        if (ratios) {
            duets.forEach(t -> sb.append("---|"));
        }
        sb.append('\n');
        Map<String, Double> total = new TreeMap<>();
        Map<String, Double> logSum = new TreeMap<>();
        Map<String, Integer> ratioCount = new TreeMap<>();
        Map<String, double[]> max = new TreeMap<>(); // {ratio, query}
        for (Map.Entry<Integer, Map<String, Double>> q : ms.entrySet()) {
            Map<String, Double> row = q.getValue();
            sb.append("| Q").append(q.getKey()).append(" |");
            for (String t : targets) {
                Double v = row.get(t);
                sb.append(' ').append(v == null ? "failed" : number(v)).append(" |");
            }
            if (ratios) {
                Double duck = row.get(DUCKDB);
                for (String t : duets) {
                    Double v = row.get(t);
                    if (v == null || duck == null) {
                        sb.append(" — |");
                        continue;
                    }
                    double ratio = v / duck;
                    sb.append(' ').append(ratio(ratio)).append(" |");
                    total.merge(t, v, Double::sum);
                    total.merge(t + "@" + DUCKDB, duck, Double::sum);
                    logSum.merge(t, Math.log(ratio), Double::sum);
                    ratioCount.merge(t, 1, Integer::sum);
                    if (!max.containsKey(t) || ratio > max.get(t)[0]) {
                        max.put(t, new double[] {ratio, q.getKey()});
                    }
                }
            }
            sb.append('\n');
        }
        if (ratios) {
            // a Duet target's total counts only the queries DuckDB has a result for too
            sb.append("| **total** |");
            for (String t : targets) {
                double sum = t.equals(DUCKDB)
                        ? ms.values().stream().mapToDouble(row -> row.getOrDefault(DUCKDB, 0.0)).sum()
                        : total.getOrDefault(t, 0.0);
                sb.append(' ').append(number(sum)).append(" |");
            }
            for (String t : duets) {
                Double mine = total.get(t);
                sb.append(mine == null ? " — |" : " " + ratio(mine / total.get(t + "@" + DUCKDB)) + " |");
            }
            sb.append('\n').append("| **geometric mean of ratios** |");
            targets.forEach(t -> sb.append(" |"));
            for (String t : duets) {
                Integer n = ratioCount.get(t);
                sb.append(n == null ? " — |" : " " + ratio(Math.exp(logSum.get(t) / n)) + " |");
            }
            sb.append('\n').append("| **largest ratio** |");
            targets.forEach(t -> sb.append(" |"));
            for (String t : duets) {
                double[] m = max.get(t);
                sb.append(m == null ? " — |" : " " + ratio(m[0]) + " (Q" + (int) m[1] + ") |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Duet's targets in a fixed order (auto, column, row), DuckDB last. */
    private static int compareTargets(String a, String b) {
        return Integer.compare(targetRank(a), targetRank(b)) != 0 ? Integer.compare(targetRank(a), targetRank(b)) : a.compareTo(b);
    }

    private static int targetRank(String target) {
        return switch (target) {
            case "duet" -> 0;
            case "duet-column" -> 1;
            case "duet-row" -> 2;
            case DUCKDB -> 4;
            default -> 3;
        };
    }

    private static String loadTable(String sf, List<JsonNode> results) {
        Map<String, List<Double>> seconds = new TreeMap<>(BenchmarkReport::compareTargets);
        for (JsonNode r : results) {
            List<Double> runs = new ArrayList<>();
            for (JsonNode fork : r.path("primaryMetric").path("rawData")) {
                fork.forEach(v -> runs.add(v.asDouble() * toMillis(r.path("primaryMetric").path("scoreUnit").asText()) / 1000));
            }
            seconds.put(r.path("params").path("target").asText(), runs);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("TPC-H SF ").append(sf).append(" load, seconds (single shot per iteration)\n\n");
        sb.append("| target | mean | iterations | / duckdb |\n|---|---|---|---|\n");
        Double duck = seconds.containsKey(DUCKDB) ? mean(seconds.get(DUCKDB)) : null;
        for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
            double mean = mean(e.getValue());
            List<String> runs = e.getValue().stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList();
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s |%n", e.getKey(), mean, String.join(" / ", runs),
                    duck == null || e.getKey().equals(DUCKDB) ? "" : ratio(mean / duck)));
        }
        return sb.toString();
    }

    private static String otherTable(List<JsonNode> results) {
        StringBuilder sb = new StringBuilder("| benchmark | parameters | mode | score | ± error (99.9%) | unit |\n|---|---|---|---|---|---|\n");
        for (JsonNode r : results) {
            List<String> params = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("params").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                params.add(p.getKey() + "=" + p.getValue().asText());
            }
            String name = r.path("benchmark").asText().replace("dev.duet.jmh.", "");
            JsonNode m = r.path("primaryMetric");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", name, String.join(", ", params),
                    r.path("mode").asText(), number(m.path("score").asDouble()),
                    m.path("scoreError").isNumber() ? number(m.path("scoreError").asDouble()) : "",
                    m.path("scoreUnit").asText()));
        }
        return sb.toString();
    }

    private static double millis(JsonNode result) {
        JsonNode m = result.path("primaryMetric");
        return m.path("score").asDouble() * toMillis(m.path("scoreUnit").asText());
    }

    /** Milliseconds per unit of a JMH time-per-operation unit. */
    private static double toMillis(String unit) {
        return switch (unit) {
            case "s/op" -> 1000;
            case "ms/op" -> 1;
            case "us/op" -> 1e-3;
            case "ns/op" -> 1e-6;
            default -> throw new IllegalArgumentException("not a time per operation: " + unit);
        };
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String number(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : "%.2f×", r);
    }

    /** This machine, from /proc (Linux) and the JVM. */
    static final class Machine {
        private Machine() {
        }

        static String describe() {
            String cpu = firstValue(Path.of("/proc/cpuinfo"), "model name");
            String mem = firstValue(Path.of("/proc/meminfo"), "MemTotal");
            String memory = mem == null ? "memory unknown"
                    : String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(mem.replaceAll("[^0-9]", "")) / (1024.0 * 1024));
            return String.format(Locale.ROOT, "%s, %d cores visible to the JVM, %s, %s %s",
                    cpu == null ? "CPU unknown" : cpu, Runtime.getRuntime().availableProcessors(), memory,
                    System.getProperty("os.name"), System.getProperty("os.version"));
        }

        private static String firstValue(Path file, String key) {
            try {
                for (String line : Files.readAllLines(file)) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                        return line.substring(colon + 1).trim();
                    }
                }
            } catch (IOException e) {
                return null;
            }
            return null;
        }
    }
}
