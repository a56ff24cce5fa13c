package dev.duet.jdbc;

import dev.duet.engine.Duet;
import dev.duet.engine.sql.Result;
import dev.duet.engine.sql.Session;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Rows per second read through the driver's streaming result set (getLong, getDouble, getString of
 * every row), beside the same scan read from the session's Arrow batches without JDBC and DuckDB's
 * JDBC driver on the same rows in the same JVM. Printed, never asserted. Off by default; run with
 * {@code mvn -pl engine -am test -Dtest=JdbcReadThroughput -Dduet.throughput=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "duet.throughput", matches = "true")
class JdbcReadThroughput {
    private static final int ROWS = Integer.getInteger("duet.throughput.rows", 1_000_000);
    private static final int RUNS = Integer.getInteger("duet.throughput.runs", 5);
    private static final String QUERY = "SELECT id, x, s FROM t WHERE id >= 0";

    @Test
    void readRows() throws SQLException {
        try (Duet duet = Duet.inMemory()) {
            duet.createTable(dev.duet.core.catalog.TableDef.builder("t")
                    .column("id", dev.duet.core.types.DataType.BIGINT)
                    .column("x", dev.duet.core.types.DataType.DOUBLE)
                    .column("s", dev.duet.core.types.DataType.TEXT).primaryKey("id").build());
            for (int start = 0; start < ROWS; start += 100_000) {
                int from = start;
                duet.run(tx -> {
                    for (int i = from; i < Math.min(ROWS, from + 100_000); i++) {
                        tx.insert("t", (long) i, i * 0.5, "row " + i);
                    }
                });
            }
            try (Connection c = duet.connect()) {
                report("Duet JDBC", () -> readJdbc(c));
                report("Duet JDBC, getDouble(2) only", () -> {
                    long sum = 0;
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
                        while (rs.next()) {
                            sum += (long) rs.getDouble(2);
                        }
                    }
                    return sum;
                });
                report("Duet JDBC, getString(3) only", () -> {
                    long sum = 0;
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
                        while (rs.next()) {
                            sum += rs.getString(3).length();
                        }
                    }
                    return sum;
                });
                report("Duet JDBC, getLong(1) only", () -> {
                    long sum = 0;
                    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
                        while (rs.next()) {
                            sum += rs.getLong(1);
                        }
                    }
                    return sum;
                });
            }
            try (Session session = duet.newSession()) {
                report("Duet session batches, id only", () -> {
                    long sum = 0;
                    try (Result r = session.execute(QUERY)) {
                        for (VectorSchemaRoot b; (b = r.nextBatch()) != null; ) {
                            BigIntVector id = (BigIntVector) b.getVector(0);
                            for (int i = 0; i < b.getRowCount(); i++) {
                                sum += id.get(i);
                            }
                        }
                    }
                    return sum;
                });
            }
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement st = duck.createStatement()) {
                st.execute("SET threads = 1");
                st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, x DOUBLE, s VARCHAR)");
            }
            try (DuckDBAppender a = duck.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "t")) {
                for (int i = 0; i < ROWS; i++) {
                    a.beginRow();
                    a.append((long) i);
                    a.append(i * 0.5);
                    a.append("row " + i);
                    a.endRow();
                }
            }
            report("DuckDB JDBC (threads=1)", () -> readJdbc(duck));
        }
    }

    private static long readJdbc(Connection c) throws SQLException {
        long sum = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(QUERY)) {
            while (rs.next()) {
                sum += rs.getLong(1) + (long) rs.getDouble(2) + rs.getString(3).length();
            }
        }
        return sum;
    }

    interface Work {
        long run() throws SQLException;
    }

    private static void report(String name, Work work) throws SQLException {
        double[] ms = new double[RUNS];
        for (int run = -2; run < RUNS; run++) {
            long t0 = System.nanoTime();
            work.run();
            double elapsed = (System.nanoTime() - t0) / 1e6;
            if (run >= 0) {
                ms[run] = elapsed;
            }
        }
        Arrays.sort(ms);
        double median = ms[RUNS / 2];
        System.out.printf("%-34s %8.1f ms  %6.2f M rows/s%n", name, median, ROWS / median / 1e3);
    }
}
