package dev.duet.jmh;

import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times TPC-H queries on one route of a Duet database kept between runs, for profiling the
 * executor (not JMH: a plain loop, so that a JFR recording covers just the queries). The database
 * is loaded into {@code DIR} on the first run and reopened on later ones; each query runs
 * {@code RUNS} times after one warm-up run, and its {@code EXPLAIN ANALYZE} is printed
 * {@code -Dexplain=N} times.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.duet.jmh.TpchQueryThroughput DIR SF ROUTE RUNS Q...</pre>
 *
 * Example: {@code /tmp/duet-tpch-0.1 0.1 row 5 1 6 3 18}. {@code ROUTE} {@code memory} runs
 * the executor alone: every table scan replays batches read from the row store once and kept in
 * memory ({@link OperatorsOverMemory}), so the times are the operators' and expressions' only.
 * {@code -Dthreads=N} sets {@code duet.threads} (default: the database's, the available
 * processors) for the {@code row} and {@code column} routes. Add the flags of {@link DuetBenchmark}
 * and, to profile, {@code -XX:StartFlightRecording=filename=x.jfr,settings=profile}.
 */
public final class TpchQueryThroughput {
    private TpchQueryThroughput() {
    }

    public static void main(String[] args) throws SQLException {
        Path dir = Path.of(args[0]);
        double sf = Double.parseDouble(args[1]);
        String route = args[2];
        int runs = Integer.parseInt(args[3]);
        int[] queries = Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray();
        boolean fresh = !Files.exists(dir.resolve("loaded"));
        Duet db;
        if (fresh) {
            db = TpchDatabases.loadDuet(dir, sf);
            try {
                Files.writeString(dir.resolve("loaded"), Double.toString(sf));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } else {
            db = Duet.open(dir, DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC));
        }
        if (route.equals("memory")) {
            try (db) {
                OperatorsOverMemory.run(db, runs, queries);
            }
            return;
        }
        try (db; Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("SET duet.route = '" + route + "'");
            String threads = System.getProperty("threads");
            if (threads != null) {
                s.execute("SET duet.threads = " + Integer.parseInt(threads));
            }
            for (int q : queries) {
                String sql = TpchDatabases.query(q);
                int rows = run(s, sql);
                long[] times = new long[runs];
                for (int i = 0; i < runs; i++) {
                    long start = System.nanoTime();
                    run(s, sql);
                    times[i] = System.nanoTime() - start;
                }
                long[] sorted = times.clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "q%-2d %-6s threads=%s %4d rows  median %8.1f ms  runs %s%n", q, route, threads == null ? "default" : threads, rows,
                        sorted[runs / 2] / 1e6, Arrays.toString(Arrays.stream(times).map(t -> t / 1_000_000).toArray()));
                for (int e = 0; e < Integer.getInteger("explain", 0); e++) {
                    try (ResultSet rs = s.executeQuery("EXPLAIN ANALYZE " + sql)) {
                        while (rs.next()) {
                            System.out.println("    " + rs.getString(1));
                        }
                    }
                }
            }
        }
    }

    private static int run(Statement s, String sql) throws SQLException {
        int rows = 0;
        try (ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                }
                rows++;
            }
        }
        return rows;
    }
}
