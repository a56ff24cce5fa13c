package dev.duet.jmh;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The 22 TPC-H queries through JDBC prepared statements at scale factor {@link #sf}, reading every
 * value of every row: Duet with its default routing ({@code duet}, {@code SET duet.route =
 * 'auto'}), with its table scans forced to the column store ({@code duet-column}) and to the row
 * store ({@code duet-row}), and DuckDB ({@code duckdb}, 2 threads). Both databases hold the same
 * generated rows, loaded once per JVM and scale factor and kept open for every trial that JVM
 * runs ({@link TpchDatabases#shared}). Before measuring, a Duet trial checks that its answer
 * equals DuckDB's (same rows in the same order, numbers within 1e-9 relative), so that a wrong
 * answer cannot look fast.
 *
 * <p>Run it without forks, in one JVM with Duet's flags, so that SF 1 is loaded once rather than
 * for each of the 88 trials ({@link UnforkedRun} starts that JVM); forked, each trial loads both
 * databases itself. {@link BenchmarkReport} turns the JSON result into the table of
 * docs/benchmarks.md.
 *
 * <pre>java -cp jmh/target/benchmarks.jar dev.duet.jmh.UnforkedRun -Xmx12g -- TpchBenchmark -p sf=1 -rf json -rff tpch.json</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class TpchBenchmark extends DuetBenchmark {
    @Param({"1"})
    public double sf;

    @Param({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
            "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22"})
    public int query;

    @Param({"duet", "duet-column", "duet-row", "duckdb"})
    public String target;

    /**
     * {@code SET duet.threads} for the Duet targets; 0 keeps the database's default (the number of
     * processors). {@code -p threads=1,2} shows the parallel executor's scaling; DuckDB always runs
     * with 2 threads.
     */
    @Param({"0"})
    public int threads;

    private Connection connection;
    private PreparedStatement statement;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        TpchDatabases.Shared data = TpchDatabases.shared(sf);
        String sql = TpchDatabases.query(query);
        if (target.equals("duckdb")) {
            connection = data.newDuckDbConnection();
        } else {
            String route = switch (target) {
                case "duet" -> "auto";
                case "duet-column" -> "column";
                case "duet-row" -> "row";
                default -> throw new IllegalArgumentException("unknown target " + target);
            };
            connection = data.duet().connect();
            try (Statement s = connection.createStatement()) {
                s.execute("SET duet.route = '" + route + "'");
                if (threads > 0) {
                    s.execute("SET duet.threads = " + threads);
                }
            }
            try (PreparedStatement expected = data.duckdb().prepareStatement(sql);
                 PreparedStatement actual = connection.prepareStatement(sql)) {
                List<Object[]> rows = TpchDatabases.rows(actual);
                TpchDatabases.checkSame("q" + query + " on " + target, TpchDatabases.rows(expected), rows);
                System.out.printf("q%d on %s: %d rows, same as DuckDB%n", query, target, rows.size());
            }
        }
        statement = connection.prepareStatement(sql);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        try {
            if (statement != null) {
                statement.close();
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** Runs the query and reads every value of every row. */
    @Benchmark
    public int run(Blackhole bh) throws SQLException {
        int rows = 0;
        try (ResultSet rs = statement.executeQuery()) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    bh.consume(rs.getObject(i));
                }
                rows++;
            }
        }
        return rows;
    }
}
