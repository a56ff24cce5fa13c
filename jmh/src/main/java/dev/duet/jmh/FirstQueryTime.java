package dev.duet.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Time from JVM start to the first query result, as an application sees it: a fresh JVM opens a
 * new file-backed database through {@code DriverManager}, creates the {@link JdbcTarget} table,
 * inserts one row and reads it back with a SELECT (plain statements with literals). Not a JMH benchmark, because JMH's own fork
 * start-up would be part of the figure. Run it from the benchmarks jar:
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.duet.jmh.FirstQueryTime [RUNS [TARGET...]]</pre>
 *
 * Each run starts one child JVM (same class path, the flags of {@link DuetBenchmark}) per target.
 * Printed per target: the median and the runs of (a) wall time from starting the child process
 * until it reported the row, (b) the child JVM's uptime at that moment (JVM start to first result)
 * and (c) the time from the first JDBC call to the result; before that, each run's split of (c)
 * into connect, CREATE TABLE, INSERT and SELECT.
 */
public final class FirstQueryTime {
    private static final String CHILD = "child";
    private static final String RESULT = "first-result";

    private FirstQueryTime() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals(CHILD)) {
            child(JdbcTarget.of(args[1]), Path.of(args[2]));
            return;
        }
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> labels = args.length > 1 ? Arrays.asList(args).subList(1, args.length)
                : List.of("duet-fsync", "h2", "duckdb");
        System.out.printf(Locale.ROOT, "%-12s %28s %28s %28s%n", "target",
                "process start→result ms", "JVM uptime at result ms", "first JDBC call→result ms");
        for (String label : labels) {
            JdbcTarget target = JdbcTarget.of(label);
            double[][] times = new double[3][runs];
            for (int r = 0; r < runs; r++) {
                double[] one = measure(target);
                for (int k = 0; k < 3; k++) {
                    times[k][r] = one[k];
                }
            }
            System.out.printf(Locale.ROOT, "%-12s %28s %28s %28s%n", label,
                    summary(times[0]), summary(times[1]), summary(times[2]));
        }
    }

    /** Median, then every run, in ms. */
    private static String summary(double[] ms) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.0f (", median));
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "/").append(String.format(Locale.ROOT, "%.0f", ms[i]));
        }
        return sb.append(')').toString();
    }

    /** One child run: {process start → result, JVM uptime at result, first JDBC call → result} in ms. */
    private static double[] measure(JdbcTarget target) throws IOException, InterruptedException {
        Path dir = ScratchDir.create("first-query-" + target.label);
        try {
            List<String> command = DuetBenchmark.childCommand(List.of(), FirstQueryTime.class, CHILD, target.label,
                    dir.toString());
            long start = System.nanoTime();
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            double wall = -1;
            String[] reported = null;
            StringBuilder output = new StringBuilder();
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith(RESULT + " ") && reported == null) {
                        wall = (System.nanoTime() - start) / 1e6;
                        reported = line.split(" ");
                    } else {
                        output.append(line).append('\n');
                        if (line.startsWith("phases")) {
                            System.out.println("  " + target.label + " " + line);
                        }
                    }
                }
            }
            int exit = child.waitFor();
            if (exit != 0 || reported == null) {
                throw new IllegalStateException(target.label + " child failed (exit " + exit + "):\n" + output);
            }
            return new double[] {wall, Double.parseDouble(reported[1]), Double.parseDouble(reported[2])};
        } finally {
            ScratchDir.delete(dir);
        }
    }

    private static void child(JdbcTarget target, Path dir) throws SQLException {
        long start = System.nanoTime();
        String name;
        long[] phase = new long[4];
        try (Connection c = target.connect(dir)) {
            phase[0] = System.nanoTime();
            JdbcTarget.createTable(c);
            phase[1] = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO items (id, name, qty, price) VALUES (1, 'item-1', 1, 0.01)");
                phase[2] = System.nanoTime();
                try (ResultSet rs = s.executeQuery("SELECT id, name, qty, price FROM items WHERE id = 1")) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the inserted row is not there");
                    }
                    name = rs.getString(2);
                }
            }
            phase[3] = System.nanoTime();
            double jdbc = (phase[3] - start) / 1e6;
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            // The parent stops its clock when it reads this line; closing the database is not timed.
            System.out.println(RESULT + " " + uptime + " " + String.format(Locale.ROOT, "%.1f", jdbc) + " " + name);
            System.out.printf(Locale.ROOT, "phases (ms): connect %.0f, create table %.0f, insert %.0f, select %.0f%n",
                    (phase[0] - start) / 1e6, (phase[1] - phase[0]) / 1e6, (phase[2] - phase[1]) / 1e6,
                    (phase[3] - phase[2]) / 1e6);
            System.out.flush();
        }
    }
}
