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
 * TPC-H Q1 and Q6 (one-table scans and aggregates over {@code lineitem}) through JDBC prepared
 * statements: Duet with its table scans routed to the column store ({@code duet-column}, session
 * {@code SET duet.route = 'column'}) and to the row store ({@code duet-row}), and DuckDB
 * ({@code duckdb}, 2 threads), each file-backed and loaded with the same generated rows at
 * {@link #sf} in a fresh directory per trial. Before measuring, a Duet trial also loads DuckDB
 * and checks that Duet's answer (on the measured route) equals DuckDB's, so that a wrong answer
 * cannot look fast; DuckDB's own trials load DuckDB only.
 *
 * <pre>java -jar jmh/target/benchmarks.jar TpchColumnBenchmark -p sf=1 -f 1 -wi 1 -i 3</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class TpchColumnBenchmark extends DuetBenchmark {
    @Param({"1"})
    public double sf;

    @Param({"1", "6"})
    public int query;

    @Param({"duet-column", "duet-row", "duckdb"})
    public String target;

    private Path dir;
    private Duet duet;
    private Connection duck;
    private Connection connection;
    private PreparedStatement statement;

    @Setup(Level.Trial)
    public void load() throws SQLException {
        dir = ScratchDir.create("tpch-" + target);
        String sql = TpchDatabases.query(query);
        duck = TpchDatabases.loadDuckDb(dir, sf);
        if (target.equals("duckdb")) {
            connection = duck;
        } else {
            String route = switch (target) {
                case "duet-column" -> "column";
                case "duet-row" -> "row";
                default -> throw new IllegalArgumentException("unknown target " + target);
            };
            duet = TpchDatabases.loadDuet(dir.resolve("duet"), sf);
            connection = duet.connect();
            try (Statement s = connection.createStatement()) {
                s.execute("SET duet.route = '" + route + "'");
            }
            try (PreparedStatement expected = duck.prepareStatement(sql);
                 PreparedStatement actual = connection.prepareStatement(sql)) {
                List<Object[]> rows = TpchDatabases.rows(actual);
                TpchDatabases.checkSame("q" + query + " on " + target, TpchDatabases.rows(expected), rows);
                System.out.printf("q%d on %s: %d rows, same as DuckDB%n", query, target, rows.size());
            }
            // Only the database under test stays open while measuring.
            duck.close();
            duck = null;
        }
        statement = connection.prepareStatement(sql);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        try {
            try {
                statement.close();
                connection.close();
            } finally {
                if (duck != null && duck != connection) {
                    duck.close();
                }
                if (duet != null) {
                    duet.close();
                }
            }
        } finally {
            ScratchDir.delete(dir);
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
