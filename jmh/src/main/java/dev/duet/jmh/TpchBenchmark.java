package dev.duet.jmh;

import dev.duet.engine.Duet;
import java.nio.file.Path;
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
 * generated rows, built once per JMH run and scale factor and reopened by every trial
 * ({@link TpchDatabases#cached}). Before measuring, a Duet trial checks that its answer equals
 * DuckDB's (same rows in the same order, numbers within 1e-9 relative), so that a wrong answer
 * cannot look fast; only the measured database stays open while measuring.
 *
 * <p>{@link BenchmarkReport} turns the JSON result into the table of docs/benchmarks.md.
 *
 * <pre>java -jar jmh/target/benchmarks.jar TpchBenchmark -p sf=1 -jvmArgs -Xmx16g -rf json -rff tpch.json</pre>
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

    private Duet duet;
    private Connection connection;
    private PreparedStatement statement;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        Path data = TpchDatabases.cached(sf);
        String sql = TpchDatabases.query(query);
        if (target.equals("duckdb")) {
            connection = TpchDatabases.openDuckDb(data);
        } else {
            String route = switch (target) {
                case "duet" -> "auto";
                case "duet-column" -> "column";
                case "duet-row" -> "row";
                default -> throw new IllegalArgumentException("unknown target " + target);
            };
            List<Object[]> expected;
            try (Connection duck = TpchDatabases.openDuckDb(data);
                 PreparedStatement q = duck.prepareStatement(sql)) {
                expected = TpchDatabases.rows(q);
            }
            duet = TpchDatabases.openDuet(data);
            connection = duet.connect();
            try (Statement s = connection.createStatement()) {
                s.execute("SET duet.route = '" + route + "'");
            }
            try (PreparedStatement actual = connection.prepareStatement(sql)) {
                List<Object[]> rows = TpchDatabases.rows(actual);
                TpchDatabases.checkSame("q" + query + " on " + target, expected, rows);
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
            if (connection != null) {
                connection.close();
            }
        } finally {
            if (duet != null) {
                duet.close();
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
