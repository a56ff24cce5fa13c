package dev.duet.jmh;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Duet, H2 and DuckDB through JDBC {@link PreparedStatement}s in the same run, one thread, each a
 * file-backed database in a fresh directory ({@link JdbcTarget}): single-row autocommit INSERT,
 * batched INSERT (1,000 rows per {@code executeBatch}, in autocommit; the score is rows/s), point
 * SELECT by primary key reading every column, and autocommit UPDATE of one column by primary key.
 * The read and update benchmarks run on {@link #PRELOADED} rows loaded before measuring and pick
 * keys at random; inserts append ascending keys to an empty table.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(2)
@Threads(1)
public class JdbcBenchmark extends DuetBenchmark {
    static final int PRELOADED = 100_000;
    static final int BATCH = 1000;
    private static final int KEY_MASK = (1 << 16) - 1;

    @Param({"duet-async", "duet-fsync", "h2", "duckdb"})
    public String target;

    private Path dir;
    private Connection connection;
    private PreparedStatement insert;
    private PreparedStatement select;
    private PreparedStatement update;
    private final long[] keys = new long[KEY_MASK + 1];
    private int nextKey;
    private long nextInsert;

    @Setup(Level.Trial)
    public void open(BenchmarkParams params) throws SQLException {
        JdbcTarget t = JdbcTarget.of(target);
        dir = ScratchDir.create("jdbc-" + target);
        connection = t.connect(dir);
        JdbcTarget.createTable(connection);
        if (params.getBenchmark().endsWith("ByPrimaryKey")) {
            t.load(connection, PRELOADED);
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextInt(PRELOADED);
        }
        insert = connection.prepareStatement(JdbcTarget.INSERT);
        select = connection.prepareStatement(JdbcTarget.SELECT_BY_ID);
        update = connection.prepareStatement(JdbcTarget.UPDATE_BY_ID);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        try {
            try {
                insert.close();
                select.close();
                update.close();
            } finally {
                connection.close();
            }
        } finally {
            ScratchDir.delete(dir);
        }
    }

    @Benchmark
    public int insertAutocommit() throws SQLException {
        JdbcTarget.bind(insert, nextInsert++);
        return insert.executeUpdate();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int[] insertBatch() throws SQLException {
        for (int i = 0; i < BATCH; i++) {
            JdbcTarget.bind(insert, nextInsert++);
            insert.addBatch();
        }
        return insert.executeBatch();
    }

    @Benchmark
    public void selectByPrimaryKey(Blackhole bh) throws SQLException {
        long key = keys[nextKey++ & KEY_MASK];
        select.setLong(1, key);
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException(target + ": no row with id " + key);
            }
            bh.consume(rs.getLong(1));
            bh.consume(rs.getString(2));
            bh.consume(rs.getInt(3));
            BigDecimal price = rs.getBigDecimal(4);
            bh.consume(price);
        }
    }

    @Benchmark
    public void updateByPrimaryKey() throws SQLException {
        int n = nextKey++;
        update.setInt(1, n);
        update.setLong(2, keys[n & KEY_MASK]);
        int count = update.executeUpdate();
        if (count != 1) {
            throw new IllegalStateException(target + ": UPDATE by primary key changed " + count + " rows");
        }
    }
}
