package dev.duet.engine.sql;

import static dev.duet.engine.sql.SqlTestSupport.query;
import static dev.duet.engine.sql.SqlTestSupport.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duet.columnstore.ColumnStoreOptions;
import dev.duet.engine.Duet;
import dev.duet.engine.DuetConfig;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The column route against the row route through SQL: the same rows after inserts, updates and
 * deletes (segments sealed into Parquet files along the way), a transaction's own writes, a commit
 * seen at once by another connection reading the column store, and an invariant that holds in
 * every column-store read while writers run.
 */
class ColumnRouteTest {
    /** Small segments and row groups, so that the data spans sealed files and an open segment. */
    private static final DuetConfig CONFIG = DuetConfig.defaults().withDurability(DuetConfig.Durability.ASYNC)
            .withColumnStore(ColumnStoreOptions.defaults().withSealRows(300).withRowGroupRows(64).withScanWait(Duration.ofSeconds(30)));

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir
    Path dir;
    private Duet db;

    @BeforeEach
    void open() {
        db = Duet.open(dir, CONFIG);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<List<Object>> in(Session s, String route, String sql) {
        run(s, "SET duet.route = '" + route + "'");
        return query(s, sql);
    }

    @Test
    void bothRoutesReturnTheSameRowsThroughInsertsUpdatesAndDeletes() {
        try (Session s = db.newSession()) {
            run(s, "CREATE TABLE t (id BIGINT PRIMARY KEY, i INT, d DECIMAL(12,2), x DOUBLE PRECISION, "
                    + "v VARCHAR(20), day DATE, at TIMESTAMP, b BOOLEAN)");
            SplittableRandom random = new SplittableRandom(11);
            long nextId = 0;
            List<String> checks = List.of(
                    "SELECT * FROM t ORDER BY id",
                    "SELECT count(*), sum(i), sum(d), min(v), max(day) FROM t",
                    "SELECT id, i FROM t WHERE i BETWEEN 10 AND 20 ORDER BY id",
                    "SELECT id FROM t WHERE d > 500 AND day < DATE '2024-03-01' ORDER BY id",
                    "SELECT b, count(*) FROM t GROUP BY b ORDER BY b",
                    "SELECT id, v FROM t WHERE v = 'v12' ORDER BY id",
                    "SELECT id, v FROM t WHERE v < 'v3' AND v >= 'v1' ORDER BY id",
                    "SELECT id, v FROM t WHERE v > 'v99' ORDER BY id",
                    "SELECT id, v FROM t WHERE v >= 'v5\uD83D\uDE00' ORDER BY id");
            for (int round = 0; round < 8; round++) {
                StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
                for (int r = 0; r < 150; r++) {
                    long id = nextId++;
                    insert.append(r == 0 ? "" : ", ").append('(').append(id).append(", ")
                            .append(random.nextInt(10) == 0 ? "NULL" : String.valueOf(random.nextInt(50))).append(", ")
                            .append(random.nextInt(10) == 0 ? "NULL" : BigDecimal.valueOf(random.nextLong(100_000), 2)).append(", ")
                            .append(random.nextDouble() * 1000).append(", ")
                            .append(random.nextInt(10) == 0 ? "NULL" : "'v" + random.nextInt(1000)
                                    + (random.nextInt(5) == 0 ? " " : random.nextInt(9) == 0 ? "\uD83D\uDE00" : "") + "'").append(", ")
                            .append("DATE '").append(LocalDate.of(2024, 1, 1).plusDays(random.nextInt(120))).append("', ")
                            .append("TIMESTAMP '").append(LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(random.nextInt(1_000_000))
                                    .format(TIMESTAMP)).append("', ")
                            .append(random.nextBoolean()).append(')');
                }
                run(s, insert.toString());
                run(s, "UPDATE t SET i = i + 1, v = 'u' || id WHERE id % 7 = " + round % 7);
                run(s, "DELETE FROM t WHERE id % 11 = " + round % 11 + " AND i > 25");
                run(s, "UPDATE t SET d = NULL WHERE id = " + random.nextLong(nextId));
                for (String sql : checks) {
                    List<List<Object>> row = in(s, "row", sql);
                    List<List<Object>> column = in(s, "column", sql);
                    assertEquals(row, column, "round " + round + ": " + sql);
                }
            }
            // several segments may be frozen at once: the sync installs each file as the seal thread finishes it
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (db.columnStore().segmentsSealed() == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000);
            }
            assertTrue(db.columnStore().segmentsSealed() > 0, "segments were sealed");
            assertTrue(db.columnStore().rowGroupsRead() > 0, "the column route read the column store");
            run(s, "RESET duet.route");
        }
    }

    @Test
    void explainShowsEachScansRouteAndAnalyzeShowsTheRowGroupsSkipped() {
        try (Session s = db.newSession()) {
            run(s, "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
            for (int chunk = 0; chunk < 10; chunk++) {
                StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
                for (int i = 0; i < 100; i++) {
                    long id = chunk * 100L + i;
                    insert.append(i == 0 ? "" : ", ").append('(').append(id).append(", ").append(id).append(')');
                }
                run(s, insert.toString());
            }
            // the seal thread writes the three full segments after their commits: only row groups
            // of installed files can be skipped
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (db.columnStore().segmentsSealed() < 3 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000);
            }
            assertEquals(3, db.columnStore().segmentsSealed(), "segments sealed");
            run(s, "SET duet.route = 'column'");
            String plan = text(query(s, "EXPLAIN SELECT count(*) FROM t WHERE v < 50"));
            assertTrue(plan.contains("route=column (duet.route = column, rows≈"), plan);
            assertTrue(plan.contains("zone=[v LT 50]"), plan);
            String analyzed = text(query(s, "EXPLAIN ANALYZE SELECT count(*) FROM t WHERE v < 50"));
            assertTrue(analyzed.contains("route=column"), analyzed);
            // v ascends with the commit order: every sealed row group but the first lies above 50
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("row groups skipped: (\\d+)").matcher(analyzed);
            assertTrue(m.find(), analyzed);
            assertTrue(Long.parseLong(m.group(1)) > 0, analyzed);
            assertEquals(List.of(List.of(50L)), query(s, "SELECT count(*) FROM t WHERE v < 50"));

            run(s, "SET duet.route = 'auto'");
            plan = text(query(s, "EXPLAIN SELECT count(*) FROM t"));
            assertTrue(plan.contains("route=row (fewer than 10000 rows, rows≈"), plan);
            plan = text(query(s, "EXPLAIN SELECT v FROM t WHERE id = 7"));
            assertTrue(plan.contains("KeyScan"), plan);
            run(s, "BEGIN");
            run(s, "INSERT INTO t VALUES (5000, 1)");
            run(s, "SET duet.route = 'column'");
            plan = text(query(s, "EXPLAIN SELECT count(*) FROM t"));
            assertTrue(plan.contains("route=row (the transaction has written the table)"), plan);
            run(s, "ROLLBACK");
            run(s, "SET duet.route = 'row'");
            plan = text(query(s, "EXPLAIN SELECT count(*) FROM t"));
            assertTrue(plan.contains("route=row (duet.route = row)"), plan);
        }
    }

    private static String text(List<List<Object>> rows) {
        StringBuilder sb = new StringBuilder();
        rows.forEach(r -> sb.append(r.get(0)).append('\n'));
        return sb.toString();
    }

    @Test
    void aTransactionOlderThanADropStillReadsTheDroppedTable() {
        try (Session a = db.newSession(); Session b = db.newSession()) {
            run(a, "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
            run(a, "INSERT INTO t VALUES (1, 10), (2, 20)");
            run(a, "SET duet.route = 'column'");
            run(a, "BEGIN");
            assertEquals(List.of(List.of(2L)), query(a, "SELECT count(*) FROM t"));
            run(b, "DROP TABLE t");
            // the drop is applied to the column store; the older snapshot is then served by the row store
            db.columnStore().awaitWatermark(db.rowStore().lastCommitTimestamp(), Duration.ofSeconds(30));
            assertEquals(List.of(List.of(2L)), query(a, "SELECT count(*) FROM t"));
            run(a, "COMMIT");
        }
    }

    @Test
    void aTransactionReadsItsOwnWritesOnEveryRoute() {
        try (Session s = db.newSession()) {
            run(s, "CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
            run(s, "INSERT INTO t VALUES (1, 10), (2, 20)");
            run(s, "SET duet.route = 'column'");
            run(s, "BEGIN");
            run(s, "INSERT INTO t VALUES (3, 30)");
            run(s, "DELETE FROM t WHERE id = 1");
            assertEquals(List.of(List.of(2L, 20), List.of(3L, 30)), query(s, "SELECT * FROM t ORDER BY id"));
            run(s, "ROLLBACK");
            assertEquals(List.of(List.of(1L, 10), List.of(2L, 20)), query(s, "SELECT * FROM t ORDER BY id"));
        }
    }

    @Test
    void aCommitIsSeenAtOnceByAnotherConnectionReadingTheColumnStore() throws SQLException {
        try (Connection writer = db.connect(); Connection reader = db.connect();
                Statement w = writer.createStatement(); Statement r = reader.createStatement()) {
            w.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, v INT)");
            r.execute("SET duet.route = 'column'");
            for (int i = 0; i < 400; i++) { // past the seal threshold: sealed row groups and an open segment
                w.executeUpdate("INSERT INTO t VALUES (" + i + ", " + i + ")");
                try (ResultSet rs = r.executeQuery("SELECT count(*), max(id) FROM t")) {
                    assertTrue(rs.next());
                    assertEquals(i + 1, rs.getLong(1), "rows seen after commit " + i);
                    assertEquals(i, rs.getLong(2));
                }
            }
            // the seal thread writes the first segment's file in the background (slowly in a cold JVM on a
            // loaded machine): once it is installed, a read goes through its row groups
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (db.columnStore().segmentsSealed() == 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000);
            }
            try (ResultSet rs = r.executeQuery("SELECT count(*), max(id) FROM t")) {
                assertTrue(rs.next());
                assertEquals(400, rs.getLong(1));
            }
        }
        assertTrue(db.columnStore().rowGroupsRead() > 0, "the reads went to the column store");
        var registry = db.meterRegistry();
        assertTrue(registry.get("duet.columnstore.rows.applied").functionCounter().count() >= 400);
        assertTrue(registry.get("duet.sync.commits.applied").functionCounter().count() >= 401);
        assertTrue(registry.get("duet.columnstore.rowgroups.read").functionCounter().count() > 0);
        assertTrue(registry.get("duet.columnstore.segments").gauge().value() >= 1);
        assertTrue(registry.get("duet.columnstore.bytes").gauge().value() > 0);
        assertTrue(registry.get("duet.sync.lag.bytes").gauge().value() >= 0);
        assertTrue(registry.get("duet.sync.lag").gauge().value() >= 0);
        assertTrue(registry.get("duet.sync.writer.waits").functionCounter().count() >= 0, "the backpressure counter is registered");
        // every commit before the last was applied before the query after it could see it
        var commitLag = registry.get("duet.sync.commit.lag").functionTimer();
        assertTrue(commitLag.count() >= 400, "commits with a lag: " + commitLag.count());
        assertTrue(commitLag.totalTime(TimeUnit.NANOSECONDS) > 0);
        double p50 = registry.get("duet.sync.commit.lag.percentile").tag("phi", "0.5").gauge().value();
        double p99 = registry.get("duet.sync.commit.lag.percentile").tag("phi", "0.99").gauge().value();
        assertTrue(p50 > 0 && p50 <= p99 && p99 <= registry.get("duet.sync.commit.lag.max").gauge().value(), "p50 " + p50 + ", p99 " + p99);
        assertTrue(registry.get("duet.columnstore.table.segments").tag("table", "public.t").gauge().value() >= 1);
        assertTrue(registry.get("duet.columnstore.table.bytes").tag("table", "public.t").gauge().value() > 0);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE t");
        }
        assertEquals(null, registry.find("duet.columnstore.table.bytes").tag("table", "public.t").gauge(),
                "a dropped table's gauges go");
    }

    @Test
    void sumOfBalancesStaysInvariantOnTheColumnStoreWhileMoneyMoves() throws Exception {
        // segments of 4,096 rows: a seal every 2,000 transfers or so, not every 150 (each seal writes
        // and forces a Parquet file on the sync thread)
        db.close();
        db = Duet.open(dir, CONFIG.withColumnStore(CONFIG.columnStore().withSealRows(4_096).withRowGroupRows(1_024)));
        int accounts = 500;
        long total = accounts * 1_000L;
        try (Session s = db.newSession()) {
            run(s, "CREATE TABLE account (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
            StringBuilder insert = new StringBuilder("INSERT INTO account VALUES ");
            for (int i = 0; i < accounts; i++) {
                insert.append(i == 0 ? "" : ", ").append('(').append(i).append(", 1000)");
            }
            run(s, insert.toString());
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong transfers = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> movers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                movers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    try (Connection c = db.connect()) {
                        c.setAutoCommit(false);
                        try (var debit = c.prepareStatement("UPDATE account SET balance = balance - ? WHERE id = ?");
                                var credit = c.prepareStatement("UPDATE account SET balance = balance + ? WHERE id = ?")) {
                            while (!stop.get()) {
                                int from = random.nextInt(accounts);
                                int to = random.nextInt(accounts);
                                int amount = random.nextInt(1, 50);
                                try {
                                    debit.setInt(1, amount);
                                    debit.setInt(2, from);
                                    debit.executeUpdate();
                                    credit.setInt(1, amount);
                                    credit.setInt(2, to);
                                    credit.executeUpdate();
                                    c.commit();
                                    transfers.incrementAndGet();
                                    // at most a few thousand transfers/s per thread: the sync, on the same
                                    // two cores, keeps up, so the sums are read from the column store
                                    LockSupport.parkNanos(200_000);
                                } catch (SQLException e) {
                                    c.rollback(); // 40001: a concurrent transfer touched the same account
                                    if (!"40001".equals(e.getSQLState())) {
                                        throw e;
                                    }
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            int reads = 0;
            try (Connection c = db.connect(); Statement st = c.createStatement()) {
                st.execute("SET duet.route = 'column'");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < until || transfers.get() < 200) {
                    try (ResultSet rs = st.executeQuery("SELECT sum(balance), count(*) FROM account")) {
                        assertTrue(rs.next());
                        assertEquals(total, rs.getLong(1), "sum of balances after " + transfers.get() + " transfers");
                        assertEquals(accounts, rs.getLong(2));
                    }
                    reads++;
                }
            }
            stop.set(true);
            for (Future<?> f : movers) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertTrue(reads > 0 && transfers.get() >= 200, reads + " reads, " + transfers.get() + " transfers");
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertNotNull(db.columnStore());
        assertTrue(db.meterRegistry().get("duet.columnstore.scans").tag("served_by", "column").functionCounter().count() > 0,
                "sums were read from the column store");
    }
}
